package flow

import (
	"context"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// itemMetric is a per-item value of completed items (flow_items), placed by done_at.
type itemMetric struct {
	label string
	expr  string   // SQL value
	conds []string // which items have the value
	unit  string
}

var itemMetrics = map[string]itemMetric{
	LeadTime:    {"Lead time", "(done_at - created_at) / 1000.0", nil, "s"},
	CycleTime:   {"Cycle time", "(done_at - first_active_at) / 1000.0", []string{"first_active_at IS NOT NULL"}, "s"},
	ProcessTime: {"Process time", "process_ms / 1000.0", []string{"stays > 0"}, "s"},
	WaitTime:    {"Wait time", "wait_ms / 1000.0", []string{"stays > 0"}, "s"},
	// Items without stays have no known process time; items done the instant they were created have no ratio.
	FlowEfficiency: {"Flow efficiency", "process_ms * 1.0 / (done_at - created_at)", []string{"stays > 0", "done_at > created_at"}, "percentunit"},
}

// itemDurations computes lead, cycle, process and wait time and flow efficiency of the
// items completed in each bucket. Flow efficiency without a stat is the ratio of totals
// (Σ process / Σ lead time); with a stat it summarizes the items' own ratios.
func (p plan) itemDurations(ctx context.Context) (query.Result, error) {
	m := itemMetrics[p.metric]
	conds := append([]string{"done_at IS NOT NULL"}, m.conds...)
	w := p.where("done_at", conds...)
	if p.metric == FlowEfficiency && p.q.Stat == "" {
		sqlText := "SELECT " + p.selectList("done_at") + ", SUM(process_ms) * 1.0 / SUM(done_at - created_at) FROM flow_items" + w.SQL() + p.groupByList("done_at")
		acc := newAccumulator(p, stat{}, true)
		if err := acc.scan(ctx, "flow efficiency", sqlText, w.Args()); err != nil {
			return query.Result{}, err
		}
		return acc.result("Flow efficiency", FlowEfficiency, "percentunit", false), nil
	}
	st, err := p.durationStat()
	if err != nil {
		return query.Result{}, err
	}
	var sqlText string
	if st.needsValues() {
		sqlText = "SELECT " + p.selectList("done_at") + ", " + m.expr + " FROM flow_items" + w.SQL()
	} else {
		sqlText = "SELECT " + p.selectList("done_at") + ", " + st.sqlAggregate(m.expr) + " FROM flow_items" + w.SQL() + p.groupByList("done_at")
	}
	acc := newAccumulator(p, st, !st.needsValues())
	if err := acc.scan(ctx, m.label, sqlText, w.Args()); err != nil {
		return query.Result{}, err
	}
	unit := m.unit
	if st.base == summary.Count {
		unit = "short"
	}
	return acc.result(m.label+" ("+st.name+")", p.metric, unit, st.base == summary.Count), nil
}

// throughput counts the items completed in each bucket.
func (p plan) throughput(ctx context.Context) (query.Result, error) {
	w := p.where("done_at", "done_at IS NOT NULL")
	sqlText := "SELECT " + p.selectList("done_at") + ", COUNT(*) FROM flow_items" + w.SQL() + p.groupByList("done_at")
	acc := newAccumulator(p, stat{name: "count", base: summary.Count}, true)
	if err := acc.scan(ctx, "throughput", sqlText, w.Args()); err != nil {
		return query.Result{}, err
	}
	return acc.result("Throughput", Throughput, "short", true), nil
}
