package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/metrics/slo"
)

const checkoutSLO = `{"id":"checkout","name":"Checkout availability","service":"shop","objective":99.9,"window":"30d",
	"sla":{"period":"month","tiers":[{"below":99.9,"credit":10},{"below":99,"credit":25}],"contract_value":12000,"currency":"EUR"}}`

func decodeSLOWrite(t *testing.T, got captured) sloWrite {
	t.Helper()
	var out sloWrite
	if err := json.Unmarshal(got.body, &out); err != nil {
		t.Fatalf("response %s: %v", got.body, err)
	}
	return out
}

func TestSLOWritesNeedTheWriterRole(t *testing.T) {
	writes := []struct{ method, path, body string }{
		{http.MethodPost, "slos", checkoutSLO},
		{http.MethodPut, "slos/checkout", checkoutSLO},
		{http.MethodPost, "slos/checkout/retire", ""},
		{http.MethodPost, "slos/checkout/restore", ""},
		{http.MethodDelete, "slos/checkout", ""},
		{http.MethodPost, "ingest/sli", `[{"slo":"checkout","at":"2024-05-01T10:00:00Z","duration":"1m","good":1,"total":1}]`},
	}
	ds := newTestDatasource(t, nil)
	for _, wr := range writes {
		for _, role := range []string{"Viewer", ""} {
			got := call(t, ds, wr.method, wr.path, role, nil, []byte(wr.body))
			if got.status != http.StatusForbidden {
				t.Errorf("%s %s as %q: %d %s", wr.method, wr.path, role, got.status, got.body)
			}
		}
	}
	defs, _ := slo.LoadDefinitions(context.Background(), ds.store, slo.Selection{IncludeRetired: true})
	counts, _ := ds.store.Counts(context.Background())
	if len(defs) != 0 || counts["sli_samples"] != 0 {
		t.Fatalf("refused writes stored %d SLOs and %d samples", len(defs), counts["sli_samples"])
	}
	// The ingest token writes like an editor.
	got := call(t, ds, http.MethodPost, "slos", "", map[string]string{IngestTokenHeader: "s3cret-token"}, []byte(checkoutSLO))
	if got.status != http.StatusCreated {
		t.Fatalf("create with the ingest token: %d %s", got.status, got.body)
	}
}

func TestSLOLifecycleThroughResources(t *testing.T) {
	ds := newTestDatasource(t, nil)
	got := call(t, ds, http.MethodPost, "slos", "Editor", nil, []byte(checkoutSLO))
	if w := decodeSLOWrite(t, got); got.status != http.StatusCreated || w.Outcome != "created" || w.SLO.SLA.Tiers[0].Below != 99.9 {
		t.Fatalf("create: %d %s", got.status, got.body)
	}
	if got := call(t, ds, http.MethodPost, "slos", "Editor", nil, []byte(checkoutSLO)); got.status != http.StatusConflict || !strings.Contains(string(got.body), "PUT slos/checkout") {
		t.Fatalf("second create: %d %s", got.status, got.body)
	}
	// PUT without an id in the body: the path names the SLO.
	got = call(t, ds, http.MethodPut, "slos/checkout", "Editor", nil, []byte(`{"service":"shop","objective":99.5,"calendar":"month"}`))
	if w := decodeSLOWrite(t, got); got.status != 200 || w.Outcome != "updated" || w.SLO.Objective != 99.5 || w.SLO.Calendar != "month" || w.SLO.SLA != nil {
		t.Fatalf("update: %d %s", got.status, got.body)
	}
	if got := call(t, ds, http.MethodPut, "slos/other", "Editor", nil, []byte(checkoutSLO)); got.status != http.StatusBadRequest || !strings.Contains(string(got.body), "differs") {
		t.Fatalf("id mismatch: %d %s", got.status, got.body)
	}
	// Samples through the SLI route are folded into the rollups straight away.
	got = call(t, ds, http.MethodPost, "ingest/sli?format=ndjson", "Editor", nil,
		[]byte(`{"slo":"checkout","at":"2024-05-01T10:00:00Z","duration":"1m","good":99,"total":100}`+"\n"+`{"slo":"checkout","at":"2024-05-01T10:01:00Z","duration":"1m","good":101,"total":100}`+"\n"))
	if got.status != 200 || !strings.Contains(string(got.body), `"stored":1`) || !strings.Contains(string(got.body), "more than total") {
		t.Fatalf("ingest: %d %s", got.status, got.body)
	}
	var cells int
	_ = ds.store.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM sli_rollups`).Scan(&cells)
	if cells != 3 {
		t.Fatalf("%d rollup cells after ingest, want 5-minute, hourly and daily", cells)
	}
	got = call(t, ds, http.MethodGet, "slos", "Viewer", nil, nil)
	var list []slo.Definition
	if err := json.Unmarshal(got.body, &list); err != nil || len(list) != 1 || list[0].LastSampleAt == nil || list[0].LastSampleAt.Format("15:04") != "10:00" {
		t.Fatalf("list: %d %s", got.status, got.body)
	}
	if got := call(t, ds, http.MethodGet, "values/slo", "Viewer", nil, nil); strings.TrimSpace(string(got.body)) != `["checkout"]` {
		t.Fatalf("values: %s", got.body)
	}
	if got := call(t, ds, http.MethodDelete, "slos/checkout", "Editor", nil, nil); got.status != http.StatusConflict || !strings.Contains(string(got.body), "retire it first") {
		t.Fatalf("delete of an active SLO: %d %s", got.status, got.body)
	}
	if w := decodeSLOWrite(t, call(t, ds, http.MethodPost, "slos/checkout/retire", "Editor", nil, nil)); w.Outcome != "retired" || w.SLO.RetiredAt == nil {
		t.Fatalf("retire: %+v", w)
	}
	if got := call(t, ds, http.MethodGet, "slos", "Viewer", nil, nil); strings.TrimSpace(string(got.body)) != `[]` {
		t.Fatalf("list without retired: %s", got.body)
	}
	if got := call(t, ds, http.MethodGet, "slos?includeRetired=true", "Viewer", nil, nil); !strings.Contains(string(got.body), `"retired_at"`) {
		t.Fatalf("list with retired: %s", got.body)
	}
	if got := call(t, ds, http.MethodDelete, "slos/checkout", "Admin", nil, nil); got.status != 200 {
		t.Fatalf("delete: %d %s", got.status, got.body)
	}
	if got := call(t, ds, http.MethodGet, "slos/checkout", "Viewer", nil, nil); got.status != http.StatusNotFound {
		t.Fatalf("get after delete: %d %s", got.status, got.body)
	}
	// The samples outlive the definition.
	counts, _ := ds.store.Counts(context.Background())
	if counts["sli_samples"] != 1 {
		t.Fatalf("%d samples after delete", counts["sli_samples"])
	}
}

func TestSLOBadDefinitions(t *testing.T) {
	ds := newTestDatasource(t, nil)
	for _, c := range []struct{ body, has string }{
		{`{"id":"a","objective":0.999}`, "looks like a ratio"},
		{`{"id":"a","objetive":99.9}`, `unknown field \"objetive\"`},
		{`{"id":"a","objective":99.9,"window":"2h","calendar":"month"}`, "give one"},
		{`[`, "SLO definition JSON"},
		{`{"id":"a b","objective":99}`, "id \"a b\""},
	} {
		got := call(t, ds, http.MethodPost, "slos", "Editor", nil, []byte(c.body))
		var e apiError
		if got.status != http.StatusBadRequest || json.Unmarshal(got.body, &e) != nil || !strings.Contains(e.Error, strings.ReplaceAll(c.has, `\"`, `"`)) {
			t.Errorf("%s: %d %s; want 400 mentioning %s", c.body, got.status, got.body, c.has)
		}
	}
	if got := call(t, ds, http.MethodPost, "slos/nope/retire", "Editor", nil, nil); got.status != http.StatusNotFound {
		t.Errorf("retire unknown: %d %s", got.status, got.body)
	}
}
