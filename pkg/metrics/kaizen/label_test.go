package kaizen

import (
	"testing"

	"github.com/kaizenops/suite/pkg/models"
)

func TestTargetLabelNamesWhatItMeasures(t *testing.T) {
	cases := []struct {
		name string
		info targetInfo
		q    models.Query
		want string
	}{
		{"no filters", targetInfo{name: "MTTR (median)"}, models.Query{QueryType: "incidents", Metric: "mttr"}, "MTTR (median)"},
		{"filters in key order", targetInfo{name: "MTTR (median)"},
			models.Query{QueryType: "incidents", Metric: "mttr", Filters: map[string][]string{"team": {"payments"}, "service": {"checkout", "cart"}}},
			"MTTR (median) · checkout, cart / payments"},
		{"a KPI names its KPI", targetInfo{name: "KPI value (mean)"},
			models.Query{QueryType: "kpi", Metric: "value", KPI: &models.KPIOptions{KPIs: []string{"web_p95_ms"}}},
			"KPI value (mean) · web_p95_ms"},
		{"no name falls back to type and metric", targetInfo{}, models.Query{QueryType: "delivery", Metric: "lead_time"}, "delivery lead_time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.info.label(c.q); got != c.want {
				t.Errorf("label = %q, want %q", got, c.want)
			}
		})
	}
}
