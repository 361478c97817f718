package alertquality_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/alertquality"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked day, 2024-03-11 (pkg/ingest/testdata/alertmanager_sequence.json,
// every notification received at its recorded time, and testdata/incidents.ndjson):
//
//	alert                 fired          resolved    notes
//	HighLatency #1        09:00          09:03       3m: short-lived
//	HighLatency #2        09:10          09:12       7m after #1 resolved: flapping; 2m: short-lived
//	HighLatency #3        10:00          10:30       48m after #2: not flapping at 30m; acknowledged
//	DiskFull (search)     09:05:00.250   open        3 notifications (repeat_interval); linked to INC-2 (search, 09:20–09:40) within 30m
//	HighErrorRate checkout 11:00         11:45       linked to INC-1 (checkout, 10:58–11:50)
//	HighErrorRate cart     11:00:10      11:04       3m50s, resolved inside a firing group: short-lived
//
// 6 alerts, 14 notifications, 1 flapping, 3 short-lived, 3 actionable (ratio 0.5).
// The incidents Alertmanager opened itself never make an alert actionable: each
// alert would otherwise be linked to its own incident.
var (
	day    = time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)
	dayEnd = day.Add(24 * time.Hour)
)

type notification struct {
	ReceivedAt time.Time       `json:"received_at"`
	Payload    json.RawMessage `json:"payload"`
}

func load(t *testing.T, st store.Store) {
	t.Helper()
	b, err := os.ReadFile("../../ingest/testdata/alertmanager_sequence.json")
	if err != nil {
		t.Fatal(err)
	}
	var seq []notification
	if err := json.Unmarshal(b, &seq); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, n := range seq {
		p, err := ingest.ParseAlertmanager(bytes.NewReader(n.Payload))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ingest.IngestAlertmanager(ctx, st, p, n.ReceivedAt); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("testdata/incidents.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kind, _ := ingest.DefaultKinds().Get("incidents")
	res, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, f, ingest.Options{Now: dayEnd.AddDate(0, 1, 0)})
	if err != nil || res.Stored != 8 {
		t.Fatalf("incidents: %+v %v", res, err)
	}
	// A responder acknowledges the incident HighLatency #3 opened (as a paging tool
	// would through the incidents API).
	if _, err := st.ExecContext(ctx, `UPDATE incidents SET acknowledged_at = started_at + 120000 WHERE source = 'alertmanager' AND id = $1`,
		"a1a1a1a1a1a1a1a1@2024-03-11T10:00:00Z"); err != nil {
		t.Fatal(err)
	}
}

func f(v float64) *float64 { return &v }

type series struct {
	group  []string
	times  []time.Time
	values []*float64
}

func TestAlertQuality(t *testing.T) {
	imp := func(o models.ImprovementOptions) *models.ImprovementOptions { return &o }
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	cases := []struct {
		name     string
		from, to time.Time
		q        models.Query
		want     []series
	}{
		{"alerts in the day: repeats are not new alerts", day, dayEnd,
			models.Query{Metric: "alerts", Bucket: "none"}, []series{{nil, nil, []*float64{f(6)}}}},
		{"a stat left by the editor does not change a count", day, dayEnd,
			models.Query{Metric: "alerts", Stat: "mean", Bucket: "none"}, []series{{nil, nil, []*float64{f(6)}}}},
		{"alerts per service per day", day, dayEnd,
			models.Query{Metric: "alerts", Bucket: "1d", GroupBy: []string{"service"}},
			[]series{{[]string{"cart"}, nil, []*float64{f(1)}}, {[]string{"checkout"}, nil, []*float64{f(4)}}, {[]string{"search"}, nil, []*float64{f(1)}}}},
		{"notifications count every delivery of every alert", day, dayEnd,
			models.Query{Metric: "notifications", Bucket: "none"}, []series{{nil, nil, []*float64{f(14)}}}},
		{"flapping at the default 30 minutes: #2 only", day, dayEnd,
			models.Query{Metric: "flapping", Bucket: "none"}, []series{{nil, nil, []*float64{f(1)}}}},
		{"flapping at 60 minutes: #3 (48m) too", day, dayEnd,
			models.Query{Metric: "flapping", Bucket: "none", Improvement: imp(models.ImprovementOptions{FlapMinutes: f(60)})}, []series{{nil, nil, []*float64{f(2)}}}},
		{"flapping at 5 minutes: none (7m gap)", day, dayEnd,
			models.Query{Metric: "flapping", Bucket: "none", Improvement: imp(models.ImprovementOptions{FlapMinutes: f(5)})}, []series{{nil, nil, []*float64{f(0)}}}},
		{"flapping looks back before the range for the previous firing", at("2024-03-11T09:05:00Z"), dayEnd,
			models.Query{Metric: "flapping", Bucket: "none"}, []series{{nil, nil, []*float64{f(1)}}}},
		{"short-lived at 5 minutes: #1, #2 and cart", day, dayEnd,
			models.Query{Metric: "short_lived", Bucket: "none"}, []series{{nil, nil, []*float64{f(3)}}}},
		{"short-lived at 3 minutes: #1 (exactly 3m) and #2", day, dayEnd,
			models.Query{Metric: "short_lived", Bucket: "none", Improvement: imp(models.ImprovementOptions{ShortMinutes: f(3)})}, []series{{nil, nil, []*float64{f(2)}}}},
		{"actionable: acknowledged #3, DiskFull and checkout linked: 3/6", day, dayEnd,
			models.Query{Metric: "actionable_ratio", Bucket: "none"}, []series{{nil, nil, []*float64{f(0.5)}}}},
		{"actionable with a 10 minute link window: DiskFull (15m before INC-2) is not linked: 2/6", day, dayEnd,
			models.Query{Metric: "actionable_ratio", Bucket: "none", Improvement: imp(models.ImprovementOptions{LinkMinutes: f(10)})}, []series{{nil, nil, []*float64{f(2.0 / 6)}}}},
		{"actionable per alert name", day, dayEnd,
			models.Query{Metric: "actionable_ratio", Bucket: "none", GroupBy: []string{"alertname"}},
			[]series{{[]string{"DiskFull"}, nil, []*float64{f(1)}}, {[]string{"HighErrorRate"}, nil, []*float64{f(0.5)}}, {[]string{"HighLatency"}, nil, []*float64{f(1.0 / 3)}}}},
		{"actionable ratio without alerts has no value", dayEnd, dayEnd.Add(24 * time.Hour),
			models.Query{Metric: "actionable_ratio", Bucket: "none"}, []series{{nil, nil, []*float64{nil}}}},
		{"filtered to checkout", day, dayEnd,
			models.Query{Metric: "alerts", Bucket: "none", Filters: map[string][]string{"service": {"checkout"}}}, []series{{nil, nil, []*float64{f(4)}}}},
		// 12h shifts handing over at 10:30 UTC: [22:30, 10:30) holds #1, #2, DiskFull, #3;
		// [10:30, 22:30) the two HighErrorRate alerts.
		{"alerts per 12h shift handing over at 10:30", day, dayEnd,
			models.Query{Metric: "alerts", Bucket: "shift", Improvement: imp(models.ImprovementOptions{Shift: "12h", Handover: "10:30"})},
			[]series{{nil, []time.Time{at("2024-03-10T22:30:00Z"), at("2024-03-11T10:30:00Z"), at("2024-03-11T22:30:00Z")}, []*float64{f(4), f(2), f(0)}}}},
		{"notifications per 12h shift, by arrival", day, dayEnd,
			models.Query{Metric: "notifications", Bucket: "shift", Improvement: imp(models.ImprovementOptions{Shift: "12h", Handover: "10:30"})},
			[]series{{nil, nil, []*float64{f(6), f(8), f(0)}}}},
		// 10:30+01:00 is 09:30Z: #1, DiskFull, #2 before; #3 and HighErrorRate after.
		{"daily shifts from an RFC 3339 handover", day, dayEnd,
			models.Query{Metric: "alerts", Bucket: "shift", Improvement: imp(models.ImprovementOptions{Shift: "1d", Handover: "2024-03-04T10:30:00+01:00"})},
			[]series{{nil, []time.Time{at("2024-03-10T09:30:00Z"), at("2024-03-11T09:30:00Z")}, []*float64{f(3), f(3)}}}},
		// 2024-03-11 is a Monday: the weekly shift hands over at 09:00, when #1 fires.
		{"weekly shifts hand over on Mondays; an alert at the handover opens the new shift", day, dayEnd,
			models.Query{Metric: "alerts", Bucket: "shift"},
			[]series{{nil, []time.Time{at("2024-03-04T09:00:00Z"), at("2024-03-11T09:00:00Z")}, []*float64{f(0), f(6)}}}},
		// Detection (testdata/incidents.ndjson, source api): 03-12 D1 monitoring, D2
		// customer, D3 synthetic, D5 unknown; 03-13 D4 staff, D6 customer; 03-14 none.
		{"detection coverage per day: 2/3, 0/2, none", at("2024-03-12T00:00:00Z"), at("2024-03-15T00:00:00Z"),
			models.Query{Metric: "detection_coverage", Bucket: "1d", Filters: map[string][]string{"source": {"api"}}},
			[]series{{nil, nil, []*float64{f(2.0 / 3), f(0), nil}}}},
		{"detection coverage per service: api 1/3 (D1 of D1 D2 D4), web 1/2 (D3 of D3 D6)", at("2024-03-12T00:00:00Z"), at("2024-03-15T00:00:00Z"),
			models.Query{Metric: "detection_coverage", Bucket: "none", GroupBy: []string{"service"}, Filters: map[string][]string{"source": {"api"}}},
			[]series{{[]string{"api"}, nil, []*float64{f(1.0 / 3)}}, {[]string{"web"}, nil, []*float64{f(0.5)}}}},
		{"share per detection source per day: 1/3 each, then customer and staff 1/2, then none", at("2024-03-12T00:00:00Z"), at("2024-03-15T00:00:00Z"),
			models.Query{Metric: "detection_share", Bucket: "1d", Filters: map[string][]string{"source": {"api"}}},
			[]series{{[]string{"customer"}, nil, []*float64{f(1.0 / 3), f(0.5), nil}}, {[]string{"monitoring"}, nil, []*float64{f(1.0 / 3), f(0), nil}},
				{[]string{"staff"}, nil, []*float64{f(0), f(0.5), nil}}, {[]string{"synthetic"}, nil, []*float64{f(1.0 / 3), f(0), nil}}}},
		{"share per detection source within each service", at("2024-03-12T00:00:00Z"), at("2024-03-15T00:00:00Z"),
			models.Query{Metric: "detection_share", Bucket: "none", GroupBy: []string{"service", "detected_by"}, Filters: map[string][]string{"source": {"api"}}},
			[]series{{[]string{"api", "customer"}, nil, []*float64{f(1.0 / 3)}}, {[]string{"api", "monitoring"}, nil, []*float64{f(1.0 / 3)}},
				{[]string{"api", "staff"}, nil, []*float64{f(1.0 / 3)}}, {[]string{"web", "customer"}, nil, []*float64{f(0.5)}},
				{[]string{"web", "synthetic"}, nil, []*float64{f(0.5)}}}},
		{"MTTD per detection source: unknown 600, customer (1800+2700)/2, monitoring 60, staff 900, synthetic 30", at("2024-03-12T00:00:00Z"), at("2024-03-15T00:00:00Z"),
			models.Query{Metric: "detection_mttd", Bucket: "none", Filters: map[string][]string{"source": {"api"}}},
			[]series{{[]string{""}, nil, []*float64{f(600)}}, {[]string{"customer"}, nil, []*float64{f(2250)}}, {[]string{"monitoring"}, nil, []*float64{f(60)}},
				{[]string{"staff"}, nil, []*float64{f(900)}}, {[]string{"synthetic"}, nil, []*float64{f(30)}}}},
		{"MTTD per detection source, max", at("2024-03-12T00:00:00Z"), at("2024-03-15T00:00:00Z"),
			models.Query{Metric: "detection_mttd", Stat: "max", Bucket: "none", Filters: map[string][]string{"detected_by": {"customer"}}},
			[]series{{[]string{"customer"}, nil, []*float64{f(2700)}}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		load(t, st)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				env := query.Env{Store: st, From: c.from, To: c.to, Now: c.to}
				c.q.QueryType = models.QueryTypeAlerts
				c.q.Normalize()
				res, err := alertquality.Compute(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				checkSeries(t, res, c.want)
			})
		}
	})
}

func checkSeries(t *testing.T, res query.Result, want []series) {
	t.Helper()
	if len(res.Series) != len(want) {
		t.Fatalf("%d series %+v, want %d", len(res.Series), res.Series, len(want))
	}
	for i, w := range want {
		got := res.Series[i]
		if w.group != nil && strings.Join(got.Group, "/") != strings.Join(w.group, "/") {
			t.Errorf("series %d group %v, want %v", i, got.Group, w.group)
		}
		if w.times != nil {
			if len(got.Times) != len(w.times) {
				t.Fatalf("series %d times %v, want %v", i, got.Times, w.times)
			}
			for j := range w.times {
				if !got.Times[j].Equal(w.times[j]) {
					t.Errorf("series %d bucket %d starts %s, want %s", i, j, got.Times[j], w.times[j])
				}
			}
		}
		if len(got.Values) != len(w.values) {
			t.Fatalf("series %v: %d values, want %d", got.Group, len(got.Values), len(w.values))
		}
		for j, wv := range w.values {
			gv := got.Values[j]
			if (gv == nil) != (wv == nil) || (gv != nil && math.Abs(*gv-*wv) > 1e-9) {
				t.Errorf("series %v value %d = %s, want %s", got.Group, j, show(gv), show(wv))
			}
		}
	}
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	b, _ := json.Marshal(*v)
	return string(b)
}

func TestNoisyAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		load(t, st)
		env := query.Env{Store: st, From: day, To: dayEnd, Now: dayEnd}
		run := func(q models.Query) *data.Frame {
			t.Helper()
			q.QueryType, q.Metric = models.QueryTypeAlerts, "noisy"
			q.Normalize()
			frames, err := alertquality.Frames(context.Background(), env, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(frames) != 1 {
				t.Fatalf("%d frames", len(frames))
			}
			return frames[0]
		}
		// HighLatency: 3 alerts, 6 notifications, 1 flapping, 2 short-lived, 1 acknowledged,
		// median of 180 s, 120 s, 1800 s = 180 s. HighErrorRate: 2, 5, 0, 1 (cart), 1
		// (checkout, linked), median of 2700 s and 230 s = 1465 s. DiskFull: 1, 3, 0, 0, 1
		// (linked), still firing: no median.
		fr := run(models.Query{})
		want := "alertname,alerts,notifications,flapping,short_lived,actionable,actionable_ratio,median_duration"
		if got := strings.Join(fieldNames(fr), ","); got != want {
			t.Fatalf("fields %s, want %s", got, want)
		}
		rows := tableRows(fr)
		wantRows := []string{
			"HighLatency 3 6 1 2 1 0.3333 180",
			"HighErrorRate 2 5 0 1 1 0.5000 1465",
			"DiskFull 1 3 0 0 1 1.0000 null",
		}
		if strings.Join(rows, "\n") != strings.Join(wantRows, "\n") {
			t.Fatalf("rows\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
		}
		if fr.Fields[6].Config.Unit != "percentunit" || fr.Fields[7].Config.Unit != "s" {
			t.Errorf("units %+v %+v", fr.Fields[6].Config, fr.Fields[7].Config)
		}
		// By service, top 3: ties in alerts fall to notifications (3 vs 2), then names.
		fr = run(models.Query{GroupBy: []string{"service"}, Improvement: &models.ImprovementOptions{Top: 3}})
		rows = tableRows(fr)
		wantRows = []string{
			"HighLatency checkout 3 6 1 2 1 0.3333 180",
			"DiskFull search 1 3 0 0 1 1.0000 null",
			"HighErrorRate checkout 1 3 0 0 1 1.0000 2700",
		}
		if strings.Join(rows, "\n") != strings.Join(wantRows, "\n") {
			t.Fatalf("rows by service\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
		}
		// No alerts: the schema stays, with no rows.
		env.From, env.To = dayEnd, dayEnd.Add(time.Hour)
		if fr = run(models.Query{}); fr.Rows() != 0 || len(fr.Fields) != 8 {
			t.Fatalf("empty range: %d rows, %d fields", fr.Rows(), len(fr.Fields))
		}
	})
}

func fieldNames(fr *data.Frame) []string {
	var out []string
	for _, f := range fr.Fields {
		out = append(out, f.Name)
	}
	return out
}

// tableRows prints each row as space-separated cells (ratios to 4 decimals).
func tableRows(fr *data.Frame) []string {
	var out []string
	for r := 0; r < fr.Rows(); r++ {
		var cells []string
		for _, fl := range fr.Fields {
			switch v := fl.At(r).(type) {
			case string:
				cells = append(cells, v)
			case int64:
				cells = append(cells, jsonText(v))
			case *float64:
				switch {
				case v == nil:
					cells = append(cells, "null")
				case fl.Name == "actionable_ratio":
					cells = append(cells, strconvF(*v))
				default:
					cells = append(cells, jsonText(*v))
				}
			}
		}
		out = append(out, strings.Join(cells, " "))
	}
	return out
}

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

func strconvF(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

func TestAlertQualityErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	env := query.Env{Store: st, From: day, To: dayEnd}
	cases := []struct {
		name, has string
		q         models.Query
	}{
		{"unknown metric", `unknown alerts metric "pages"`, models.Query{Metric: "pages"}},
		{"alert dimension on a detection metric", `cannot group by "alertname"`, models.Query{Metric: "detection_coverage", GroupBy: []string{"alertname"}}},
		{"incident dimension on an alert metric", `cannot filter on "detected_by"`, models.Query{Metric: "alerts", Filters: map[string][]string{"detected_by": {"customer"}}}},
		{"bad stat for MTTD", `unknown stat "average"`, models.Query{Metric: "detection_mttd", Stat: "average"}},
		{"negative flap window", "improvement.flapMinutes -1", models.Query{Metric: "flapping", Improvement: &models.ImprovementOptions{FlapMinutes: f(-1)}}},
		{"zero short window", "improvement.shortMinutes 0", models.Query{Metric: "short_lived", Improvement: &models.ImprovementOptions{ShortMinutes: f(0)}}},
		{"shift too short", `improvement.shift "30m"`, models.Query{Metric: "alerts", Bucket: "shift", Improvement: &models.ImprovementOptions{Shift: "30m"}}},
		{"bad handover", `improvement.handover "25:00"`, models.Query{Metric: "alerts", Bucket: "shift", Improvement: &models.ImprovementOptions{Handover: "25:00"}}},
		{"handover without a zone", `improvement.handover "2024-03-04T09:00:00"`, models.Query{Metric: "alerts", Bucket: "shift", Improvement: &models.ImprovementOptions{Handover: "2024-03-04T09:00:00"}}},
		{"too many rows", "improvement.top 5000", models.Query{Metric: "noisy", Improvement: &models.ImprovementOptions{Top: 5000}}},
		{"noisy is not a series", "noisy is a table", models.Query{Metric: "noisy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Normalize()
			_, err := alertquality.Compute(context.Background(), env, c.q)
			if c.q.Metric == "noisy" && !strings.Contains(c.has, "table") {
				_, err = alertquality.Frames(context.Background(), env, c.q)
			}
			if err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one containing %q", err, c.has)
			}
		})
	}
}
