package backtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/backtest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked history (testdata/): KPI checkout_p95, one sample a minute for
// two hours from t0 (minute m is t0 + m), 100 ms except
//
//	m5: 300 (noise)      m20–29: 400 (A)      m40–41: 250 (noise)    m50–65: 500 (B, C)
//	m72: 260 (noise)     m80–82: 220 (D)      m90–99: 450 (before E) m110: no sample
//
// Incidents (checkout): A 00:20–00:30; B 00:52–01:10 and C 00:55–01:05 overlap;
// D 01:20–01:25 (shallow); E 01:45–01:50 starts after the spike that announced it.
// F (search, 00:05–00:08) is another service's incident, filtered out below.
var t0 = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func minute(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

func load(t *testing.T, st store.Store) {
	t.Helper()
	for _, in := range []struct{ kind, file string }{{"kpi-samples", "checkout_p95.ndjson"}, {"incidents", "incidents.ndjson"}} {
		f, err := os.Open("testdata/" + in.file)
		if err != nil {
			t.Fatal(err)
		}
		kind, _ := ingest.DefaultKinds().Get(in.kind)
		res, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, f, ingest.Options{Now: t0.AddDate(0, 0, 1)})
		f.Close()
		if err != nil || len(res.Rejected) != 0 {
			t.Fatalf("%s: %+v %v", in.kind, res, err)
		}
	}
}

const source = `{"queryType":"kpi","metric":"value","kpi":{"kpis":["checkout_p95"]},"bucket":"1m"}`

func backtestQuery(t *testing.T, candidates, lead string, filters map[string][]string) models.Query {
	t.Helper()
	imp := fmt.Sprintf(`{"source":%s,"candidates":%s,"lead":%q}`, source, candidates, lead)
	q, err := models.ParseQuery([]byte(`{"queryType":"backtest","improvement":` + imp + `}`))
	if err != nil {
		t.Fatal(err)
	}
	q.Filters = filters
	return q
}

// row is a scores row as text: alerts, minutes, useful, caught, missed, delay, precision, recall.
func rowText(r backtestRow) string {
	return fmt.Sprintf("%s: %d alerts %g min %d useful %d caught %d missed delay %s precision %s recall %s",
		r.name, r.alerts, r.minutes, r.useful, r.caught, r.missed, num(r.delay), num(r.precision), num(r.recall))
}

type backtestRow struct {
	name                           string
	alerts, useful, caught, missed int
	minutes                        float64
	delay, precision, recall       float64
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "null"
	}
	return fmt.Sprintf("%.4f", v)
}

func TestBacktestThroughTheStore(t *testing.T) {
	checkout := map[string][]string{"service": {"checkout"}}
	cases := []struct {
		name       string
		candidates string
		lead       string
		filters    map[string][]string
		want       []backtestRow
	}{
		// low fires 7 times (m5, 20, 40, 50, 72, 80, 90): 1+10+2+16+1+3+10 = 43 minutes.
		// With a 5m lead, A is caught at 00:20 (0 s), B and C by the 00:50 alert (−120 s,
		// −300 s), D at 01:20 (0 s); E's window opens at 01:40, after the 01:30 alert
		// fired: missed. Useful: 20, 50, 80 = 3/7. Median delay of −300, −120, 0, 0 = −60.
		// high (> 350) fires 3 times (20, 50, 90: 36 minutes) and misses D and E: 2/3 useful,
		// delays −300, −120, 0: median −120. The XmR chart from the first 20 points
		// (mean 110, σ = (400/19)/1.128, UCL ≈ 166) flags exactly what low flags.
		{"a low threshold catches more with many false alerts; a high one misses some",
			`[{"name":"low","type":"threshold","op":"above","value":200},{"name":"high","type":"threshold","op":"above","value":350},
			  {"name":"xmr","type":"control","baseline_points":20,"rules":["nelson-1"]}]`, "5m", checkout,
			[]backtestRow{
				{"low", 7, 3, 4, 1, 43, -60, 3.0 / 7, 0.8},
				{"high", 3, 2, 3, 2, 36, -120, 2.0 / 3, 0.6},
				{"xmr", 7, 3, 4, 1, 43, -60, 3.0 / 7, 0.8},
			}},
		// for 9m: the runs fire on their 10th point (m29, m59, m99): 1 + 7 + 1 minutes;
		// delays A 540, B 420, C 240 (median 420). for 10m: only the 16-point run fires, at
		// m60: B 480, C 300 (median 390); A's 10-point run never fires.
		{"for-duration edges: a run of exactly the pending period fires on its last point, one point short never",
			`[{"name":"9m","type":"threshold","op":"above","value":350,"for":"9m"},{"name":"10m","type":"threshold","op":"above","value":350,"for":"10m"}]`, "5m", checkout,
			[]backtestRow{
				{"9m", 3, 2, 3, 2, 9, 420, 2.0 / 3, 0.6},
				{"10m", 1, 1, 2, 3, 6, 390, 1, 0.4},
			}},
		// A 20m lead opens E's window at 01:25, so the 01:30 alert catches it (−900 s), and
		// merges the windows B..E: every high alert is useful. Delays 0, −120, −300, −900.
		{"a lead long enough for the early alert", `[{"name":"high","type":"threshold","op":"above","value":350}]`, "20m", checkout,
			[]backtestRow{{"high", 3, 3, 4, 1, 36, -210, 1, 0.8}}},
		// Without the service filter, F (search, 00:05–00:08) is caught by the m5 noise
		// alert at once: delays −300, −120, 0, 0, 0, median 0.
		{"incident filters choose what is scored", `[{"name":"low","type":"threshold","op":"above","value":200}]`, "5m", nil,
			[]backtestRow{{"low", 7, 4, 5, 1, 43, 0, 4.0 / 7, 5.0 / 6}}},
		{"nothing fires: precision and delay undefined", `[{"name":"never","type":"threshold","op":"above","value":1000}]`, "", checkout,
			[]backtestRow{{"never", 0, 0, 0, 5, 0, math.NaN(), math.NaN(), 0}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		load(t, st)
		env := query.Env{Store: st, From: t0, To: minute(120), Now: minute(120)}
		e := metrics.Engine()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r, err := backtest.Compute(context.Background(), e.Series, env, backtestQuery(t, c.candidates, c.lead, c.filters))
				if err != nil {
					t.Fatal(err)
				}
				// 120 one-minute buckets, m110 without a sample (no data).
				if r.Points != 120 || r.Interval != time.Minute || r.Source != "KPI value (mean) · checkout_p95" {
					t.Fatalf("points %d interval %s source %q", r.Points, r.Interval, r.Source)
				}
				if len(r.Rows) != len(c.want) {
					t.Fatalf("%d rows", len(r.Rows))
				}
				for i, w := range c.want {
					g := r.Rows[i]
					got := backtestRow{g.Candidate, g.Alerts, g.UsefulAlerts, g.IncidentsCaught, g.IncidentsMissed, g.AlertMinutes,
						g.MedianDetectionDelay, g.Precision, g.Recall}
					if rowText(got) != rowText(w) {
						t.Errorf("got  %s\nwant %s", rowText(got), rowText(w))
					}
				}
			})
		}
	})
}

func TestBacktestFrames(t *testing.T) {
	st := storetest.OpenSQLite(t)
	load(t, st)
	env := query.Env{Store: st, From: t0, To: minute(120), Now: minute(120)}
	e := metrics.Engine()
	q := backtestQuery(t, `[{"name":"high","type":"threshold","op":"above","value":350,"for":"9m"},{"name":"never","type":"threshold","op":"above","value":1000}]`,
		"5m", map[string][]string{"service": {"checkout"}})
	q.RefID = "B"
	frames, err := e.Run(context.Background(), env, q)
	if err != nil {
		t.Fatal(err)
	}
	f := frames[0]
	want := "candidate,condition,for,alerts,alert_minutes,useful_alerts,incidents_caught,incidents_missed,median_detection_delay,precision,recall"
	var names []string
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	if strings.Join(names, ",") != want || f.RefID != "B" || f.Rows() != 2 {
		t.Fatalf("fields %v refId %q rows %d", names, f.RefID, f.Rows())
	}
	if f.Fields[1].At(0) != "above 350" || f.Fields[2].At(0) != 540.0 || f.Fields[3].At(0) != int64(3) {
		t.Errorf("first row: %v %v %v", f.Fields[1].At(0), f.Fields[2].At(0), f.Fields[3].At(0))
	}
	if p := f.Fields[9].At(1).(*float64); p != nil {
		t.Errorf("precision without alerts = %v, want null", *p)
	}
	if f.Fields[9].Config.Unit != "percentunit" || f.Fields[8].Config.Unit != "s" || f.Fields[4].Config.Unit != "m" {
		t.Errorf("units %+v %+v %+v", f.Fields[9].Config, f.Fields[8].Config, f.Fields[4].Config)
	}
	custom := f.Meta.Custom.(map[string]any)["backtest"].(map[string]any)
	if custom["points"] != 120 || custom["incidents"] != 5 || custom["leadSeconds"] != 300.0 || custom["intervalSeconds"] != 60.0 {
		t.Errorf("meta %v", custom)
	}

	// Firings: where each candidate fired, for annotations: m29–30, m59–66, m99–100.
	q.Metric = "firings"
	frames, err = e.Run(context.Background(), env, q)
	if err != nil {
		t.Fatal(err)
	}
	f = frames[0]
	var spans []string
	for i := 0; i < f.Rows(); i++ {
		spans = append(spans, fmt.Sprintf("%s %s-%s", f.Fields[2].At(i), f.Fields[0].At(i).(time.Time).Format("15:04"), f.Fields[1].At(i).(time.Time).Format("15:04")))
	}
	if strings.Join(spans, ", ") != "high 00:29-00:30, high 00:59-01:06, high 01:39-01:40" {
		t.Fatalf("firings %v", spans)
	}
	if f.Meta.DataTopic != data.DataTopicAnnotations || f.Fields[4].At(0) != "high fired" || f.Fields[5].At(0) != true {
		t.Fatalf("firings as annotations: topic %q, text %v, region %v", f.Meta.DataTopic, f.Fields[4].At(0), f.Fields[5].At(0))
	}
}

// TestBacktestLongSourceIsFetchedInWindows: a year of minutes is more buckets
// than one source query may produce; the backtest fetches it in windows cut at
// bucket boundaries and joins them without a gap or a repeat.
func TestBacktestLongSourceIsFetchedInWindows(t *testing.T) {
	st := storetest.OpenSQLite(t)
	var b strings.Builder
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 25_000 // 2.5 windows of 10,000 buckets
	for m := 0; m < n; m++ {
		v := 1.0
		if m == 9_999 || m == 10_000 || m == 24_999 {
			v = 5 // at both sides of the first window edge, and on the last bucket
		}
		fmt.Fprintf(&b, `{"kpi":"k","at":%q,"value":%v}`+"\n", start.Add(time.Duration(m)*time.Minute).Format(time.RFC3339), v)
	}
	kind, _ := ingest.DefaultKinds().Get("kpi-samples")
	if _, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, strings.NewReader(b.String()), ingest.Options{Now: start.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	q, err := models.ParseQuery([]byte(`{"queryType":"backtest","improvement":{"source":{"queryType":"kpi","metric":"value","kpi":{"kpis":["k"]},"bucket":"1m"},
		"candidates":[{"name":"spike","type":"threshold","op":"above","value":2}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	// The range starts mid-bucket and mid-minute: 30 s into minute 0.
	env := query.Env{Store: st, From: start.Add(30 * time.Second), To: start.Add(n * time.Minute), Now: start.AddDate(1, 0, 0)}
	r, err := backtest.Compute(context.Background(), metrics.Engine().Series, env, q)
	if err != nil {
		t.Fatal(err)
	}
	// m9999 and m10000 are one run (one alert, resolved at m10001: 2 minutes), m24999
	// another, still open at the last sample (0 minutes).
	if r.Points != n || r.Rows[0].Alerts != 2 || r.Rows[0].AlertMinutes != 2 {
		t.Fatalf("points %d, alerts %d, minutes %v", r.Points, r.Rows[0].Alerts, r.Rows[0].AlertMinutes)
	}
}

func TestBacktestBurnRateOnAnSLI(t *testing.T) {
	// SLI per minute for an hour: 1 except 0.9 at m10..m14. Objective 99 (budget 0.01),
	// factor 3: holds when the mean error ratio exceeds 0.03 over both windows. Long 10m
	// (m3, m12]: 0.3/10 = 0.03, not above; at m13 0.4/10 = 0.04 and short 2m (m12, m13)
	// 0.1: holds. m14 and m15 hold (m15: long 0.05, short 0.05), m16 not (short 0):
	// one alert m13–m16 (3 minutes), catching G (00:12–00:20) 60 s after it started.
	storetest.Each(t, func(t *testing.T, st store.Store) {
		var b strings.Builder
		for m := 0; m < 60; m++ {
			v := 1.0
			if m >= 10 && m <= 14 {
				v = 0.9
			}
			fmt.Fprintf(&b, `{"kpi":"availability","at":%q,"value":%v}`+"\n", minute(m).Format(time.RFC3339), v)
		}
		for kind, payload := range map[string]string{"kpi-samples": b.String(),
			"incidents": `{"id":"G","service":"api","started_at":"2024-06-01T00:12:00Z","resolved_at":"2024-06-01T00:20:00Z"}`} {
			k, _ := ingest.DefaultKinds().Get(kind)
			if _, err := ingest.Ingest(context.Background(), st, k, ingest.NDJSON, strings.NewReader(payload), ingest.Options{Now: t0.AddDate(0, 0, 1)}); err != nil {
				t.Fatal(err)
			}
		}
		q, err := models.ParseQuery([]byte(`{"queryType":"backtest","improvement":{"source":{"queryType":"kpi","metric":"value","kpi":{"kpis":["availability"]},"bucket":"1m"},
			"candidates":[{"name":"burn","type":"burn_rate","objective":99,"long":"10m","short":"2m","factor":3}]}}`))
		if err != nil {
			t.Fatal(err)
		}
		env := query.Env{Store: st, From: t0, To: minute(60), Now: minute(60)}
		r, err := backtest.Compute(context.Background(), metrics.Engine().Series, env, q)
		if err != nil {
			t.Fatal(err)
		}
		row := r.Rows[0]
		if row.Alerts != 1 || row.AlertMinutes != 3 || row.IncidentsCaught != 1 || row.MedianDetectionDelay != 60 || row.Precision != 1 {
			t.Fatalf("row %+v", row)
		}
	})
}

func TestBacktestErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	load(t, st)
	env := query.Env{Store: st, From: t0, To: minute(120), Now: minute(120)}
	e := metrics.Engine()
	cases := []struct{ name, query, has string }{
		{"no source", `{"improvement":{"candidates":[]}}`, "improvement.source is missing"},
		{"no candidates", `{"improvement":{"source":` + source + `}}`, "improvement.candidates is missing"},
		{"empty candidates", `{"improvement":{"source":` + source + `,"candidates":[]}}`, "improvement.candidates: the list is empty"},
		{"misspelt candidate field", `{"improvement":{"source":` + source + `,"candidates":[{"name":"x","type":"threshold","op":"above","valeu":3}]}}`,
			`improvement.candidates: json: unknown field "valeu"`},
		{"bad op", `{"improvement":{"source":` + source + `,"candidates":[{"name":"x","type":"threshold","op":"over","value":3}]}}`,
			`improvement.candidates[0] "x": field "op": "over": use above or below`},
		{"bad lead", `{"improvement":{"source":` + source + `,"candidates":[{"type":"threshold","op":"above","value":3}],"lead":"soon"}}`, `improvement.lead "soon"`},
		{"negative lead", `{"improvement":{"source":` + source + `,"candidates":[{"type":"threshold","op":"above","value":3}],"lead":"-5m"}}`, `improvement.lead "-5m" is negative`},
		{"source without buckets", `{"improvement":{"source":{"queryType":"kpi","kpi":{"kpis":["checkout_p95"]},"bucket":"none"},"candidates":[{"type":"threshold","op":"above","value":3}]}}`,
			"improvement.source.bucket is none"},
		{"source is not a series", `{"improvement":{"source":{"queryType":"annotations","bucket":"1m"},"candidates":[{"type":"threshold","op":"above","value":3}]}}`,
			`queryType "annotations" does not produce a series`},
		{"source with several series", `{"improvement":{"source":{"queryType":"incidents","metric":"count","bucket":"1m","groupBy":["service"]},"candidates":[{"type":"threshold","op":"above","value":3}]}}`,
			"gives 2 series (service=checkout, service=search); a backtest replays one"},
		{"burn rate on a series that is not an SLI", `{"improvement":{"source":` + source + `,"candidates":[{"name":"b","type":"burn_rate","objective":99.9,"long":"1h","short":"5m","factor":14.4}]}}`,
			"SLI 100 is outside 0..1"},
		{"incident filter not allowed", `{"filters":{"title":["x"]},"improvement":{"source":` + source + `,"candidates":[{"type":"threshold","op":"above","value":3}]}}`,
			`cannot filter on "title"`},
		{"unknown metric", `{"metric":"roc","improvement":{}}`, `unknown backtest metric "roc"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var raw map[string]any
			if err := json.Unmarshal([]byte(c.query), &raw); err != nil {
				t.Fatal(err)
			}
			raw["queryType"] = "backtest"
			b, _ := json.Marshal(raw)
			q, err := models.ParseQuery(b)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Run(context.Background(), env, q)
			if err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one containing %q", err, c.has)
			}
		})
	}
}
