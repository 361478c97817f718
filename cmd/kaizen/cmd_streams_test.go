package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestStreamsImportAndFlowQuery: define the hand-worked streams, import items and
// transitions (rollups recomputed on import), query the value stream's lead time.
func TestStreamsImportAndFlowQuery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	td := "../../pkg/metrics/flow/testdata/"
	for _, args := range [][]string{
		{"streams", "--db", db, "put", "delivery", td + "delivery.json"},
		{"streams", "--db", db, "put", "ops", td + "ops.json"},
		{"import", "--db", db, "--kind", "transitions", td + "hand_transitions.ndjson"},
		{"import", "--db", db, "--kind", "work_items", td + "hand_items.ndjson"},
	} {
		if code, out, errOut := runCLI(t, "", args...); code != 0 {
			t.Fatalf("%v: exit %d %s %s", args, code, out, errOut)
		}
	}
	code, out, errOut := runCLI(t, "", "streams", "--db", db, "list")
	if code != 0 || !strings.Contains(out, `"name":"delivery"`) || !strings.Contains(out, `"wip_limit":2`) {
		t.Fatalf("list: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "query", "--db", db, "--from", "2024-01-01T00:00:00Z", "--to", "2024-01-04T00:00:00Z",
		"--json", `{"queryType":"flow","metric":"lead_time","bucket":"1d"}`)
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, errOut)
	}
	var frames data.Frames
	if err := json.Unmarshal([]byte(out), &frames); err != nil || len(frames) != 1 {
		t.Fatalf("query output %s (%v)", out, err)
	}
	for i, w := range []float64{12 * 3600, 24 * 3600, 9 * 3600} {
		if v, ok := frames[0].Fields[1].ConcreteAt(i); !ok || v.(float64) != w {
			t.Errorf("bucket %d = %v, want %v", i, v, w)
		}
	}
	if code, out, _ = runCLI(t, "", "streams", "--db", db, "rebuild"); code != 0 || !strings.Contains(out, `"recomputed_items":5`) {
		t.Fatalf("rebuild: %d %s", code, out)
	}
	if code, _, errOut = runCLI(t, `{"stages":[{"name":"Dev","kind":"queue"}]}`, "streams", "--db", db, "put", "x", "-"); code != 1 || !strings.Contains(errOut, `stages[0].kind "queue"`) {
		t.Fatalf("bad definition: %d %s", code, errOut)
	}
	if code, _, errOut = runCLI(t, "", "streams", "--db", db, "delete", "nope"); code != 1 || !strings.Contains(errOut, `no value stream "nope"`) {
		t.Fatalf("delete unknown: %d %s", code, errOut)
	}
	if code, _, _ = runCLI(t, "", "streams", "--db", db, "frobnicate"); code != 2 {
		t.Fatalf("bad action exit %d, want 2", code)
	}
}
