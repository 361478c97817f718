package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

const deliveryStream = `{"description":"delivery","stages":[
	{"name":"Backlog","kind":"waiting"},{"name":"Dev","kind":"active","wip_limit":3},
	{"name":"Review","kind":"active"},{"name":"Done","kind":"done"}]}`

func TestFlowWriteAccess(t *testing.T) {
	writes := []struct{ method, path, body string }{
		{http.MethodPut, "flow/streams/delivery", deliveryStream},
		{http.MethodPost, "webhooks/transitions", `{"item_id":"A","to":"Dev","at":"2024-05-01T10:00:00Z"}`},
		{http.MethodPost, "ingest/transitions", `[{"item_id":"A","stage":"Dev","entered_at":"2024-05-01T10:00:00Z"}]`},
		{http.MethodPost, "ingest/work_items", `[{"id":"A","created_at":"2024-05-01T09:00:00Z"}]`},
		{http.MethodPost, "flow/rebuild", ``},
		{http.MethodDelete, "flow/streams/delivery", ``},
	}
	for _, role := range []string{"Viewer", ""} {
		ds := newTestDatasource(t, nil)
		for _, wr := range writes {
			if got := call(t, ds, wr.method, wr.path, role, nil, []byte(wr.body)); got.status != http.StatusForbidden {
				t.Errorf("%s %s as %q: status %d (%s), want 403", wr.method, wr.path, role, got.status, got.body)
			}
		}
		counts, _ := ds.store.Counts(context.Background())
		if counts["work_items"] != 0 || counts["work_item_transitions"] != 0 {
			t.Fatalf("refused writes stored %v", counts)
		}
	}
	ds := newTestDatasource(t, nil)
	for _, wr := range writes {
		if got := call(t, ds, wr.method, wr.path, "Editor", nil, []byte(wr.body)); got.status != http.StatusOK {
			t.Errorf("%s %s as Editor: status %d (%s)", wr.method, wr.path, got.status, got.body)
		}
	}
	if got := call(t, ds, http.MethodPost, "webhooks/transitions", "", map[string]string{IngestTokenHeader: "s3cret-token"},
		[]byte(`{"item_id":"B","to":"Dev","at":"2024-05-01T10:00:00Z"}`)); got.status != http.StatusOK {
		t.Fatalf("webhook with the ingest token: %d %s", got.status, got.body)
	}
}

func TestValueStreamDefinitions(t *testing.T) {
	ds := newTestDatasource(t, nil)
	got := call(t, ds, http.MethodPut, "flow/streams/delivery", "Editor", nil, []byte(deliveryStream))
	if got.status != 200 || !strings.Contains(string(got.body), `"recomputed_items":0`) || !strings.Contains(string(got.body), `"wip_limit":3`) {
		t.Fatalf("put: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodGet, "flow/streams", "Viewer", nil, nil)
	var list []struct {
		Name   string `json:"name"`
		Stages []struct {
			Name     string `json:"name"`
			Kind     string `json:"kind"`
			WIPLimit *int   `json:"wip_limit"`
		} `json:"stages"`
	}
	if err := json.Unmarshal(got.body, &list); err != nil || len(list) != 1 || len(list[0].Stages) != 4 ||
		list[0].Stages[1].Name != "Dev" || *list[0].Stages[1].WIPLimit != 3 || list[0].Stages[3].Kind != "done" {
		t.Fatalf("list: %s (%v)", got.body, err)
	}
	if got = call(t, ds, http.MethodGet, "flow/streams/delivery", "Viewer", nil, nil); got.status != 200 {
		t.Fatalf("get: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodGet, "flow/streams/nope", "Viewer", nil, nil); got.status != 404 {
		t.Fatalf("get unknown: %d %s", got.status, got.body)
	}

	bad := []struct{ name, body, has string }{
		{"not JSON", `{"stages":`, "not valid JSON"},
		{"no stages", `{"stages":[]}`, "stages is empty"},
		{"unknown kind", `{"stages":[{"name":"Dev","kind":"queue"}]}`, `stages[0].kind "queue" is not one of active, waiting, done`},
		{"repeated stage", `{"stages":[{"name":"Dev"},{"name":"Dev"}]}`, `stages[1].name "Dev" repeats stages[0]`},
		{"zero WIP limit", `{"stages":[{"name":"Dev","wip_limit":0}]}`, "wip_limit 0 must be at least 1"},
		{"fractional WIP limit", `{"stages":[{"name":"Dev","wip_limit":2.5}]}`, "stages.wip_limit must be a whole number"},
		{"misspelt field", `{"stages":[{"name":"Dev","wiplimit":2}]}`, `unknown field "wiplimit"; a definition has description and stages, a stage has name, kind and wip_limit`},
		{"blank stage name", `{"stages":[{"name":" "}]}`, "stages[0].name is empty"},
		{"only done stages", `{"stages":[{"name":"Done","kind":"done"}]}`, "every stage is a done stage"},
		{"limit on a done stage", `{"stages":[{"name":"Dev"},{"name":"Done","kind":"done","wip_limit":1}]}`, "cannot have a wip_limit"},
		{"name differs from the path", `{"name":"other","stages":[{"name":"Dev"}]}`, "differs"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			got := call(t, ds, http.MethodPut, "flow/streams/delivery", "Editor", nil, []byte(c.body))
			var e apiError
			_ = json.Unmarshal(got.body, &e)
			if got.status != 400 || !strings.Contains(e.Error, c.has) {
				t.Fatalf("status %d body %s; want 400 containing %q", got.status, got.body, c.has)
			}
		})
	}
	// The bad requests left the definition alone.
	got = call(t, ds, http.MethodGet, "flow/streams/delivery", "Viewer", nil, nil)
	if !strings.Contains(string(got.body), `"Review"`) {
		t.Fatalf("definition changed by rejected requests: %s", got.body)
	}
	if got = call(t, ds, http.MethodDelete, "flow/streams/delivery", "Editor", nil, nil); got.status != 200 {
		t.Fatalf("delete: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodDelete, "flow/streams/delivery", "Editor", nil, nil); got.status != 404 {
		t.Fatalf("delete again: %d %s", got.status, got.body)
	}
}

func TestTransitionWebhook(t *testing.T) {
	ds := newTestDatasource(t, nil)
	call(t, ds, http.MethodPut, "flow/streams/delivery", "Editor", nil, []byte(deliveryStream))
	// A: created by its first event (item fields), Backlog → Dev → Review → Done, sent out of
	// order with one event twice. X: no work item record yet. Two bad records.
	body := `[
		{"item_id":"A","to":"Review","at":"2024-05-01T14:00:00Z","from":"Dev"},
		{"item_id":"A","to":"Dev","at":"2024-05-01T10:00:00Z","from":"Backlog","value_stream":"delivery","team":"core","created_at":"2024-05-01T08:00:00Z"},
		{"item_id":"A","to":"Done","at":"2024-05-01T16:00:00Z","from":"Review"},
		{"item_id":"A","to":"Done","at":"2024-05-01T16:00:00Z","from":"Review"},
		{"item_id":"X","to":"Dev","at":"2024-05-01T10:00:00Z"},
		{"item_id":"Y","to":"Dev","at":"2024-05-01T10:00:00"},
		{"item_id":"Z","at":"2024-05-01T10:00:00Z","colour":"red"}
	]`
	got := call(t, ds, http.MethodPost, "webhooks/transitions", "Editor", nil, []byte(body))
	if got.status != 200 {
		t.Fatalf("webhook: %d %s", got.status, got.body)
	}
	var res struct {
		Stored       int      `json:"stored"`
		Superseded   int      `json:"superseded"`
		ItemsWritten int      `json:"items_written"`
		UnknownItems []string `json:"unknown_items"`
		Ignored      []string `json:"ignored_fields"`
		Rejected     []struct {
			Position int    `json:"position"`
			ID       string `json:"id"`
			Field    string `json:"field"`
			Reason   string `json:"reason"`
		} `json:"rejected"`
	}
	if err := json.Unmarshal(got.body, &res); err != nil {
		t.Fatal(err)
	}
	if res.Stored != 4 || res.Superseded != 1 || res.ItemsWritten != 1 || strings.Join(res.UnknownItems, ",") != "X" || strings.Join(res.Ignored, ",") != "colour" {
		t.Fatalf("result %s", got.body)
	}
	if len(res.Rejected) != 2 || res.Rejected[0].Position != 6 || res.Rejected[0].Field != "at" || !strings.Contains(res.Rejected[0].Reason, "no time zone") ||
		res.Rejected[1].ID != "Z" || res.Rejected[1].Field != "to" || !strings.Contains(res.Rejected[1].Reason, "to is required") {
		t.Fatalf("rejections %s", got.body)
	}

	// A: created 08:00, Backlog 08-10 (from the first event's from), Dev 10-14, Review 14-16,
	// done entering Done at 16:00: lead 8h, cycle 6h, flow efficiency 6/8.
	env := query.Env{Store: ds.store, From: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)}
	for metric, want := range map[string]float64{"lead_time": 8 * 3600, "cycle_time": 6 * 3600, "flow_efficiency": 0.75} {
		q := models.Query{QueryType: "flow", Metric: metric, Bucket: "none"}
		q.Normalize()
		frames, err := ds.engine.Run(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := frames[0].Fields[0].ConcreteAt(0); !ok || v.(float64) != want {
			t.Errorf("%s = %v, want %v", metric, v, want)
		}
	}

	// X's record arrives later through the ingest API: its transition counts from then on.
	got = call(t, ds, http.MethodPost, "ingest/work_items", "Editor", nil, []byte(`[{"id":"X","value_stream":"delivery","created_at":"2024-05-01T09:00:00Z","done_at":"2024-05-01T12:00:00Z"}]`))
	if got.status != 200 {
		t.Fatalf("ingest: %d %s", got.status, got.body)
	}
	q := models.Query{QueryType: "flow", Metric: "cycle_time", Stat: "count", Bucket: "none"}
	q.Normalize()
	frames, err := ds.engine.Run(context.Background(), env, q)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := frames[0].Fields[0].ConcreteAt(0); v.(float64) != 2 {
		t.Fatalf("items with a cycle time after X's record arrived: %v, want 2", v)
	}

	got = call(t, ds, http.MethodGet, "values/flow/stage", "Viewer", nil, nil)
	if got.status != 200 || strings.TrimSpace(string(got.body)) != `["Backlog","Dev","Done","Review"]` {
		t.Fatalf("stage values: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodGet, "values/flow/title", "Viewer", nil, nil); got.status != 400 {
		t.Fatalf("values of a non-dimension: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodPost, "webhooks/transitions", "Editor", nil, []byte(`{"item_id":`)); got.status != 400 || !strings.Contains(string(got.body), "malformed JSON") {
		t.Fatalf("malformed webhook: %d %s", got.status, got.body)
	}

	// Streams, teams and types are listed from the items' rollup by index seeks.
	if got = call(t, ds, http.MethodPost, "ingest/work_items", "Editor", nil, []byte(`[{"id":"Y","value_stream":"ops","team":"core","type":"bug","created_at":"2024-05-02T09:00:00Z"}]`)); got.status != 200 {
		t.Fatalf("ingest: %d %s", got.status, got.body)
	}
	for path, want := range map[string]string{
		"values/flow/value_stream": `["delivery","ops"]`,
		"values/flow/team":         `["core"]`,
		"values/flow/type":         `["bug"]`,
	} {
		if got = call(t, ds, http.MethodGet, path, "Viewer", nil, nil); got.status != 200 || strings.TrimSpace(string(got.body)) != want {
			t.Errorf("GET %s: %d %s, want %s", path, got.status, got.body, want)
		}
	}
}
