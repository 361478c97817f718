package models

// SLOOptions are the options of SLO and SLA queries (pkg/metrics/slo, docs/slo.md).
// Which SLOs a query reads is set by the common filters (slo, service, team).
type SLOOptions struct {
	// Windows are the burn-rate windows of metric burn_rate and of the status
	// frames, e.g. ["1h", "6h"]; missing: the SRE workbook's 5m, 30m, 1h, 6h, 3d.
	Windows []string `json:"windows,omitempty"`
	// IncludeRetired also evaluates retired SLOs.
	IncludeRetired bool `json:"includeRetired,omitempty"`
}
