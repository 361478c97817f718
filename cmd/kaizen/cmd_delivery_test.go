package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestImportAndQueryDeliveryAdoption: kaizen import of the delivery and adoption
// kinds, then kaizen query of each family, against the hand-worked sets.
func TestImportAndQueryDeliveryAdoption(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	for _, in := range []struct {
		kind, file string
		stored     string
	}{
		{"deployments", "../../pkg/metrics/delivery/testdata/deployments.ndjson", `"stored":13`},
		{"incidents", "../../pkg/metrics/delivery/testdata/incidents.ndjson", `"stored":3`},
		{"usage", "../../pkg/metrics/adoption/testdata/usage.ndjson", `"stored":10`},
		{"headcount", "../../pkg/metrics/adoption/testdata/headcount.csv", `"stored":5`},
	} {
		code, out, errOut := runCLI(t, "", "import", "--db", db, "--kind", in.kind, in.file)
		if code != 0 || !strings.Contains(out, in.stored) || !strings.Contains(out, `"rejected":[]`) {
			t.Fatalf("import %s: exit %d out %s err %s", in.kind, code, out, errOut)
		}
	}
	// A bad headcount row on stdin is reported with its line and field.
	code, out, _ := runCLI(t, "team,effective_at,headcount\nqa,2024-01-01,-3\n", "import", "--db", db, "--kind", "headcount", "--format", "csv", "-")
	if code != 0 || !strings.Contains(out, `"line":2`) || !strings.Contains(out, `"field":"headcount"`) {
		t.Fatalf("bad headcount: exit %d out %s", code, out)
	}

	query := func(q, from, to string) data.Frames {
		t.Helper()
		code, out, errOut := runCLI(t, "", "query", "--db", db, "--from", from, "--to", to, "--json", q)
		if code != 0 {
			t.Fatalf("query %s: exit %d: %s", q, code, errOut)
		}
		var frames data.Frames
		if err := json.Unmarshal([]byte(out), &frames); err != nil {
			t.Fatalf("query output %s: %v", out, err)
		}
		return frames
	}
	value := func(f *data.Field, i int) float64 {
		t.Helper()
		v, ok := f.ConcreteAt(i)
		if !ok {
			t.Fatalf("%s[%d] is null", f.Name, i)
		}
		return v.(float64)
	}

	// 5 failed of 9 production deployments in the week.
	frames := query(`{"queryType":"delivery","metric":"change_failure_rate","bucket":"none"}`, "2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z")
	if got := value(frames[0].Fields[0], 0); got != 5.0/9 {
		t.Fatalf("change failure rate %v, want 5/9", got)
	}
	// 5 users of 10 eligible people.
	frames = query(`{"queryType":"adoption","metric":"adoption_rate","bucket":"none"}`, "2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z")
	if got := value(frames[0].Fields[0], 0); got != 0.5 {
		t.Fatalf("adoption rate %v, want 0.5", got)
	}
	frames = query(`{"queryType":"annotations","metric":"deployments","filters":{"environment":["staging"]}}`, "2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z")
	if n, _ := frames[0].RowLen(); n != 2 {
		t.Fatalf("%d staging deployment annotations, want 2", n)
	}

	code, _, errOut := runCLI(t, "", "query", "--db", db, "--json", `{"queryType":"adoption","metric":"adoption_rate","adoption":{"window":"90d"}}`)
	if code != 1 || !strings.Contains(errOut, "adoption.window") {
		t.Fatalf("bad window: exit %d %s", code, errOut)
	}
}
