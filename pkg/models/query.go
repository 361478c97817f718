// Package models owns the wire format of queries and settings: what the query editor
// writes, what alert rules store, and what `kaizen query --json` takes.
package models

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Query types. Each is served by one metric family registered in pkg/query.
const (
	QueryTypeIncidents = "incidents"
	QueryTypeDelivery  = "delivery"
	QueryTypeAdoption  = "adoption"
	QueryTypeKPI       = "kpi"
	QueryTypeSLO       = "slo"
	QueryTypeFlow      = "flow"
	QueryTypeModel     = "model"
	QueryTypeSPC       = "spc"
	// QueryTypeKaizen answers "did the kaizen event work, and does it hold?".
	QueryTypeKaizen = "kaizen"
	// QueryTypePostmortems: postmortem coverage, action item follow-through, repeat incidents.
	QueryTypePostmortems = "postmortems"
	// QueryTypeAlerts: alert quality (volume, flapping, short-lived, actionable, noisiest) and detection coverage.
	QueryTypeAlerts = "alerts"
	// QueryTypeBacktest replays candidate alert conditions over a series against the incident history.
	QueryTypeBacktest = "backtest"
	// QueryTypeAnnotations returns incidents and deployments as dashboard annotations.
	QueryTypeAnnotations = "annotations"
	// QueryTypePrometheus evaluates a PromQL expression on the configured Prometheus.
	QueryTypePrometheus = "prometheus"
)

// Output formats.
const (
	FormatTimeSeries = "timeseries"
	FormatTable      = "table"
)

// Query is one data source query. Common fields are shared by every family;
// family options live in their own sub-object so each type's model stays small.
type Query struct {
	RefID     string `json:"refId,omitempty"`
	QueryType string `json:"queryType"`
	// Metric within the family, e.g. "mttr".
	Metric string `json:"metric,omitempty"`
	// Stat summarizes the values in a bucket: count, mean, median, p75, p90, p95, p99, min, max, sum.
	Stat string `json:"stat,omitempty"`
	// GroupBy names dimensions from the family's allow-list, e.g. ["service"].
	GroupBy []string `json:"groupBy,omitempty"`
	// Filters keep only events whose dimension has one of the given values.
	// AnyValue ("*") among a dimension's values removes that filter: every event,
	// with or without the dimension (a dashboard variable's All, as its allValue).
	Filters map[string][]string `json:"filters,omitempty"`
	// Unfiltered names the dimensions whose filter was AnyValue, removed by Normalize:
	// a family that filters by default (delivery: production) must not then apply its default.
	Unfiltered []string `json:"-"`
	// Bucket is "auto" (from the panel interval), "none" (one value for the range),
	// or a duration such as "1h", "1d", "1w".
	Bucket string `json:"bucket,omitempty"`
	// Format is "timeseries" (one frame per group) or "table" (one long frame).
	Format string `json:"format,omitempty"`

	Incident *IncidentOptions `json:"incident,omitempty"`
	Delivery *DeliveryOptions `json:"delivery,omitempty"`
	Adoption *AdoptionOptions `json:"adoption,omitempty"`
	KPI      *KPIOptions      `json:"kpi,omitempty"`
	SLO      *SLOOptions      `json:"slo,omitempty"`
	Flow     *FlowOptions     `json:"flow,omitempty"`
	Model    *ModelOptions    `json:"model,omitempty"`
	SPC      *SPCOptions      `json:"spc,omitempty"`
	Kaizen   *KaizenOptions   `json:"kaizen,omitempty"`

	Improvement *ImprovementOptions `json:"improvement,omitempty"`

	Prometheus *PrometheusOptions `json:"prometheus,omitempty"`
}

// IncidentOptions select the interval an incident duration is measured over.
type IncidentOptions struct {
	// Start of the MTTR interval: "started" (default) or "detected".
	Start string `json:"start,omitempty"`
	// End of the MTTR interval: "resolved" (default) or "mitigated".
	End string `json:"end,omitempty"`
	// TimeField places an incident in a bucket and in the time range:
	// "started" (default) or "resolved".
	TimeField string `json:"timeField,omitempty"`
}

// ParseQuery decodes a query's JSON. Unknown fields are ignored (Grafana adds its
// own, such as datasource and intervalMs); each family validates the fields it reads.
func ParseQuery(raw []byte) (Query, error) {
	var q Query
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&q); err != nil {
		return Query{}, fmt.Errorf("query JSON: %w", err)
	}
	q.Normalize()
	return q, nil
}

// AnyValue as a filter value means "no filter on this dimension". Dashboards set it
// as their variables' allValue, so All costs no IN list of every value (which also
// left out events without the dimension) and lets each store use its time index.
const AnyValue = "*"

// Normalize fills defaults shared by every query type.
func (q *Query) Normalize() {
	q.Filters, q.Unfiltered = withoutAnyValue(q.Filters, q.Unfiltered)
	q.QueryType = strings.TrimSpace(q.QueryType)
	q.Metric = strings.TrimSpace(strings.ToLower(q.Metric))
	q.Stat = strings.TrimSpace(strings.ToLower(q.Stat))
	if q.Bucket == "" {
		q.Bucket = "auto"
	}
	if q.Format == "" {
		q.Format = FormatTimeSeries
	}
}

// withoutAnyValue returns filters without the dimensions whose values include
// AnyValue, and those dimensions added to unfiltered. The map passed in is not
// changed: it may be shared with the caller's query.
func withoutAnyValue(filters map[string][]string, unfiltered []string) (map[string][]string, []string) {
	var out map[string][]string
	for name, values := range filters {
		if !slices.Contains(values, AnyValue) {
			continue
		}
		if out == nil {
			out = maps.Clone(filters)
		}
		delete(out, name)
		if !slices.Contains(unfiltered, name) {
			unfiltered = append(unfiltered, name)
		}
	}
	if out == nil {
		return filters, unfiltered
	}
	slices.Sort(unfiltered)
	return out, unfiltered
}
