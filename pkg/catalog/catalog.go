// Package catalog is the metric catalog: one documented definition per built-in metric,
// served by the data source's /catalog resource and shown on the app's catalog page.
package catalog

// Entry defines one metric.
type Entry struct {
	// QueryType and Metric are what a query names to compute it.
	QueryType string `json:"queryType"`
	Metric    string `json:"metric"`
	Name      string `json:"name"`
	Family    string `json:"family"`
	// Formula states the computation, e.g. "resolved_at − started_at".
	Formula string `json:"formula"`
	// Unit is a Grafana unit id ("s", "percentunit", "short", ...).
	Unit        string `json:"unit"`
	DefaultStat string `json:"defaultStat,omitempty"`
	// Direction is "lower" or "higher" is better, or "" when neither.
	Direction   string   `json:"direction,omitempty"`
	Description string   `json:"description"`
	Dimensions  []string `json:"dimensions,omitempty"`
	// Source names where the definition comes from (a standard, a book, a paper).
	Source string `json:"source"`
}
