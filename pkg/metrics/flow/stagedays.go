package flow

import (
	"context"

	"github.com/kaizenops/suite/pkg/query"
)

// stageDayDimensions are the columns flow_stage_days keeps.
var stageDayDimensions = map[string]bool{"value_stream": true, "stage": true, "team": true, "type": true}

// stageDaysServe says whether flow_stage_days can answer arrivals or departures of this
// query: its groups and filters are on the rollup's columns, and its buckets are whole
// UTC days.
func (p plan) stageDaysServe() bool {
	for _, g := range p.groupBy {
		if !stageDayDimensions[g] {
			return false
		}
	}
	for k, v := range p.q.Filters {
		if len(v) > 0 && !stageDayDimensions[k] {
			return false
		}
	}
	return p.buckets.AlignedTo(StageDay)
}

// scanStays counts the stays entered (tcol entered_at) or exited (exited_at) in the
// range per bucket and group into acc: whole days from flow_stage_days when it can
// answer the query, the ragged ends of the range, and everything else, from flow_intervals.
func (p plan) scanStays(ctx context.Context, acc *accumulator, tcol, what string) error {
	from, to := p.env.From.UnixMilli(), p.env.To.UnixMilli()
	sp := query.SplitDays(from, to, StageDay, p.stageDaysServe())
	if dStart, dEnd := sp.Days[0], sp.Days[1]; dEnd > dStart {
		col := "arrivals"
		if tcol == "exited_at" {
			col = "departures"
		}
		w := p.whereIn("day", dStart, dEnd, col+" > 0")
		// col is one of two names above.
		sqlText := "SELECT " + p.selectList("day") + ", SUM(" + col + ") FROM flow_stage_days" + w.SQL() + p.groupByList("day")
		if err := acc.scan(ctx, what, sqlText, w.Args()); err != nil {
			return err
		}
	}
	for _, r := range sp.Ends {
		w := p.whereIn(tcol, r[0], r[1])
		sqlText := "SELECT " + p.selectList(tcol) + ", COUNT(*) FROM flow_intervals" + w.SQL() + p.groupByList(tcol)
		if err := acc.scan(ctx, what, sqlText, w.Args()); err != nil {
			return err
		}
	}
	return nil
}
