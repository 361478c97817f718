package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

var partLabel = map[string]string{PartTotal: "Stage time", PartProcess: "Process time in stage", PartWait: "Wait time in stage"}

// stageTime summarizes, per stage, the time completed items spent in it (all their stays
// added up), over the items that visited the stage, placed by the item's done_at. It reads
// one row per item and unpacks its stage times (flow_items.stage_times).
func (p plan) stageTime(ctx context.Context) (query.Result, error) {
	st, err := p.durationStat()
	if err != nil {
		return query.Result{}, err
	}
	// The stage is the first group column; the others, and the filters but stage's, are item columns.
	itemCols := p.cols[1:]
	w := rangeWhere(p, "done_at", itemDimensions, p.itemFilters())
	w.Add("done_at IS NOT NULL")
	bucket := "0"
	if p.buckets.Width > 0 {
		bucket = p.buckets.SQL("done_at")
	}
	sqlText := "SELECT " + strings.Join(append(append([]string{bucket}, itemCols...), "stage_times"), ", ") + " FROM flow_items" + w.SQL()
	rows, err := p.env.Store.QueryContext(ctx, sqlText, w.Args()...)
	if err != nil {
		return query.Result{}, fmt.Errorf("querying stage times: %w", err)
	}
	defer rows.Close()
	acc := newAccumulator(p, st, false)
	only := p.q.Filters["stage"]
	var b int64
	others := make([]string, len(itemCols))
	var packed string
	dest := []any{&b}
	for i := range others {
		dest = append(dest, &others[i])
	}
	dest = append(dest, &packed)
	group := make([]string, 1+len(itemCols))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return query.Result{}, fmt.Errorf("reading stage times: %w", err)
		}
		copy(group[1:], others)
		err := unpackStages(packed, func(stage string, processMs, waitMs int64) {
			if len(only) > 0 && !slices.Contains(only, stage) {
				return
			}
			group[0] = stage
			gv := acc.group(group)
			ms := processMs + waitMs
			switch p.opts.part {
			case PartProcess:
				ms = processMs
			case PartWait:
				ms = waitMs
			}
			gv.values[b] = append(gv.values[b], float64(ms)/1000)
		})
		if err != nil {
			return query.Result{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return query.Result{}, fmt.Errorf("reading stage times: %w", err)
	}
	unit := "s"
	if st.base == summary.Count {
		unit = "short"
	}
	return acc.result(partLabel[p.opts.part]+" ("+st.name+")", StageTime, unit, st.base == summary.Count), nil
}

// itemFilters are the query's filters without the stage: those on item columns.
func (p plan) itemFilters() map[string][]string {
	out := map[string][]string{}
	for k, v := range p.q.Filters {
		if k != "stage" {
			out[k] = v
		}
	}
	return out
}
