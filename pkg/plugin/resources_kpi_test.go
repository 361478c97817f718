package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
)

const availabilityKPI = `{"id":"availability","name":"Availability","unit":"percent","direction":"higher","target":99.9,"warning":99.5,"critical":99,"owner":"sre"}`

func decodeWrite(t *testing.T, got captured) kpiWrite {
	t.Helper()
	var out kpiWrite
	if err := json.Unmarshal(got.body, &out); err != nil {
		t.Fatalf("response %s: %v", got.body, err)
	}
	return out
}

func TestKPIDefinitionLifecycle(t *testing.T) {
	ds := newTestDatasource(t, nil)
	got := call(t, ds, http.MethodPost, "kpis", "Editor", nil, []byte(availabilityKPI))
	if got.status != http.StatusCreated {
		t.Fatalf("create: %d %s", got.status, got.body)
	}
	if w := decodeWrite(t, got); w.Outcome != "created" || w.KPI.Version != 1 || w.KPI.ChangedBy != "u" || w.KPI.Status != kpi.Active {
		t.Fatalf("create: %+v", w)
	}

	// The body may leave out the id: the path names the KPI.
	update := strings.Replace(strings.Replace(availabilityKPI, `"target":99.9`, `"target":99.95`, 1), `"id":"availability",`, ``, 1)
	got = call(t, ds, http.MethodPut, "kpis/availability", "Editor", nil, []byte(update))
	if w := decodeWrite(t, got); got.status != 200 || w.Outcome != "versioned" || w.KPI.Version != 2 || w.KPI.Target != 99.95 {
		t.Fatalf("update: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodPut, "kpis/availability", "Editor", nil, []byte(update))
	if w := decodeWrite(t, got); got.status != 200 || w.Outcome != "unchanged" || w.KPI.Version != 2 {
		t.Fatalf("unchanged update: %d %s", got.status, got.body)
	}

	got = call(t, ds, http.MethodPost, "kpis/availability/retire", "Admin", nil, nil)
	if w := decodeWrite(t, got); got.status != 200 || w.Outcome != "retired" || w.KPI.Version != 3 || w.KPI.Status != kpi.Retired {
		t.Fatalf("retire: %d %s", got.status, got.body)
	}

	got = call(t, ds, http.MethodGet, "kpis/availability/versions", "Viewer", nil, nil)
	var versions []kpi.Definition
	if err := json.Unmarshal(got.body, &versions); err != nil || got.status != 200 || len(versions) != 3 || versions[0].Target != 99.9 {
		t.Fatalf("versions: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodGet, "kpis", "Viewer", nil, nil)
	var list []kpi.Definition
	if err := json.Unmarshal(got.body, &list); err != nil || len(list) != 1 || list[0].Version != 3 || list[0].Status != kpi.Retired {
		t.Fatalf("list: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodGet, "kpis/availability", "Viewer", nil, nil)
	if !strings.Contains(string(got.body), `"version":3`) {
		t.Fatalf("get: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodGet, "values/kpi", "Viewer", nil, nil)
	if strings.TrimSpace(string(got.body)) != `["availability"]` {
		t.Fatalf("values/kpi: %d %s", got.status, got.body)
	}
}

func TestKPIDefinitionBadRequests(t *testing.T) {
	ds := newTestDatasource(t, nil)
	if got := call(t, ds, http.MethodPost, "kpis", "Editor", nil, []byte(availabilityKPI)); got.status != http.StatusCreated {
		t.Fatalf("create: %d %s", got.status, got.body)
	}
	cases := []struct {
		name, method, path, body string
		want                     int
		has, field               string
	}{
		{"unknown direction", "POST", "kpis", `{"id":"x","name":"X","direction":"up","target":1}`, 400, `"up" is not one of higher, lower`, "direction"},
		{"warning above the target when higher is better", "POST", "kpis", `{"id":"x","name":"X","direction":"higher","target":90,"warning":95}`, 400, "95 is not below the target 90", "warning"},
		{"critical below the target when lower is better", "POST", "kpis", `{"id":"x","name":"X","direction":"lower","target":200,"warning":300,"critical":100}`, 400, "100 is not above the target 200", "critical"},
		{"thresholds on the wrong side in an update", "PUT", "kpis/availability", strings.Replace(availabilityKPI, `"critical":99`, `"critical":99.7`, 1), 400, "99.7 is not below the warning threshold 99.5", "critical"},
		{"missing name", "POST", "kpis", `{"id":"x","direction":"lower","target":1}`, 400, "name", "name"},
		{"not JSON", "POST", "kpis", `{"id":`, 400, "not a JSON object", ""},
		{"duplicate create", "POST", "kpis", availabilityKPI, 409, "already exists", ""},
		{"update of a missing KPI", "PUT", "kpis/ghost", strings.Replace(availabilityKPI, `"id":"availability",`, ``, 1), 404, `KPI "ghost" is not defined`, ""},
		{"update naming another KPI", "PUT", "kpis/availability", strings.Replace(availabilityKPI, `"availability"`, `"uptime"`, 1), 400, "never changes", "id"},
		{"stale edit", "PUT", "kpis/availability", strings.Replace(availabilityKPI, `"target":99.9`, `"target":99.8,"base_version":7`, 1), 409, "version 1, not 7", ""},
		{"retire a missing KPI", "POST", "kpis/ghost/retire", ``, 404, "not defined", ""},
		{"get a missing KPI", "GET", "kpis/ghost", ``, 404, "not defined", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := call(t, ds, c.method, c.path, "Editor", nil, []byte(c.body))
			var e kpiError
			if err := json.Unmarshal(got.body, &e); err != nil || got.status != c.want || !strings.Contains(e.Error, c.has) || e.Field != c.field {
				t.Fatalf("%d %s; want %d with %q (field %q)", got.status, got.body, c.want, c.has, c.field)
			}
		})
	}
	// Nothing above changed the stored KPI.
	got := call(t, ds, http.MethodGet, "kpis/availability/versions", "Viewer", nil, nil)
	if strings.Count(string(got.body), `"version"`) != 1 {
		t.Fatalf("versions after refused writes: %s", got.body)
	}
}

func TestKPIWritesNeedTheWriterRole(t *testing.T) {
	ds := newTestDatasource(t, nil)
	call(t, ds, http.MethodPost, "kpis", "Editor", nil, []byte(availabilityKPI))
	writes := []struct{ method, path, body string }{
		{"POST", "kpis", strings.Replace(availabilityKPI, "availability", "uptime", 1)},
		{"PUT", "kpis/availability", strings.Replace(availabilityKPI, `"target":99.9`, `"target":99.8`, 1)},
		{"POST", "kpis/availability/retire", ""},
		{"POST", "ingest/kpi-definitions", "[" + strings.Replace(availabilityKPI, "availability", "uptime", 1) + "]"},
	}
	for _, role := range []string{"Viewer", ""} {
		for _, wr := range writes {
			if got := call(t, ds, wr.method, wr.path, role, nil, []byte(wr.body)); got.status != http.StatusForbidden {
				t.Errorf("%q %s %s: %d %s, want 403", role, wr.method, wr.path, got.status, got.body)
			}
		}
	}
	got := call(t, ds, http.MethodGet, "kpis/availability/versions", "Viewer", nil, nil)
	if strings.Count(string(got.body), `"version"`) != 1 || strings.Contains(string(got.body), "uptime") {
		t.Fatalf("a refused write changed the catalog: %s", got.body)
	}
	// The ingest token writes, and is named as the writer.
	got = call(t, ds, http.MethodPost, "kpis/availability/retire", "", map[string]string{IngestTokenHeader: "s3cret-token"}, nil)
	if w := decodeWrite(t, got); got.status != 200 || w.KPI.ChangedBy != "ingest token" {
		t.Fatalf("retire with the token: %d %s", got.status, got.body)
	}
}

func TestKPIImportAndSamples(t *testing.T) {
	ds := newTestDatasource(t, nil)
	csv := "id,name,unit,direction,target,warning,critical,service,cost_per_unit,currency\n" +
		"downtime_api,API downtime,m,lower,10,20,30,api,120,EUR\n" +
		"nps,NPS,,higher,40,50,,,,\n"
	got := call(t, ds, http.MethodPost, "ingest/kpi-definitions?format=csv", "Editor", nil, []byte(csv))
	var res kpi.ImportResult
	if err := json.Unmarshal(got.body, &res); err != nil || got.status != 200 || res.Stored != 1 || res.Created != 1 || len(res.Rejected) != 1 ||
		res.Rejected[0].Line != 3 || res.Rejected[0].Field != "warning" {
		t.Fatalf("import: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodPost, "ingest/kpi-definitions?format=csv", "Editor", nil, []byte("id,name\nx,X\n"))
	if got.status != 400 || !strings.Contains(string(got.body), "direction") {
		t.Fatalf("CSV without required columns: %d %s", got.status, got.body)
	}
	got = call(t, ds, http.MethodPost, "ingest/kpi-samples", "Editor", nil, []byte(`[{"kpi":"downtime_api","at":"2024-05-01T00:00:00Z","value":3}]`))
	if got.status != 200 || !strings.Contains(string(got.body), `"stored":1`) {
		t.Fatalf("samples: %d %s", got.status, got.body)
	}
}

func TestCatalogListsKPIMetrics(t *testing.T) {
	ds := newTestDatasource(t, nil)
	got := call(t, ds, http.MethodGet, "catalog", "Viewer", nil, nil)
	var entries []catalog.Entry
	if err := json.Unmarshal(got.body, &entries); err != nil {
		t.Fatal(err)
	}
	metrics := map[string]bool{}
	for _, e := range entries {
		if e.QueryType == "kpi" {
			metrics[e.Metric] = true
		}
	}
	for _, m := range kpi.Metrics() {
		if !metrics[m] {
			t.Errorf("GET catalog lacks kpi metric %s", m)
		}
	}
}
