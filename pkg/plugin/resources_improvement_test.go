package plugin

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestImprovementIngestAndValues(t *testing.T) {
	ds := newTestDatasource(t, nil)
	writes := []struct{ path, body string }{
		{"ingest/postmortems", `[{"id":"PM-1","incident_id":"INC-1","owner":"ana","created_at":"2024-05-02T09:00:00Z","themes":"dns"}]`},
		{"ingest/action_items", `[{"id":"AI-1","postmortem_id":"PM-1","owner":"bo","team":"payments","service":"checkout","due_at":"2099-01-01T00:00:00Z"}]`},
		{"ingest/alert_events", `[{"fingerprint":"f1","alertname":"CPU","service":"api","status":"firing","starts_at":"2024-05-01T10:00:00Z","received_at":"2024-05-01T10:00:05Z"}]`},
		{"webhooks/alertmanager", `{"version":"4","status":"firing","receiver":"kaizen","alerts":[{"status":"firing","labels":{"alertname":"Down","service":"db","team":"storage"},"startsAt":"2024-05-01T11:00:00Z","fingerprint":"f2"}]}`},
		{"ingest/incidents", `[{"id":"INC-1","service":"web","severity":"sev1","detected_by":"customer","started_at":"2024-05-01T09:00:00Z"}]`},
	}
	for _, wr := range writes {
		if got := call(t, ds, http.MethodPost, wr.path, "Viewer", nil, []byte(wr.body)); got.status != http.StatusForbidden {
			t.Errorf("viewer %s: %d %s", wr.path, got.status, got.body)
		}
	}
	if c, _ := ds.store.Counts(context.Background()); c["postmortems"]+c["action_items"]+c["alert_events"] != 0 {
		t.Fatalf("refused writes stored %v", c)
	}
	for _, wr := range writes {
		if got := call(t, ds, http.MethodPost, wr.path, "Editor", nil, []byte(wr.body)); got.status != http.StatusOK || !strings.Contains(string(got.body), `"stored":1`) {
			t.Fatalf("editor %s: %d %s", wr.path, got.status, got.body)
		}
	}
	c, _ := ds.store.Counts(context.Background())
	if c["postmortems"] != 1 || c["action_items"] != 1 || c["alert_events"] != 2 || c["incidents"] != 2 {
		t.Fatalf("counts %v", c)
	}
	for path, want := range map[string]string{
		"values/alerts/alertname":     `["CPU","Down"]`,
		"values/alerts/service":       `["api","db"]`,
		"values/alerts/detected_by":   `["customer","monitoring"]`,
		"values/postmortems/owner":    `["bo"]`,
		"values/postmortems/service":  `["checkout","db","web"]`,
		"values/postmortems/severity": `["sev1"]`,
		"values/backtest/service":     `["db","web"]`,
	} {
		got := call(t, ds, http.MethodGet, path, "Viewer", nil, nil)
		if got.status != http.StatusOK || strings.TrimSpace(string(got.body)) != want {
			t.Errorf("%s: %d %s, want %s", path, got.status, got.body, want)
		}
	}
	for _, path := range []string{"values/alerts/title", "values/postmortems/labels", "values/backtest/owner"} {
		if got := call(t, ds, http.MethodGet, path, "Viewer", nil, nil); got.status != http.StatusBadRequest || !strings.Contains(string(got.body), "unknown dimension") {
			t.Errorf("%s: %d %s", path, got.status, got.body)
		}
	}
}
