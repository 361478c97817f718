// Package promql is the prometheus query type: a PromQL expression evaluated by the
// Prometheus server of the data source's settings, over the dashboard's range, and
// returned as series labelled by their Prometheus labels. It registers with
// Engine.RegisterSeries, so every query type that takes a source (spc control
// charts, model drift, backtests) can take a PromQL expression (docs/prometheus.md).
package promql

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Series is the only metric: the expression's series themselves.
const Series = "series"

// Metrics lists the prometheus metrics.
func Metrics() []string { return []string{Series} }

func checkMetric(m string) error {
	if m == "" || m == Series {
		return nil
	}
	return fmt.Errorf("unknown prometheus metric %q; use %s (the PromQL expression says what is computed)", m, strings.Join(Metrics(), ", "))
}

// Catalog documents the prometheus query type.
func Catalog() []catalog.Entry {
	return []catalog.Entry{{
		QueryType: models.QueryTypePrometheus, Metric: Series, Name: "PromQL series", Family: "Prometheus",
		Formula: "prometheus.expr evaluated at start, start + step, ... end (range query); step from the bucket with Grafana's rules, at most 11,000 steps",
		Unit:    "the expression's own unit",
		Description: "Any Prometheus metric as a series labelled by its Prometheus labels, so SREs' existing latency and error-rate metrics get control charts, drift statistics and alert rules on them. " +
			"NaN and ±Inf samples become null (no value); steps without a sample (a gap, a stale series) are absent.",
		Source: "Prometheus HTTP API (/api/v1/query_range); Grafana's Prometheus data source (step, $__interval, $__rate_interval, legend format)",
	}}
}
