package models

// PrometheusOptions are the options of the prometheus query type
// (pkg/metrics/promql, docs/prometheus.md): a PromQL expression evaluated over the
// dashboard's range by the Prometheus server set in the data source's settings.
// The query's bucket sets the step: "auto" (default) follows Grafana's Prometheus
// data source rules, a duration such as "1m" is the exact step, and "none" runs an
// instant query at the end of the range.
type PrometheusOptions struct {
	// Expr is the PromQL expression. $__interval, $__rate_interval, $__range and
	// their _ms/_s forms are replaced in the backend, as Grafana's Prometheus does.
	Expr string `json:"expr"`
	// LegendFormat names each series from its labels, e.g. "{{service}} p95"; empty
	// or "__auto": the metric name and labels, like Prometheus prints a series.
	LegendFormat string `json:"legendFormat,omitempty"`
	// Step is the smallest step "auto" may choose (Grafana's "Min step"), e.g.
	// "30s"; missing: the panel interval, else the data source's scrape interval.
	Step string `json:"step,omitempty"`
}
