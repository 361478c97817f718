package bench

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const testDashboard = `{
  "title": "T",
  "time": {"from": "now-7d", "to": "now"},
  "templating": {"list": [
    {"name": "service", "type": "query", "query": "values(incidents, service)", "includeAll": true, "multi": true, "current": {"value": ["$__all"]}},
    {"name": "env", "type": "query", "query": {"query": "values(delivery, environment)"}, "current": {"value": "production"}},
    {"name": "team", "type": "custom", "options": [{"value": "a"}, {"value": "b"}], "current": {"value": "zz"}}
  ]},
  "annotations": {"list": [
    {"name": "Builtin", "enable": true, "datasource": {"type": "grafana", "uid": "-- Grafana --"}},
    {"name": "Deploys", "enable": true, "datasource": {"type": "kaizenops-metrics-datasource", "uid": "kaizenops"}, "target": {"refId": "Anno", "queryType": "annotations", "metric": "deployments"}},
    {"name": "Off", "enable": false, "datasource": {"type": "kaizenops-metrics-datasource"}, "target": {"queryType": "annotations"}}
  ]},
  "panels": [
    {"id": 1, "title": "MTTR", "timeFrom": "30d", "datasource": {"type": "kaizenops-metrics-datasource", "uid": "kaizenops"},
     "targets": [{"refId": "A", "queryType": "incidents", "metric": "mttr", "filters": {"service": ["$service"], "team": ["$team"]}}]},
    {"id": 2, "type": "row", "title": "Row", "panels": [
      {"id": 3, "title": "Nested", "targets": [{"datasource": {"type": "kaizenops-metrics-datasource"}, "queryType": "delivery", "metric": "lead_time", "filters": {"environment": ["${env}"]}}]}
    ]},
    {"id": 4, "title": "Prom", "datasource": {"type": "prometheus", "uid": "prom"}, "targets": [{"refId": "A", "expr": "up"}]},
    {"id": 5, "title": "Mixed", "datasource": {"type": "datasource", "uid": "-- Mixed --"},
     "targets": [{"refId": "A", "datasource": {"type": "prometheus"}, "expr": "up"}, {"refId": "B", "datasource": {"type": "kaizenops-metrics-datasource"}, "queryType": "slo", "metric": "status"}]}
  ]
}`

func TestParseDashboard(t *testing.T) {
	d, err := ParseDashboard("t", []byte(testDashboard))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range d.Targets {
		names = append(names, tg.Name())
	}
	// Panel targets in order (the row's nested panel included, Prometheus left out, the
	// mixed panel's own Kaizen Ops target kept), then the enabled Kaizen Ops annotation.
	want := []string{"t / MTTR / A", "t / Nested / A", "t / Mixed / B", "t / annotation: Deploys / Anno"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("targets %q, want %q", names, want)
	}
	if d.Targets[0].TimeFrom != "30d" || d.Targets[1].TimeFrom != "" {
		t.Fatalf("panel time overrides %q, %q; want 30d on MTTR only", d.Targets[0].TimeFrom, d.Targets[1].TimeFrom)
	}
	if d.From != "now-7d" || d.To != "now" || len(d.Variables) != 3 {
		t.Fatalf("range %s..%s, %d variables", d.From, d.To, len(d.Variables))
	}
	if v := d.Variables[1]; v.Query != "values(delivery, environment)" || !reflect.DeepEqual(v.Current, []string{"production"}) {
		t.Fatalf("object query / string current: %+v", v)
	}
}

func TestParseDashboardBadJSON(t *testing.T) {
	if _, err := ParseDashboard("x", []byte(`{"panels": [}`)); err == nil || !strings.Contains(err.Error(), "dashboard JSON") {
		t.Fatalf("got %v", err)
	}
}

func TestResolveAndBind(t *testing.T) {
	d, err := ParseDashboard("t", []byte(testDashboard))
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	list := func(_ context.Context, path string) ([]string, error) {
		asked = append(asked, path)
		switch path {
		case "values/incidents/service":
			return []string{"api", "web"}, nil
		case "values/delivery/environment":
			return []string{"production", "staging"}, nil
		}
		return nil, errors.New("unexpected")
	}
	b, err := ResolveVariables(context.Background(), d, list)
	if err != nil {
		t.Fatal(err)
	}
	// All -> every listed value; a saved value in the data stays; a custom variable
	// whose saved value is not an option falls back to the first option, with a note.
	want := map[string][]string{"service": {"api", "web"}, "env": {"production"}, "team": {"a"}}
	if !reflect.DeepEqual(b.Values, want) {
		t.Fatalf("values %v, want %v", b.Values, want)
	}
	if len(b.Notes) != 1 || !strings.Contains(b.Notes[0], "team = a") {
		t.Fatalf("notes %q", b.Notes)
	}
	if !reflect.DeepEqual(asked, []string{"values/incidents/service", "values/delivery/environment"}) {
		t.Fatalf("asked %q", asked)
	}
	q, err := Bind(d.Targets[0], b.Values)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Filters; !reflect.DeepEqual(got, map[string][]string{"service": {"api", "web"}, "team": {"a"}}) {
		t.Fatalf("filters %v", got)
	}
	q, err = Bind(d.Targets[1], b.Values)
	if err != nil {
		t.Fatal(err)
	}
	if q.RefID != "A" || !reflect.DeepEqual(q.Filters["environment"], []string{"production"}) || q.Bucket != "auto" {
		t.Fatalf("nested target: %+v", q)
	}
}

func TestResolveVariableError(t *testing.T) {
	d, _ := ParseDashboard("t", []byte(testDashboard))
	_, err := ResolveVariables(context.Background(), d, func(context.Context, string) ([]string, error) {
		return nil, errors.New("status 400: unknown dimension")
	})
	if err == nil || !strings.Contains(err.Error(), "variable service (values/incidents/service)") {
		t.Fatalf("got %v", err)
	}
}

func TestBindStrings(t *testing.T) {
	tg := Target{Dashboard: "d", Panel: "p", RefID: "A", JSON: map[string]any{
		"queryType": "incidents", "metric": "$m", "filters": map[string]any{"service": []any{"$svc", "x-[[svc]]", "", "$unknown"}},
		"incident": map[string]any{"start": "${start:raw}"}, "bucket": "$__interval",
	}}
	q, err := Bind(tg, map[string][]string{"m": {"MTTR"}, "svc": {"a", "b"}, "start": {"detected"}})
	if err != nil {
		t.Fatal(err)
	}
	// Whole-value references expand to one filter value each; embedded ones join with
	// commas; empty values drop; unknown and Grafana's own variables stay as typed.
	if !reflect.DeepEqual(q.Filters["service"], []string{"a", "b", "x-a,b", "$unknown"}) {
		t.Fatalf("filters %q", q.Filters["service"])
	}
	if q.Metric != "mttr" || q.Incident.Start != "detected" || q.Bucket != "$__interval" {
		t.Fatalf("query %+v", q)
	}
}

func TestTimeRange(t *testing.T) {
	now := time.Date(2025, 3, 12, 15, 30, 0, 0, time.UTC) // a Wednesday
	cases := []struct {
		from, to     string
		wantFrom     string
		wantTo       string
		wantErrMatch string
	}{
		{"now-30d", "now", "2025-02-10T15:30:00Z", "2025-03-12T15:30:00Z", ""},
		{"now-7d", "now", "2025-03-05T15:30:00Z", "2025-03-12T15:30:00Z", ""},
		{"now-1d/d", "now/d", "2025-03-11T00:00:00Z", "2025-03-12T00:00:00Z", ""},
		{"now/w", "now", "2025-03-10T00:00:00Z", "2025-03-12T15:30:00Z", ""}, // weeks start Monday
		{"now-2M", "now+1h", "2025-01-12T15:30:00Z", "2025-03-12T16:30:00Z", ""},
		{"2025-01-01T00:00:00Z", "1735776000000", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", ""},
		{"now-5q", "now", "", "", `unknown unit "q"`},
		{"now", "now-1h", "", "", "is empty"},
		{"yesterday", "now", "", "", "want now"},
	}
	for _, c := range cases {
		f, to, err := TimeRange(c.from, c.to, now)
		if c.wantErrMatch != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErrMatch) {
				t.Errorf("%s..%s: err %v, want %q", c.from, c.to, err, c.wantErrMatch)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s..%s: %v", c.from, c.to, err)
			continue
		}
		if f.Format(time.RFC3339) != c.wantFrom || to.Format(time.RFC3339) != c.wantTo {
			t.Errorf("%s..%s = %s..%s, want %s..%s", c.from, c.to, f.Format(time.RFC3339), to.Format(time.RFC3339), c.wantFrom, c.wantTo)
		}
	}
}

// TestResolveAllValue: a variable with an allValue sends it for All, as Grafana does,
// without listing every value into the query; the backend reads "*" as no filter.
func TestResolveAllValue(t *testing.T) {
	raw := strings.Replace(testDashboard, `"includeAll": true,`, `"includeAll": true, "allValue": "*",`, 1)
	d, err := ParseDashboard("t", []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ResolveVariables(context.Background(), d, func(_ context.Context, path string) ([]string, error) {
		return []string{"api", "web"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Values["service"]; !reflect.DeepEqual(got, []string{"*"}) {
		t.Fatalf("service = %v, want [*]", got)
	}
	q, err := Bind(d.Targets[0], b.Values)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Filters["service"]; ok || !reflect.DeepEqual(q.Unfiltered, []string{"service"}) {
		t.Fatalf("filters %v, unfiltered %v: want no service filter", q.Filters, q.Unfiltered)
	}
}
