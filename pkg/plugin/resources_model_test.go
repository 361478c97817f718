package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const observationBatch = `{"model":"churn","model_version":"v3","feature":"age","observed_at":"2024-05-01T09:00:00Z","values":[31,45,NaN,27],"segment":{"region":"eu"}}
{"model":"churn","model_version":"v3","feature":"__prediction__","observed_at":["2024-05-01T09:00:00Z","2024-05-01T09:01:00Z"],"categories":["churn","stay"],"prediction_ids":["p1","p2"],"segment":{"region":"us"}}
`

func TestObservationBatchRoute(t *testing.T) {
	ds := newTestDatasource(t, nil)
	if got := call(t, ds, http.MethodPost, "ingest/observations-batch?format=ndjson", "Viewer", nil, []byte(observationBatch)); got.status != http.StatusForbidden {
		t.Fatalf("viewer: %d %s", got.status, got.body)
	}
	got := call(t, ds, http.MethodPost, "ingest/observations-batch?format=ndjson", "Editor", nil, []byte(observationBatch))
	if got.status != http.StatusOK {
		t.Fatalf("editor: %d %s", got.status, got.body)
	}
	var res struct {
		Kind     string `json:"kind"`
		Stored   int    `json:"stored"`
		Rejected []struct {
			Position int    `json:"position"`
			Line     int    `json:"line"`
			Field    string `json:"field"`
			Reason   string `json:"reason"`
		} `json:"rejected"`
	}
	if err := json.Unmarshal(got.body, &res); err != nil {
		t.Fatal(err)
	}
	if res.Kind != "observations-batch" || res.Stored != 5 || len(res.Rejected) != 1 || res.Rejected[0].Field != "values[2]" ||
		res.Rejected[0].Line != 1 || res.Rejected[0].Reason != "values[2] is NaN: observations must be finite numbers" {
		t.Fatalf("result %s", got.body)
	}
	got = call(t, ds, http.MethodPost, "ingest/observations-batch?format=csv", "Editor", nil, []byte("model\nm\n"))
	if got.status != http.StatusBadRequest || !strings.Contains(string(got.body), "JSON or NDJSON") {
		t.Fatalf("csv: %d %s", got.status, got.body)
	}
	// Outcomes go through the generic kind route.
	got = call(t, ds, http.MethodPost, "ingest/outcomes", "Editor", nil, []byte(`[{"model":"churn","prediction_id":"p1","label":"stay"}]`))
	if got.status != http.StatusOK || !strings.Contains(string(got.body), `"stored":1`) {
		t.Fatalf("outcomes: %d %s", got.status, got.body)
	}
	counts, _ := ds.store.Counts(context.Background())
	if counts["model_observations"] != 5 || counts["model_outcomes"] != 1 {
		t.Fatalf("counts %v", counts)
	}
}

func TestSnapshotRoutes(t *testing.T) {
	ds := newTestDatasource(t, nil)
	if got := call(t, ds, http.MethodPost, "ingest/observations-batch?format=ndjson", "Editor", nil, []byte(observationBatch)); got.status != http.StatusOK {
		t.Fatalf("ingest: %d %s", got.status, got.body)
	}
	body := []byte(`{"model":"churn","name":"baseline","from":"2024-05-01T00:00:00Z","to":"2024-05-02T00:00:00Z"}`)
	cases := []struct {
		name, method, path, role string
		body                     []byte
		want                     int
		has                      string
	}{
		{"viewer cannot create", http.MethodPost, "model/snapshots", "Viewer", body, http.StatusForbidden, "Editor role"},
		{"editor creates", http.MethodPost, "model/snapshots", "Editor", body, http.StatusCreated, `"created_by":"u"`},
		{"the name is taken", http.MethodPost, "model/snapshots", "Editor", body, http.StatusConflict, "delete it first"},
		{"a bad request", http.MethodPost, "model/snapshots", "Editor", []byte(`{"model":"churn","name":"x","from":"2024-05-03T00:00:00Z","to":"2024-05-04T00:00:00Z"}`), http.StatusBadRequest, "to 2024-05-04T00:00:00Z: nothing to snapshot; nothing was stored"},
		{"viewer lists", http.MethodGet, "model/snapshots?model=churn", "Viewer", nil, http.StatusOK, `"name":"baseline"`},
		{"viewer gets one", http.MethodGet, "model/snapshots/baseline?model=churn", "Viewer", nil, http.StatusOK, `{"feature":"__prediction__","kind":"categorical","n":2,"distinct_values":2}`},
		{"get needs the model", http.MethodGet, "model/snapshots/baseline", "Viewer", nil, http.StatusBadRequest, "name the snapshot's model: model/snapshots/baseline?model="},
		{"unknown snapshot", http.MethodGet, "model/snapshots/nope?model=churn", "Viewer", nil, http.StatusNotFound, `model churn has no snapshot \"nope\"`},
		{"viewer cannot delete", http.MethodDelete, "model/snapshots/baseline?model=churn", "Viewer", nil, http.StatusForbidden, "Editor role"},
		{"editor deletes", http.MethodDelete, "model/snapshots/baseline?model=churn", "Editor", nil, http.StatusOK, `"deleted":"baseline"`},
		{"deleted twice", http.MethodDelete, "model/snapshots/baseline?model=churn", "Editor", nil, http.StatusNotFound, "no snapshot"},
		{"list is empty", http.MethodGet, "model/snapshots", "Viewer", nil, http.StatusOK, "[]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := call(t, ds, c.method, c.path, c.role, nil, c.body)
			if got.status != c.want || !strings.Contains(string(got.body), c.has) {
				t.Fatalf("%s %s: %d %s; want %d with %q", c.method, c.path, got.status, got.body, c.want, c.has)
			}
		})
	}
}

func TestModelValueRoutes(t *testing.T) {
	ds := newTestDatasource(t, nil)
	call(t, ds, http.MethodPost, "ingest/observations-batch?format=ndjson", "Editor", nil, []byte(observationBatch))
	call(t, ds, http.MethodPost, "ingest/observations", "Editor", nil, []byte(`[{"model":"fraud","feature":"amount","observed_at":"2024-05-01T00:00:00Z","value":3}]`))
	cases := []struct{ path, want string }{
		{"values/model/model", `["churn","fraud"]`},
		{"values/model/feature?model=churn", `["__prediction__","age"]`},
		{"values/model/feature", `["__prediction__","age","amount"]`},
		{"values/model/model_version?model=churn", `["v3"]`},
		{"values/model/segment", `["region"]`},
	}
	for _, c := range cases {
		got := call(t, ds, http.MethodGet, c.path, "Viewer", nil, nil)
		if got.status != http.StatusOK || strings.TrimSpace(string(got.body)) != c.want {
			t.Errorf("%s: %d %s, want %s", c.path, got.status, got.body, c.want)
		}
	}
	if got := call(t, ds, http.MethodGet, "values/model/team", "Viewer", nil, nil); got.status != http.StatusBadRequest || !strings.Contains(string(got.body), "model, feature, model_version, segment") {
		t.Fatalf("unknown dimension: %d %s", got.status, got.body)
	}
}
