package models

// KaizenOptions are the options of kaizen queries (query type "kaizen",
// pkg/metrics/kaizen, docs/kaizen.md): did an improvement work (metric
// impact), does it hold at its review dates (sustainability, reviews), where
// the events fall on a chart (phases, annotations), and how the improvement
// backlog flows (cycle_time, velocity). Which events are read is set by
// Events and by the filters event, owner and status.
type KaizenOptions struct {
	// Events names events by id; empty: every event the filters keep. An event
	// named here must exist.
	Events []string `json:"events,omitempty"`
	// IncludeArchived reads archived events too.
	IncludeArchived bool `json:"includeArchived,omitempty"`
	// Baseline, After and Settling replace every event's own window lengths
	// ("30d", "12h"): the baseline before deployed_at, the window after it, and
	// the settling period skipped right after the deployment.
	Baseline string `json:"baseline,omitempty"`
	After    string `json:"after,omitempty"`
	Settling string `json:"settling,omitempty"`
	// Alpha is the significance level (default 0.05); MinN the fewest points
	// per window for a verdict (default 8); Seed and Resamples set the
	// bootstrap (defaults 0 and 10000), as `kaizen impact` takes them.
	Alpha     *float64 `json:"alpha,omitempty"`
	MinN      int      `json:"minN,omitempty"`
	Seed      uint64   `json:"seed,omitempty"`
	Resamples int      `json:"resamples,omitempty"`
	// Value is the number the timeseries format returns per event: for impact
	// verdict_code (default), p_value, change or relative_change; for
	// sustainability lost (default: 1 when the gain is lost) or state_code.
	Value string `json:"value,omitempty"`
}
