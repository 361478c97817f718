// Package flow computes value stream and flow metrics (DESIGN.md section 3, "Flow /
// value stream"): lead time, cycle time, process and wait time per stage, flow
// efficiency, WIP against limits, throughput, arrivals and departures (cumulative
// flow), aging WIP and a Little's law check. Definitions and frame shapes: docs/flow.md.
package flow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Metric names.
const (
	// Series metrics (one value per bucket and group; usable by SPC and alert rules).
	LeadTime       = "lead_time"
	CycleTime      = "cycle_time"
	ProcessTime    = "process_time"
	WaitTime       = "wait_time"
	FlowEfficiency = "flow_efficiency"
	Throughput     = "throughput"
	StageTime      = "stage_time"
	WIP            = "wip"
	WIPVsLimit     = "wip_vs_limit"
	Arrivals       = "arrivals"
	Departures     = "departures"

	// Table metrics (their own frame shapes).
	ValueStream = "value_stream"
	Items       = "items"
	Aging       = "aging"
	LittlesLaw  = "littles_law"
)

// Metrics lists the flow metrics in the order editors offer them.
func Metrics() []string {
	return []string{ValueStream, LeadTime, CycleTime, ProcessTime, WaitTime, FlowEfficiency, Throughput,
		StageTime, WIP, WIPVsLimit, Arrivals, Departures, Items, Aging, LittlesLaw}
}

// stageMetrics are computed per stage: the stage dimension is always part of the group.
var stageMetrics = []string{StageTime, WIP, WIPVsLimit, Arrivals, Departures}

func isStageMetric(m string) bool { return slices.Contains(stageMetrics, m) }

func isTableMetric(m string) bool {
	return m == ValueStream || m == Items || m == Aging || m == LittlesLaw
}

// itemDimensions: what item metrics group and filter by (columns of flow_items).
var itemDimensions = query.Dimensions{
	"value_stream": "value_stream",
	"type":         "type",
	"team":         "team",
	"source":       "source",
}

// stageDimensions add the stage (a column of flow_intervals; unpacked from flow_items.stage_times).
var stageDimensions = query.Dimensions{
	"value_stream": "value_stream",
	"type":         "type",
	"team":         "team",
	"source":       "source",
	"stage":        "stage",
}

// Dimensions lists what flow queries can be grouped and filtered by.
func Dimensions() []string { return stageDimensions.Names() }

// Stage time parts.
const (
	PartTotal   = "total"
	PartProcess = "process"
	PartWait    = "wait"
)

// options are the validated flow options of a query.
type options struct {
	part       string
	cumulative bool
	maxItems   int
}

// DefaultMaxItems bounds the rows of the items metric: a scatter, not an export.
const DefaultMaxItems = 10000

// maxItemsLimit is the largest maxItems a query may ask for.
const maxItemsLimit = 100000

func parseOptions(o *models.FlowOptions) (options, error) {
	out := options{part: PartTotal, maxItems: DefaultMaxItems}
	if o == nil {
		return out, nil
	}
	switch p := strings.ToLower(strings.TrimSpace(o.Part)); p {
	case "":
	case PartTotal, PartProcess, PartWait:
		out.part = p
	default:
		return options{}, fmt.Errorf("flow.part %q: use total, process or wait", o.Part)
	}
	out.cumulative = o.Cumulative
	if o.MaxItems < 0 || o.MaxItems > maxItemsLimit {
		return options{}, fmt.Errorf("flow.maxItems %d: use 1 to %d (0 means %d)", o.MaxItems, maxItemsLimit, DefaultMaxItems)
	}
	if o.MaxItems > 0 {
		out.maxItems = o.MaxItems
	}
	return out, nil
}

// stat is how a bucket's durations are summarized: a summary.Stat, or p85, the
// percentile Kanban service level expectations are usually stated at.
type stat struct {
	name string
	base summary.Stat
	q    float64 // > 0 for p85
}

// P85 is the 85th percentile.
const P85 = "p85"

func parseStat(s string, def summary.Stat) (stat, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return stat{name: string(def), base: def}, nil
	}
	if s == P85 {
		return stat{name: P85, q: 0.85}, nil
	}
	st, err := summary.Parse(s)
	if err != nil {
		return stat{}, fmt.Errorf("%v, p85", err)
	}
	return stat{name: string(st), base: st}, nil
}

// needsValues: percentiles need every value; the rest SQL can aggregate.
func (s stat) needsValues() bool { return s.q > 0 || s.base.NeedsValues() }

func (s stat) of(values []float64) (float64, bool) {
	if s.q > 0 {
		if len(values) == 0 {
			return 0, false
		}
		slices.Sort(values)
		return summary.QuantileSorted(values, s.q), true
	}
	return summary.Of(values, s.base)
}

// sqlAggregate is the SQL aggregate of a pushed-down stat over expr.
func (s stat) sqlAggregate(expr string) string {
	switch s.base {
	case summary.Count:
		return "COUNT(*)"
	case summary.Mean:
		return "AVG(" + expr + ")"
	case summary.Min:
		return "MIN(" + expr + ")"
	case summary.Max:
		return "MAX(" + expr + ")"
	}
	return "SUM(" + expr + ")"
}
