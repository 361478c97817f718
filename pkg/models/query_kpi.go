package models

// KPIOptions are the options of KPI queries (query type "kpi").
type KPIOptions struct {
	// KPIs selects KPI definitions by id. Empty means every active KPI; a KPI named here
	// is queried even when retired, so its history stays readable.
	KPIs []string `json:"kpis,omitempty"`
	// IncludeRetired adds retired KPIs when KPIs is empty (series and the stale audit).
	IncludeRetired bool `json:"includeRetired,omitempty"`
	// StaleDays is the stale-KPI audit's threshold: a KPI with no sample for this many
	// days is stale (default 30).
	StaleDays float64 `json:"staleDays,omitempty"`
}
