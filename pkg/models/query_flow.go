package models

// FlowOptions are the options of value stream and flow queries (docs/flow.md).
// The value stream is chosen like any dimension: filters {"value_stream": ["..."]}.
type FlowOptions struct {
	// Part of stage_time: "total" (default), "process" (active stays) or "wait".
	Part string `json:"part,omitempty"`
	// Cumulative turns arrivals and departures into running totals over the range,
	// arrivals starting from the WIP at the range start: a cumulative flow diagram.
	Cumulative bool `json:"cumulative,omitempty"`
	// MaxItems bounds the rows of the items metric (default 10000, at most 100000).
	MaxItems int `json:"maxItems,omitempty"`
}
