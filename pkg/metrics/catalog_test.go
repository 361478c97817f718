package metrics_test

import (
	"testing"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// notMetrics are query types that compute no metric of their own, so the catalog has
// nothing to define for them: annotations mark events on a dashboard.
var notMetrics = map[string]bool{models.QueryTypeAnnotations: true}

// noUnit lists entries that still leave their unit empty: spc/chart takes its source
// query's unit, slo/status bundles frames in several units. Each should name its unit in
// words, as kpi/value does ("the definition's unit"), and leave this list.
var noUnit = map[string]bool{"spc/chart": true, "slo/status": true}

// TestCatalogCoversEveryQueryType: every registered query type documents its metrics,
// and every entry says what it computes, in what unit, by default how, and on whose authority.
func TestCatalogCoversEveryQueryType(t *testing.T) {
	entries := metrics.Catalog()
	byType := map[string]int{}
	seen := map[string]bool{}
	for _, e := range entries {
		byType[e.QueryType]++
		key := e.QueryType + "/" + e.Metric
		if seen[key] {
			t.Errorf("catalog defines %s twice", key)
		}
		seen[key] = true
		fields := map[string]string{"queryType": e.QueryType, "metric": e.Metric, "name": e.Name, "family": e.Family,
			"formula": e.Formula, "unit": e.Unit, "description": e.Description, "source": e.Source}
		if noUnit[key] {
			delete(fields, "unit")
		}
		for name, v := range fields {
			if v == "" {
				t.Errorf("catalog entry %s has an empty %s", key, name)
			}
		}
		if e.DefaultStat != "" {
			if _, err := summary.Parse(e.DefaultStat); err != nil {
				t.Errorf("catalog entry %s: default stat: %v", key, err)
			}
		}
		switch e.Direction {
		case "", "lower", "higher":
		default:
			t.Errorf("catalog entry %s: direction %q is not lower, higher or empty", key, e.Direction)
		}
	}
	for _, qt := range metrics.Engine().Types() {
		if !notMetrics[qt] && byType[qt] == 0 {
			t.Errorf("query type %q is registered but has no catalog entry", qt)
		}
	}
}
