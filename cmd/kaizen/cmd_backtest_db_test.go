package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestBacktestFromStore imports the hand-worked history of pkg/metrics/backtest
// and replays a backtest query with --db: the same rows the query type returns.
func TestBacktestFromStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	for kind, file := range map[string]string{"kpi-samples": "checkout_p95.ndjson", "incidents": "incidents.ndjson"} {
		if code, _, errOut := runCLI(t, "", "import", "--db", db, "--kind", kind, "../../pkg/metrics/backtest/testdata/"+file); code != 0 {
			t.Fatalf("import %s: exit %d: %s", kind, code, errOut)
		}
	}
	q := `{"queryType":"backtest","filters":{"service":["checkout"]},"improvement":{"lead":"5m",
		"source":{"queryType":"kpi","metric":"value","kpi":{"kpis":["checkout_p95"]},"bucket":"1m"},
		"candidates":[{"name":"low","type":"threshold","op":"above","value":200},{"name":"high","type":"threshold","op":"above","value":350,"for":"9m"}]}}`
	code, out, errOut := runCLI(t, "", "backtest", "--db", db, "--json", q, "--from", "2024-06-01T00:00:00Z", "--to", "2024-06-01T02:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got backtestOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Source != "KPI value (mean) · checkout_p95" || got.IntervalSeconds != 60 || got.SeriesPoints != 120 ||
		got.Incidents != 5 || got.LeadSeconds != 300 || len(got.Rows) != 2 {
		t.Fatalf("header %+v", got)
	}
	// See pkg/metrics/backtest: low catches A–D (7 alerts, 3 useful); high for 9m fires
	// on the 10th point of each run (A +540 s, B +420 s, C +240 s).
	low, high := got.Rows[0], got.Rows[1]
	if low.Alerts != 7 || low.AlertMinutes != 43 || low.IncidentsCaught != 4 || low.IncidentsMissed != 1 ||
		*low.Precision != 3.0/7 || *low.Recall != 0.8 || *low.MedianDetectionDelay != -60 {
		t.Errorf("low %+v", low)
	}
	if high.ForSeconds != 540 || high.Alerts != 3 || high.IncidentsCaught != 3 || *high.MedianDetectionDelay != 420 {
		t.Errorf("high %+v", high)
	}

	errCases := []struct {
		name string
		args []string
		code int
		has  string
	}{
		{"files and store mixed", []string{"--db", db, "--json", q, "--series", "s.csv"}, 2, "--db and --json replay a stored history"},
		{"lead given as a flag", []string{"--db", db, "--json", q, "--lead", "5m"}, 2, "the query carries improvement.lead"},
		{"no query", []string{"--db", db}, 2, "--db and --json go together"},
		{"another query type", []string{"--db", db, "--json", `{"queryType":"incidents"}`}, 2, `--json has queryType "incidents"`},
		{"bad JSON", []string{"--db", db, "--json", `{"queryType":`}, 2, "--json: query JSON"},
		{"bad range", []string{"--db", db, "--json", q, "--from", "2024-06-02T00:00:00Z", "--to", "2024-06-01T00:00:00Z"}, 2, "is not before"},
		{"bad candidate", []string{"--db", db, "--json", strings.Replace(q, `"op":"above","value":200`, `"op":"above"`, 1), "--from", "2024-06-01T00:00:00Z", "--to", "2024-06-01T02:00:00Z"},
			1, `improvement.candidates[0] "low": field "value": missing`},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"backtest"}, c.args...)...)
			if code != c.code || out != "" || !strings.Contains(errOut, c.has) {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, c.code, out, errOut, c.has)
			}
		})
	}
}
