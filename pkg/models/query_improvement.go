package models

import "encoding/json"

// ImprovementOptions are the options of the continuous-improvement query types
// (docs/improvement.md): postmortems (pkg/metrics/postmortems), alerts
// (pkg/metrics/alertquality) and backtest (pkg/metrics/backtest). Each type
// reads its own fields and ignores the others'.
type ImprovementOptions struct {
	// Severities orders severities from most to least severe (default sev1 …
	// sev5); matching ignores case. MinSeverity keeps incidents at or above it
	// (postmortem coverage); empty: every severity in the list.
	Severities  []string `json:"severities,omitempty"`
	MinSeverity string   `json:"minSeverity,omitempty"`
	// PostmortemDays: an incident is covered when a postmortem is published
	// within this many days of its resolution (default 5).
	PostmortemDays *float64 `json:"postmortemDays,omitempty"`
	// RepeatDays: an incident repeats an earlier one of the same service
	// sharing a postmortem theme that started at most this many days before
	// (default 30).
	RepeatDays *float64 `json:"repeatDays,omitempty"`

	// FlapMinutes: an alert that fires again at most this long after it
	// resolved is flapping (default 30).
	FlapMinutes *float64 `json:"flapMinutes,omitempty"`
	// ShortMinutes: an alert resolved within this long, never acknowledged nor
	// linked to an incident, is short-lived (default 5).
	ShortMinutes *float64 `json:"shortMinutes,omitempty"`
	// LinkMinutes: an alert is linked to an incident of its service when it
	// started between this long before the incident started and the
	// incident's resolution (default 30).
	LinkMinutes *float64 `json:"linkMinutes,omitempty"`
	// Shift and Handover define on-call shifts for bucket "shift": the length
	// ("12h", "1d", "1w"; default 1w) and one handover, "HH:MM" UTC (weekly
	// shifts hand over on Mondays) or an RFC 3339 time (default 09:00).
	Shift    string `json:"shift,omitempty"`
	Handover string `json:"handover,omitempty"`
	// Top bounds the rows of the noisy alerts table (default 10).
	Top int `json:"top,omitempty"`

	// Source is the backtest's series: any series-producing query.
	Source *Query `json:"source,omitempty"`
	// Candidates are the alert conditions to replay, as a JSON array of
	// pkg/stats/backtest specs (threshold, control, burn_rate).
	Candidates json.RawMessage `json:"candidates,omitempty"`
	// Lead lets an alert firing up to this long before an incident started
	// catch it ("5m"; default 0).
	Lead string `json:"lead,omitempty"`
}
