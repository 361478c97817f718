package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

type captured struct {
	status int
	body   []byte
}

func (c *captured) Send(r *backend.CallResourceResponse) error {
	if r.Status != 0 {
		c.status = r.Status
	}
	c.body = append(c.body, r.Body...)
	return nil
}

func newTestDatasource(t *testing.T, mutate func(*models.Settings)) *Datasource {
	t.Helper()
	s := models.Settings{Store: models.StoreSQLite, MaxIngestBytes: models.DefaultMaxIngestBytes, IngestToken: "s3cret-token"}
	if mutate != nil {
		mutate(&s)
	}
	return newDatasource(s, storetest.OpenSQLite(t))
}

func call(t *testing.T, ds *Datasource, method, path, role string, headers map[string]string, body []byte) captured {
	t.Helper()
	resourcePath, _, _ := strings.Cut(path, "?")
	req := &backend.CallResourceRequest{
		Method: method, Path: resourcePath, URL: path, Body: body,
		Headers: map[string][]string{},
	}
	if role != "" {
		req.PluginContext.User = &backend.User{Login: "u", Role: role}
	}
	for k, v := range headers {
		req.Headers[k] = []string{v}
	}
	var c captured
	if err := ds.CallResource(context.Background(), req, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

const oneIncident = `[{"id":"INC-1","service":"api","started_at":"2024-05-01T10:00:00Z"}]`

func TestWriteAccess(t *testing.T) {
	cases := []struct {
		name    string
		role    string
		headers map[string]string
		want    int
	}{
		{"viewer refused", "Viewer", nil, http.StatusForbidden},
		{"anonymous refused", "", nil, http.StatusForbidden},
		{"editor allowed", "Editor", nil, http.StatusOK},
		{"admin allowed", "Admin", nil, http.StatusOK},
		{"viewer with the ingest token allowed", "Viewer", map[string]string{IngestTokenHeader: "s3cret-token"}, http.StatusOK},
		{"anonymous with the ingest token allowed", "", map[string]string{IngestTokenHeader: "s3cret-token"}, http.StatusOK},
		{"wrong token refused, even for an editor", "Editor", map[string]string{IngestTokenHeader: "guess"}, http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := newTestDatasource(t, nil)
			for _, path := range []string{"ingest/incidents", "webhooks/alertmanager"} {
				body := oneIncident
				if strings.HasPrefix(path, "webhooks") {
					body = `{"version":"4","status":"firing","alerts":[]}`
				}
				got := call(t, ds, http.MethodPost, path, c.role, c.headers, []byte(body))
				if got.status != c.want {
					t.Errorf("POST %s: status %d (%s), want %d", path, got.status, got.body, c.want)
				}
			}
			counts, _ := ds.store.Counts(context.Background())
			if c.want == http.StatusForbidden && counts["incidents"] != 0 {
				t.Fatalf("a refused write stored %d incidents", counts["incidents"])
			}
		})
	}
}

func TestTokenUnsetRefusesTokens(t *testing.T) {
	ds := newTestDatasource(t, func(s *models.Settings) { s.IngestToken = "" })
	got := call(t, ds, http.MethodPost, "ingest/incidents", "", map[string]string{IngestTokenHeader: ""}, []byte(oneIncident))
	if got.status != http.StatusForbidden {
		t.Fatalf("empty token with no token configured: status %d", got.status)
	}
}

func TestIngestResponses(t *testing.T) {
	ds := newTestDatasource(t, func(s *models.Settings) { s.MaxIngestBytes = 1 << 20 })
	big := bytes.Repeat([]byte(" "), 2<<20)
	cases := []struct {
		name, path, contentType string
		body                    []byte
		want                    int
		has                     string
	}{
		{"json", "ingest/incidents", "application/json", []byte(oneIncident), 200, `"stored":1`},
		{"ndjson via format param", "ingest/incidents?format=ndjson", "", []byte(`{"id":"INC-2","started_at":"2024-05-01T10:00:00Z"}`), 200, `"stored":1`},
		{"csv via content type", "ingest/incidents", "text/csv", []byte("id,started_at\nINC-3,2024-05-01T10:00:00Z\n"), 200, `"stored":1`},
		{"rejected record is listed", "ingest/incidents", "", []byte(`[{"id":"x","started_at":"2024-05-01T10:00:00"}]`), 200, `"field":"started_at"`},
		{"unknown kind", "ingest/outages", "", []byte(oneIncident), 404, "known kinds:"},
		{"unknown format", "ingest/incidents?format=xml", "", []byte(oneIncident), 415, "unknown format"},
		{"malformed JSON", "ingest/incidents", "", []byte(`[{"id":`), 400, "malformed JSON"},
		{"CSV missing column", "ingest/incidents?format=csv", "", []byte("id\nA\n"), 400, "started_at"},
		{"too large", "ingest/incidents", "", big, 413, "more than the 1048576"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{}
			if c.contentType != "" {
				h["Content-Type"] = c.contentType
			}
			got := call(t, ds, http.MethodPost, c.path, "Editor", h, c.body)
			if got.status != c.want || !strings.Contains(string(got.body), c.has) {
				t.Fatalf("status %d body %s; want %d containing %q", got.status, got.body, c.want, c.has)
			}
			if got.status >= 400 {
				var e apiError
				if err := json.Unmarshal(got.body, &e); err != nil || e.Error == "" {
					t.Fatalf("error body %s is not {\"error\": ...}", got.body)
				}
			}
		})
	}
	counts, _ := ds.store.Counts(context.Background())
	if counts["incidents"] != 3 {
		t.Fatalf("%d incidents stored, want 3", counts["incidents"])
	}
}

func TestValuesAndDimensions(t *testing.T) {
	ds := newTestDatasource(t, nil)
	call(t, ds, http.MethodPost, "ingest/incidents", "Editor", nil, []byte(`[
		{"id":"1","service":"web","started_at":"2024-05-01T10:00:00Z"},
		{"id":"2","service":"api","started_at":"2024-05-01T10:00:00Z"},
		{"id":"3","service":"api","started_at":"2024-05-01T10:00:00Z"},
		{"id":"4","started_at":"2024-05-01T10:00:00Z"}]`))
	got := call(t, ds, http.MethodGet, "values/service", "Viewer", nil, nil)
	if got.status != 200 || strings.TrimSpace(string(got.body)) != `["api","web"]` {
		t.Fatalf("values: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodGet, "values/title", "Viewer", nil, nil)
	if got.status != 400 {
		t.Fatalf("values of a non-dimension: %d %s", got.status, got.body)
	}
}
