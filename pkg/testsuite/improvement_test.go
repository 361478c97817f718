package testsuite

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/store/storetest"
)

// eachStore runs fn against the executable on every available store: the embedded
// SQLite store, and PostgreSQL when storetest.PostgresEnv names one (each run on a
// schema of its own).
func eachStore(t *testing.T, fn func(t *testing.T, p *pluginProcess)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, startPlugin(t, nil, map[string]string{"ingestToken": "contract-token"}))
	})
	if os.Getenv(storetest.PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) {
			jsonData, secure := postgresSettings(storetest.PostgresConfig(t))
			fn(t, startPlugin(t, jsonData, secure))
		})
	}
}

// TestImprovementContract drives the postmortems, alerts and backtest query types
// through the real executable over gRPC, on every store: ingestion through the
// resource API (roles and the ingest token checked), Alertmanager's webhook replayed
// from pkg/ingest/testdata/alertmanager_sequence.json, then frames checked against
// the hand-worked sets of pkg/metrics/{postmortems,alertquality,backtest}.
func TestImprovementContract(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var sequence []struct {
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(read("../ingest/testdata/alertmanager_sequence.json"), &sequence); err != nil {
		t.Fatal(err)
	}
	eachStore(t, func(t *testing.T, p *pluginProcess) {
		ingestOK := func(path, query string, body []byte, stored int) {
			t.Helper()
			if status, out := p.callResource(t, "Viewer", "POST", path, query, nil, body); status != 403 {
				t.Fatalf("viewer %s: %d %s", path, status, out)
			}
			status, out := p.callResource(t, "Editor", "POST", path, query, nil, body)
			if status != 200 || !strings.Contains(string(out), fmt.Sprintf(`"stored":%d`, stored)) {
				t.Fatalf("editor %s: %d %s", path, status, out)
			}
		}
		ingestOK("ingest/incidents", "format=ndjson", read("../metrics/postmortems/testdata/incidents.ndjson"), 11)
		ingestOK("ingest/postmortems", "format=csv", read("../metrics/postmortems/testdata/postmortems.csv"), 9)
		ingestOK("ingest/action_items", "format=ndjson", read("../metrics/postmortems/testdata/action_items.ndjson"), 8)
		ingestOK("ingest/incidents", "format=ndjson", read("../metrics/alertquality/testdata/incidents.ndjson"), 8)
		for i, n := range sequence {
			status, out := p.callResource(t, "", "POST", "webhooks/alertmanager", "", map[string]string{"X-Kaizen-Ingest-Token": "contract-token"}, n.Payload)
			if status != 200 || strings.Contains(string(out), `"field"`) {
				t.Fatalf("notification %d: %d %s", i, status, out)
			}
		}
		// A paging tool records the acknowledgement of the incident HighLatency #3 opened.
		ingestOK("ingest/incidents", "", []byte(`[{"source":"alertmanager","id":"a1a1a1a1a1a1a1a1@2024-03-11T10:00:00Z","service":"checkout","started_at":"2024-03-11T10:00:00Z",
			"detected_at":"2024-03-11T10:00:00Z","acknowledged_at":"2024-03-11T10:02:00Z","resolved_at":"2024-03-11T10:30:00Z","detected_by":"monitoring"}]`), 1)
		var samples, backtestIncidents strings.Builder
		t0 := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
		minute := func(m int) string { return t0.Add(time.Duration(m) * time.Minute).Format(time.RFC3339) }
		for m := 0; m < 120; m++ {
			v := 100
			switch {
			case m >= 20 && m <= 29:
				v = 400
			case m == 40:
				v = 250
			case m >= 50 && m <= 65:
				v = 500
			}
			fmt.Fprintf(&samples, `{"kpi":"checkout_p95","at":%q,"value":%d}`+"\n", minute(m), v)
		}
		for _, inc := range [][3]any{{"A", 20, 30}, {"B", 52, 70}, {"D", 80, 85}} {
			fmt.Fprintf(&backtestIncidents, `{"id":"BT-%s","service":"checkout","started_at":%q,"resolved_at":%q}`+"\n", inc[0], minute(inc[1].(int)), minute(inc[2].(int)))
		}
		ingestOK("ingest/kpi-samples", "format=ndjson", []byte(samples.String()), 120)
		ingestOK("ingest/incidents", "format=ndjson", []byte(backtestIncidents.String()), 3)

		april, may := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		day := time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)

		t.Run("overdue action items at each week's end", func(t *testing.T) {
			frames := decodeFrames(t, p.queryData(t, "A", `{"queryType":"postmortems","metric":"overdue_actions","bucket":"1w"}`, april, may, time.Hour))
			if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti || frames[0].RefID != "A" {
				t.Fatalf("frames %d %+v", len(frames), frames[0].Meta)
			}
			v := frames[0].Fields[1]
			if v.Name != "overdue_actions" || v.Config.DisplayNameFromDS != "Overdue action items" || v.Config.Unit != "short" {
				t.Fatalf("field %s %+v", v.Name, v.Config)
			}
			checkValues(t, v, []*float64{fp(0), fp(1), fp(1), fp(1), fp(3)})
		})

		t.Run("sev1 postmortem coverage as a number; I5 is due by now", func(t *testing.T) {
			frames := decodeFrames(t, p.queryData(t, "B", `{"queryType":"postmortems","metric":"postmortem_coverage","bucket":"none","improvement":{"minSeverity":"sev1"}}`, april, may, 0))
			if frames[0].Meta.Type != data.FrameTypeNumericMulti || frames[0].Fields[0].Config.Unit != "percentunit" {
				t.Fatalf("meta %+v config %+v", frames[0].Meta, frames[0].Fields[0].Config)
			}
			checkValues(t, frames[0].Fields[0], []*float64{fp(0.75)})
		})

		t.Run("alerts per service: repeat notifications are not new alerts", func(t *testing.T) {
			frames := decodeFrames(t, p.queryData(t, "C", `{"queryType":"alerts","metric":"alerts","bucket":"1d","groupBy":["service"]}`, day, day.Add(24*time.Hour), time.Hour))
			got := map[string]float64{}
			for _, f := range frames {
				got[f.Fields[1].Labels["service"]] = *f.Fields[1].At(0).(*float64)
			}
			if len(frames) != 3 || got["checkout"] != 4 || got["search"] != 1 || got["cart"] != 1 {
				t.Fatalf("alerts per service %v", got)
			}
		})

		t.Run("actionable ratio and the noisy alerts table", func(t *testing.T) {
			frames := decodeFrames(t, p.queryData(t, "D", `{"queryType":"alerts","metric":"actionable_ratio","bucket":"none"}`, day, day.Add(24*time.Hour), 0))
			checkValues(t, frames[0].Fields[0], []*float64{fp(0.5)})
			frames = decodeFrames(t, p.queryData(t, "E", `{"queryType":"alerts","metric":"noisy","improvement":{"top":2}}`, day, day.Add(24*time.Hour), 0))
			f := frames[0]
			if f.Rows() != 2 || f.Fields[0].At(0) != "HighLatency" || f.Fields[1].At(0) != int64(3) || f.Fields[2].At(0) != int64(6) ||
				f.Fields[3].At(0) != int64(1) || f.Fields[0].At(1) != "HighErrorRate" {
				t.Fatalf("noisy %v rows: %v %v %v %v", f.Rows(), f.Fields[0].At(0), f.Fields[1].At(0), f.Fields[2].At(0), f.Fields[3].At(0))
			}
		})

		t.Run("backtest scores as a table", func(t *testing.T) {
			q := `{"queryType":"backtest","filters":{"service":["checkout"]},"improvement":{"lead":"5m",
				"source":{"queryType":"kpi","metric":"value","kpi":{"kpis":["checkout_p95"]},"bucket":"1m"},
				"candidates":[{"name":"low","type":"threshold","op":"above","value":200},{"name":"high for 9m","type":"threshold","op":"above","value":350,"for":"9m"}]}}`
			frames := decodeFrames(t, p.queryData(t, "F", q, t0, t0.Add(2*time.Hour), time.Minute))
			f := frames[0]
			if strings.Join(fieldNames(f), ",") != "candidate,condition,for,alerts,alert_minutes,useful_alerts,incidents_caught,incidents_missed,median_detection_delay,precision,recall" {
				t.Fatalf("fields %v", fieldNames(f))
			}
			// low: 3 alerts (m20, m40, m50), A and B caught at once (−120 s for B with the lead),
			// D missed: precision 2/3, recall 2/3. high for 9m: m29 and m59: A +540 s, B +420 s.
			checkValues(t, f.Fields[9], []*float64{fp(2.0 / 3), fp(1)})
			checkValues(t, f.Fields[10], []*float64{fp(2.0 / 3), fp(2.0 / 3)})
			checkValues(t, f.Fields[8], []*float64{fp(-60), fp(480)})
			if f.Fields[3].At(0) != int64(3) || f.Fields[7].At(1) != int64(1) {
				t.Fatalf("alerts %v missed %v", f.Fields[3].At(0), f.Fields[7].At(1))
			}
		})

		t.Run("a bad backtest is that query's error", func(t *testing.T) {
			r := p.queryData(t, "G", `{"queryType":"backtest","improvement":{"source":{"queryType":"kpi","kpi":{"kpis":["checkout_p95"]},"bucket":"1m"},"candidates":[{"type":"threshold","op":"over","value":1}]}}`, t0, t0.Add(time.Hour), 0)
			if r.Status != 400 || !strings.Contains(r.Error, `improvement.candidates[0] "": field "op": "over": use above or below`) {
				t.Fatalf("status %d error %q", r.Status, r.Error)
			}
		})
	})
}
