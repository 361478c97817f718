package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Definitions imported twice are versioned once per change; samples then answer a kpi query.
func TestImportKPIDefinitionsAndQuery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	defs := `{"id":"p95_latency","name":"Checkout p95 latency","unit":"ms","direction":"lower","target":200,"warning":300,"critical":400}
{"id":"broken","name":"Broken","direction":"lower","target":200,"warning":100}
`
	code, out, errOut := runCLI(t, defs, "import", "--db", db, "--kind", "kpi-definitions", "--format", "ndjson", "-")
	if code != 0 || !strings.Contains(out, `"created":1`) || !strings.Contains(out, `"field":"warning"`) {
		t.Fatalf("import exit %d out %s err %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, strings.Replace(defs, `"target":200,"warning":300`, `"target":250,"warning":300`, 1), "import", "--db", db, "--kind", "kpi-definitions", "--format", "ndjson", "-")
	if code != 0 || !strings.Contains(out, `"versioned":1`) {
		t.Fatalf("second import exit %d out %s", code, out)
	}
	code, out, errOut = runCLI(t, "", "import", "--db", db, "--kind", "kpi-samples", "../../pkg/metrics/kpi/testdata/samples.ndjson")
	if code != 0 || !strings.Contains(out, `"stored":12`) {
		t.Fatalf("samples exit %d out %s err %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "query", "--db", db, "--from", "2024-01-01T00:00:00Z", "--to", "2024-01-04T00:00:00Z",
		"--json", `{"queryType":"kpi","metric":"state","bucket":"1d","kpi":{"kpis":["p95_latency"]}}`)
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, errOut)
	}
	var frames data.Frames
	if err := json.Unmarshal([]byte(out), &frames); err != nil || len(frames) != 1 {
		t.Fatalf("query output %s (%v)", out, err)
	}
	// Version 2 takes effect now, so version 1 judges these 2024 samples (both warn at 300 and
	// are critical at 400): 150 ok, 300 at warning, mean 400 at critical.
	for i, w := range []float64{0, 1, 2} {
		if v, ok := frames[0].Fields[1].ConcreteAt(i); !ok || v.(float64) != w {
			t.Errorf("day %d state %v, want %v", i, v, w)
		}
	}
	code, _, errOut = runCLI(t, "", "import", "--db", db, "--kind", "kpi-definitions", "--format", "xml", "-")
	if code != 2 || !strings.Contains(errOut, "unknown format") {
		t.Fatalf("bad format: exit %d %s", code, errOut)
	}
}
