package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func getStatus(t *testing.T, ds *Datasource, role string) statusResponse {
	t.Helper()
	c := call(t, ds, "GET", "status", role, nil, nil)
	if c.status != http.StatusOK {
		t.Fatalf("GET status: %d %s", c.status, c.body)
	}
	var res statusResponse
	if err := json.Unmarshal(c.body, &res); err != nil {
		t.Fatalf("decoding %s: %v", c.body, err)
	}
	return res
}

func kindOf(t *testing.T, res statusResponse, kind string) kindStatus {
	t.Helper()
	for _, k := range res.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	t.Fatalf("kind %s missing from %+v", kind, res.Kinds)
	return kindStatus{}
}

func TestStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		settings := models.Settings{Store: models.StoreSQLite, MaxIngestBytes: 1 << 20, PrometheusURL: "http://prometheus:9090"}
		if st.Dialect().Name == store.Postgres.Name {
			settings.Store = models.StorePostgres
		}
		ds := newDatasource(settings, st)

		// An empty store: every ingest kind listed, nothing counted, nothing ingested yet.
		empty := getStatus(t, ds, "Viewer")
		if len(empty.Kinds) != len(ds.kinds) {
			t.Fatalf("got %d kinds, want %d", len(empty.Kinds), len(ds.kinds))
		}
		for _, k := range empty.Kinds {
			if k.Count != 0 || k.LastIngestAt != "" || k.NotTracked != "" {
				t.Errorf("empty store: %s = %+v", k.Kind, k)
			}
		}
		if empty.MaxIngestBytes != 1<<20 || empty.SchemaVersion == 0 || empty.Store == "" {
			t.Errorf("store fields: %+v", empty)
		}
		wantConfig := statusConfig{Postgres: settings.Store == models.StorePostgres, Prometheus: true, IngestToken: false}
		if empty.Settings != wantConfig {
			t.Errorf("settings = %+v, want %+v", empty.Settings, wantConfig)
		}
		inc := kindOf(t, empty, "incidents")
		if inc.Table != "incidents" || strings.Join(inc.Key, ",") != "source,id" {
			t.Errorf("incidents kind = %+v", inc)
		}
		// started_at is a required time; detected_by an enum of four senders.
		var started, detectedBy fieldStatus
		for _, f := range inc.Fields {
			switch f.Name {
			case "started_at":
				started = f
			case "detected_by":
				detectedBy = f
			}
		}
		if started.Type != "time" || !started.Required || detectedBy.Type != "enum" || len(detectedBy.Enum) != 4 {
			t.Errorf("fields: started_at %+v, detected_by %+v", started, detectedBy)
		}

		// Two incidents ingested: counted, and the last ingest is the write time.
		before := time.Now().UTC().Truncate(time.Second)
		body := `[{"id":"INC-1","service":"api","started_at":"2024-05-01T10:00:00Z"},{"id":"INC-2","service":"api","started_at":"2024-05-02T10:00:00Z"}]`
		if c := call(t, ds, "POST", "ingest/incidents", "Editor", nil, []byte(body)); c.status != http.StatusOK {
			t.Fatalf("ingest: %d %s", c.status, c.body)
		}
		after := time.Now().UTC()
		inc = kindOf(t, getStatus(t, ds, "Viewer"), "incidents")
		if inc.Count != 2 {
			t.Errorf("incidents count = %d, want 2", inc.Count)
		}
		at, err := time.Parse(time.RFC3339, inc.LastIngestAt)
		if err != nil || at.Before(before) || at.After(after) {
			t.Errorf("lastIngestAt = %q (%v), want between %s and %s", inc.LastIngestAt, err, before, after)
		}
	})
}

func TestStatusLastIngestScanLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		ds := newDatasource(models.Settings{Store: models.StoreSQLite, MaxIngestBytes: models.DefaultMaxIngestBytes}, st)
		for path, body := range map[string]string{
			"ingest/incidents": oneIncident,
			"ingest/usage":     `[{"user_id":"u1","tool":"grafana","at":"2024-05-01T10:00:00Z"}]`,
		} {
			if c := call(t, ds, "POST", path, "Editor", nil, []byte(body)); c.status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, c.status, c.body)
			}
		}
		cases := []struct {
			name, table    string
			count, limit   int64
			wantAt         bool
			wantNotTracked string
		}{
			{"small table is scanned", "incidents", 1, 10, true, ""},
			{"large table without an index is not scanned", "incidents", 11, 10, false, "not tracked: 11 rows and no index on ingested_at"},
			// usage_events has an index on ingested_at (migration 0013): a lookup at any size.
			{"large table with an index is looked up", "usage_events", 11, 10, true, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				at, notTracked, err := lastIngest(ctx, st, c.table, c.count, c.limit)
				if err != nil {
					t.Fatal(err)
				}
				if (at != "") != c.wantAt || notTracked != c.wantNotTracked {
					t.Errorf("got at %q, notTracked %q; want at set %v, notTracked %q", at, notTracked, c.wantAt, c.wantNotTracked)
				}
			})
		}
	})
}

func TestStatusStoreError(t *testing.T) {
	ds := newTestDatasource(t, nil)
	if err := ds.store.Close(); err != nil {
		t.Fatal(err)
	}
	c := call(t, ds, "GET", "status", "Viewer", nil, nil)
	if c.status != http.StatusServiceUnavailable || !strings.Contains(string(c.body), "reading the schema version") {
		t.Errorf("closed store: %d %s", c.status, c.body)
	}
}
