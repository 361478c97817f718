package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/kaizen"
)

const runbookEvent = `{"id":"kz-runbook","name":"Checkout runbook","owner":"sre","hypothesis":"Responders restore faster with a runbook",
	"target":{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d","filters":{"service":["checkout"]}},
	"proposed_at":"2025-01-10T00:00:00Z"}`

func decodeKaizenWrite(t *testing.T, got captured) kaizenWrite {
	t.Helper()
	var out kaizenWrite
	if err := json.Unmarshal(got.body, &out); err != nil {
		t.Fatalf("response %s: %v", got.body, err)
	}
	return out
}

func TestKaizenEventLifecycle(t *testing.T) {
	ds := newTestDatasource(t, nil)
	got := call(t, ds, http.MethodPost, "kaizen/events", "Editor", nil, []byte(runbookEvent))
	w := decodeKaizenWrite(t, got)
	if got.status != http.StatusCreated || w.Outcome != "created" || w.Event.Revision != 1 || w.Event.ChangedBy != "u" ||
		w.Event.Status != kaizen.Proposed || w.Event.Better != "lower" {
		t.Fatalf("create: %d %s", got.status, got.body)
	}

	// The form sends the whole event back with the revision it read; the path names it.
	deployed := strings.Replace(strings.Replace(runbookEvent, `"id":"kz-runbook",`, ``, 1), `"proposed_at"`, `"base_revision":1,"deployed_at":"2025-02-01T00:00:00Z","proposed_at"`, 1)
	got = call(t, ds, http.MethodPut, "kaizen/events/kz-runbook", "Editor", nil, []byte(deployed))
	if w := decodeKaizenWrite(t, got); got.status != 200 || w.Outcome != "updated" || w.Event.Revision != 2 || w.Event.Status != kaizen.Deployed ||
		len(w.Event.ReviewDates) != 3 || !w.Event.ReviewDates[0].Equal(time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("deploy: %d %s", got.status, got.body)
	}
	again := strings.Replace(deployed, `"base_revision":1,`, `"base_revision":2,`, 1)
	if got = call(t, ds, http.MethodPut, "kaizen/events/kz-runbook", "Editor", nil, []byte(again)); decodeKaizenWrite(t, got).Outcome != "unchanged" {
		t.Fatalf("unchanged: %d %s", got.status, got.body)
	}

	got = call(t, ds, http.MethodPost, "kaizen/events/kz-runbook/archive", "Editor", nil, nil)
	if w := decodeKaizenWrite(t, got); got.status != 200 || w.Outcome != "archived" || w.Event.ArchivedAt == nil {
		t.Fatalf("archive: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodGet, "kaizen/events", "Viewer", nil, nil); strings.TrimSpace(string(got.body)) != "[]" {
		t.Fatalf("list without archived: %s", got.body)
	}
	if got = call(t, ds, http.MethodGet, "kaizen/events?archived=1", "Viewer", nil, nil); !strings.Contains(string(got.body), `"id":"kz-runbook"`) {
		t.Fatalf("list with archived: %s", got.body)
	}
	if got = call(t, ds, http.MethodPost, "kaizen/events/kz-runbook/restore", "Editor", nil, nil); got.status != 200 {
		t.Fatalf("restore: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodGet, "values/kaizen/owner", "Viewer", nil, nil); strings.TrimSpace(string(got.body)) != `["sre"]` {
		t.Fatalf("values/kaizen/owner: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodDelete, "kaizen/events/kz-runbook", "Editor", nil, nil); got.status != http.StatusConflict {
		t.Fatalf("delete before archive: %d %s", got.status, got.body)
	}
	call(t, ds, http.MethodPost, "kaizen/events/kz-runbook/archive", "Editor", nil, nil)
	if got = call(t, ds, http.MethodDelete, "kaizen/events/kz-runbook", "Admin", nil, nil); got.status != 200 || decodeKaizenWrite(t, got).Outcome != "deleted" {
		t.Fatalf("delete: %d %s", got.status, got.body)
	}
	if got = call(t, ds, http.MethodGet, "kaizen/events/kz-runbook", "Viewer", nil, nil); got.status != http.StatusNotFound {
		t.Fatalf("get after delete: %d %s", got.status, got.body)
	}
}

func TestKaizenBadRequests(t *testing.T) {
	ds := newTestDatasource(t, nil)
	if got := call(t, ds, http.MethodPost, "kaizen/events", "Editor", nil, []byte(runbookEvent)); got.status != http.StatusCreated {
		t.Fatalf("create: %d %s", got.status, got.body)
	}
	cases := []struct {
		name, method, path, body string
		want                     int
		has, field               string
	}{
		{"target the engine refuses", "POST", "kaizen/events", `{"id":"x","name":"X","target":{"queryType":"incidents","metric":"mttr","stat":"p42"}}`, 400, `unknown stat "p42"`, "target"},
		{"grouped target", "POST", "kaizen/events", `{"id":"x","name":"X","target":{"queryType":"incidents","metric":"mttr","groupBy":["service"]}}`, 400, "an event targets one series", "target"},
		{"status deployed without deployed_at", "POST", "kaizen/events", `{"id":"x","name":"X","status":"deployed","target":{"queryType":"incidents","metric":"mttr"}}`, 400, "deployed_at: is required when status is deployed", "deployed_at"},
		{"missing name", "POST", "kaizen/events", `{"id":"x","target":{"queryType":"incidents","metric":"mttr"}}`, 400, "name: is required", "name"},
		{"not JSON", "POST", "kaizen/events", `{"id":`, 400, "not a JSON object", ""},
		{"duplicate create", "POST", "kaizen/events", runbookEvent, 409, "already exists (revision 1)", ""},
		{"update of a missing event", "PUT", "kaizen/events/ghost", strings.Replace(runbookEvent, `"id":"kz-runbook",`, ``, 1), 404, `kaizen event "ghost" does not exist`, ""},
		{"update naming another event", "PUT", "kaizen/events/kz-runbook", strings.Replace(runbookEvent, `"kz-runbook"`, `"kz-other"`, 1), 400, "never changes", "id"},
		{"stale edit", "PUT", "kaizen/events/kz-runbook", strings.Replace(runbookEvent, `"owner":"sre"`, `"owner":"web","base_revision":4`, 1), 409, "revision 1, not 4", ""},
		{"restore of an event not archived", "POST", "kaizen/events/kz-runbook/restore", ``, 409, "is not archived", ""},
		{"analysis of a missing event", "GET", "kaizen/events/ghost/analysis", ``, 404, "does not exist", ""},
		{"analysis with a bad override", "GET", "kaizen/events/kz-runbook/analysis?alpha=2", ``, 400, "kaizen.alpha 2: must be between 0 and 1", ""},
		{"values of an unknown dimension", "GET", "values/kaizen/service", ``, 400, `unknown kaizen dimension "service"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := call(t, ds, c.method, c.path, "Editor", nil, []byte(c.body))
			var e kaizenError
			if err := json.Unmarshal(got.body, &e); err != nil || got.status != c.want || !strings.Contains(e.Error, c.has) || e.Field != c.field {
				t.Fatalf("%d %s; want %d with %q (field %q)", got.status, got.body, c.want, c.has, c.field)
			}
		})
	}
	got := call(t, ds, http.MethodGet, "kaizen/events/kz-runbook", "Viewer", nil, nil)
	if !strings.Contains(string(got.body), `"revision":1`) || !strings.Contains(string(got.body), `"owner":"sre"`) {
		t.Fatalf("refused writes changed the event: %s", got.body)
	}
}

func TestKaizenWritesNeedTheWriterRole(t *testing.T) {
	ds := newTestDatasource(t, nil)
	call(t, ds, http.MethodPost, "kaizen/events", "Editor", nil, []byte(runbookEvent))
	writes := []struct{ method, path, body string }{
		{"POST", "kaizen/events", strings.Replace(runbookEvent, "kz-runbook", "kz-2", 1)},
		{"PUT", "kaizen/events/kz-runbook", strings.Replace(runbookEvent, `"owner":"sre"`, `"owner":"web"`, 1)},
		{"POST", "kaizen/events/kz-runbook/archive", ""},
		{"POST", "kaizen/events/kz-runbook/restore", ""},
		{"DELETE", "kaizen/events/kz-runbook", ""},
		{"POST", "ingest/kaizen-events", "[" + strings.Replace(runbookEvent, "kz-runbook", "kz-3", 1) + "]"},
	}
	for _, role := range []string{"Viewer", ""} {
		for _, wr := range writes {
			if got := call(t, ds, wr.method, wr.path, role, nil, []byte(wr.body)); got.status != http.StatusForbidden {
				t.Errorf("%q %s %s: %d %s, want 403", role, wr.method, wr.path, got.status, got.body)
			}
		}
	}
	got := call(t, ds, http.MethodGet, "kaizen/events", "Viewer", nil, nil)
	if strings.Count(string(got.body), `"id"`) != 1 || !strings.Contains(string(got.body), `"owner":"sre"`) {
		t.Fatalf("a refused write changed the events: %s", got.body)
	}
	got = call(t, ds, http.MethodPost, "kaizen/events/kz-runbook/archive", "", map[string]string{IngestTokenHeader: "s3cret-token"}, nil)
	if w := decodeKaizenWrite(t, got); got.status != 200 || w.Event.ChangedBy != "ingest token" {
		t.Fatalf("archive with the token: %d %s", got.status, got.body)
	}
}

func TestKaizenImport(t *testing.T) {
	ds := newTestDatasource(t, nil)
	ndjson := strings.Join([]string{
		`{"id":"kz-a","name":"Alert tuning","target":{"queryType":"incidents","metric":"mtta"},"review_days":[14,28]}`,
		`{"id":"kz-b","name":"Bad","target":{"queryType":"incidents","metric":"mttr","groupBy":["team"]}}`,
		`{"id":"kz-a","name":"Alert tuning v2","target":{"queryType":"incidents","metric":"mtta"},"review_days":[14,28]}`,
	}, "\n")
	got := call(t, ds, http.MethodPost, "ingest/kaizen-events?format=ndjson", "Editor", nil, []byte(ndjson))
	var res kaizen.ImportResult
	if err := json.Unmarshal(got.body, &res); err != nil || got.status != 200 || res.Stored != 2 || res.Created != 1 || res.Updated != 1 ||
		len(res.Rejected) != 1 || res.Rejected[0].Line != 2 || res.Rejected[0].Field != "target" {
		t.Fatalf("import: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodGet, "kaizen/events/kz-a", "Viewer", nil, nil)
	if !strings.Contains(string(got.body), `"name":"Alert tuning v2"`) || !strings.Contains(string(got.body), `"revision":2`) {
		t.Fatalf("imported event: %s", got.body)
	}
}

// TestKaizenBoardAndAnalysis: checkout MTTR 1 h a day for the 30 days before the
// deployment (20 days ago) and 30 min a day since: improved, and sustained at the
// 10-day review (its window, the 10 days after deployment, is all 30 min).
func TestKaizenBoardAndAnalysis(t *testing.T) {
	ds := newTestDatasource(t, nil)
	deployed := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -20)
	var lines []string
	for day := -30; day < 20; day++ {
		start := deployed.AddDate(0, 0, day).Add(2 * time.Hour)
		mttr := time.Hour
		if day >= 0 {
			mttr = 30 * time.Minute
		}
		lines = append(lines, fmt.Sprintf(`{"id":"c%d","service":"checkout","started_at":"%s","resolved_at":"%s"}`, day+30, start.Format(time.RFC3339), start.Add(mttr).Format(time.RFC3339)))
	}
	if got := call(t, ds, http.MethodPost, "ingest/incidents?format=ndjson", "Editor", nil, []byte(strings.Join(lines, "\n"))); got.status != 200 {
		t.Fatalf("incidents: %d %s", got.status, got.body)
	}
	event := strings.Replace(runbookEvent, `"proposed_at":"2025-01-10T00:00:00Z"`, fmt.Sprintf(`"proposed_at":"%s","deployed_at":"%s","after_days":10,"review_days":[10,60]`,
		deployed.AddDate(0, 0, -40).Format(time.RFC3339), deployed.Format(time.RFC3339)), 1)
	if got := call(t, ds, http.MethodPost, "kaizen/events", "Editor", nil, []byte(event)); got.status != 201 {
		t.Fatalf("create: %d %s", got.status, got.body)
	}
	call(t, ds, http.MethodPost, "kaizen/events", "Editor", nil, []byte(strings.Replace(runbookEvent, "kz-runbook", "kz-later", 1)))

	got := call(t, ds, http.MethodGet, "kaizen/board", "Viewer", nil, nil)
	var board []kaizen.BoardRow
	if err := json.Unmarshal(got.body, &board); err != nil || got.status != 200 || len(board) != 2 {
		t.Fatalf("board: %d %s", got.status, got.body)
	}
	byID := map[string]kaizen.BoardRow{}
	for _, r := range board {
		byID[r.Event.ID] = r
	}
	r := byID["kz-runbook"]
	if !r.Measured || r.Verdict != "improved" || *r.Change != -1800 || *r.RelativeChange != -0.5 || r.State != "sustained" ||
		r.Before.N != 30 || r.After.N != 10 || r.HypothesisMet == nil || !*r.HypothesisMet || len(r.Reviews) != 2 || r.Reviews[1].State != "pending" || r.NextReview == nil || r.Target != "MTTR (median) · checkout" {
		t.Fatalf("board row %s", got.body)
	}
	if l := byID["kz-later"]; l.Measured || l.Verdict != "" || l.Error != "" {
		t.Fatalf("an event not deployed is listed unmeasured: %+v", l)
	}

	got = call(t, ds, http.MethodGet, "kaizen/events/kz-runbook/analysis?after=20d&seed=3", "Viewer", nil, nil)
	var detail kaizen.BoardRow
	if err := json.Unmarshal(got.body, &detail); err != nil || got.status != 200 || detail.Points == nil ||
		len(detail.Points.Before.Values) != 30 || len(detail.Points.After.Values) != 20 || detail.Points.After.Values[0] != 1800 ||
		detail.Options.Seed != 3 || detail.Options.MinN != 8 || detail.Phases == nil || detail.Phases.Before.Center != 3600 {
		t.Fatalf("analysis: %d %s", got.status, got.body)
	}
}
