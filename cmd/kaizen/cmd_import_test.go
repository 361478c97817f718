package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestImportAndQuery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	code, out, errOut := runCLI(t, "", "import", "--db", db, "--kind", "incidents", "../../pkg/metrics/incidents/testdata/hand.ndjson")
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	var summary struct {
		Stored   int               `json:"stored"`
		Rejected []json.RawMessage `json:"rejected"`
	}
	if err := json.Unmarshal([]byte(out), &summary); err != nil || summary.Stored != 5 || len(summary.Rejected) != 0 {
		t.Fatalf("import summary %s (%v)", out, err)
	}

	// A CSV on stdin with one bad row: the good row is stored, the bad one reported.
	csv := "id,service,started_at,resolved_at\nX1,api,2024-01-02T00:00:00Z,2024-01-02T00:30:00Z\nX2,api,2024-01-02T00:00:00,\n"
	code, out, errOut = runCLI(t, csv, "import", "--db", db, "--kind", "incidents", "--format", "csv", "-")
	if code != 0 || !strings.Contains(out, `"stored":1`) || !strings.Contains(out, `"line":3`) || !strings.Contains(out, "no time zone") {
		t.Fatalf("csv import exit %d out %s err %s", code, out, errOut)
	}

	code, out, errOut = runCLI(t, "", "query", "--db", db, "--from", "2024-01-01T00:00:00Z", "--to", "2024-01-04T00:00:00Z",
		"--json", `{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d"}`)
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, errOut)
	}
	var frames data.Frames
	if err := json.Unmarshal([]byte(out), &frames); err != nil || len(frames) != 1 {
		t.Fatalf("query output %s (%v)", out, err)
	}
	// Jan 2 now holds X1 (30 minutes).
	want := []float64{5400, 1800, 1860}
	for i, w := range want {
		v, ok := frames[0].Fields[1].ConcreteAt(i)
		if !ok || v.(float64) != w {
			t.Errorf("bucket %d = %v, want %v", i, v, w)
		}
	}
}

func TestCLIErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		has  string
	}{
		{"no command", nil, 2, "usage"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"import without db", []string{"import", "--kind", "incidents", "x.json"}, 2, "--db"},
		{"import unknown kind", []string{"import", "--db", db, "--kind", "outages", "x.json"}, 2, "known kinds"},
		{"import unreadable file", []string{"import", "--db", db, "--kind", "incidents", "/nonexistent/x.json"}, 1, "reading input"},
		{"import malformed JSON", []string{"import", "--db", db, "--kind", "incidents", bad}, 1, "malformed JSON"},
		{"import bad format", []string{"import", "--db", db, "--kind", "incidents", "--format", "xml", bad}, 2, "unknown format"},
		{"query bad JSON", []string{"query", "--db", db, "--json", "{"}, 2, "query JSON"},
		{"query bad metric", []string{"query", "--db", db, "--json", `{"queryType":"incidents","metric":"mtbf"}`}, 1, "mtbf"},
		{"query bad time", []string{"query", "--db", db, "--from", "yesterday", "--json", `{"queryType":"incidents"}`}, 2, "--from"},
		{"query unknown type", []string{"query", "--db", db, "--json", `{"queryType":"weather"}`}, 1, "unknown queryType"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", c.args...)
			if code != c.code || !strings.Contains(errOut, c.has) {
				t.Fatalf("exit %d stderr %q; want exit %d mentioning %q", code, errOut, c.code, c.has)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "kaizen") && !strings.HasPrefix(last, "usage") && !strings.HasPrefix(last, "  ") {
				t.Fatalf("last stderr line %q is not a one-line error", last)
			}
		})
	}
}
