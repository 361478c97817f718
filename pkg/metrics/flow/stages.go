package flow

import (
	"context"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// partExpr is an item's time in a stage (flow_stage_times), in seconds.
var partExpr = map[string]string{
	PartTotal:   "(process_ms + wait_ms) / 1000.0",
	PartProcess: "process_ms / 1000.0",
	PartWait:    "wait_ms / 1000.0",
}

var partLabel = map[string]string{PartTotal: "Stage time", PartProcess: "Process time in stage", PartWait: "Wait time in stage"}

// stageTime summarizes, per stage, the time completed items spent in it (all their stays
// added up), over the items that visited the stage, placed by the item's done_at.
func (p plan) stageTime(ctx context.Context) (query.Result, error) {
	st, err := p.durationStat()
	if err != nil {
		return query.Result{}, err
	}
	expr := partExpr[p.opts.part]
	w := p.where("done_at", "done_at IS NOT NULL")
	var sqlText string
	if st.needsValues() {
		sqlText = "SELECT " + p.selectList("done_at") + ", " + expr + " FROM flow_stage_times" + w.SQL()
	} else {
		sqlText = "SELECT " + p.selectList("done_at") + ", " + st.sqlAggregate(expr) + " FROM flow_stage_times" + w.SQL() + p.groupByList("done_at")
	}
	acc := newAccumulator(p, st, !st.needsValues())
	if err := acc.scan(ctx, "stage times", sqlText, w.Args()); err != nil {
		return query.Result{}, err
	}
	unit := "s"
	if st.base == summary.Count {
		unit = "short"
	}
	return acc.result(partLabel[p.opts.part]+" ("+st.name+")", StageTime, unit, st.base == summary.Count), nil
}
