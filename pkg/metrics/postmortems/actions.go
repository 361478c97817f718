package postmortems

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// scanItems runs an action item query whose rows are (times..., group columns...)
// and calls fn per row with the times (NULL: invalid).
func (p *plan) scanItems(ctx context.Context, sqlText string, args []any, nTimes int, fn func(times []sql.NullInt64, group []string)) error {
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fmt.Errorf("querying action items: %w", err)
	}
	defer rows.Close()
	times := make([]sql.NullInt64, nTimes)
	group := make([]string, len(p.groupCols))
	dest := make([]any, 0, nTimes+len(group))
	for i := range times {
		dest = append(dest, &times[i])
	}
	for i := range group {
		dest = append(dest, &group[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading action items: %w", err)
		}
		fn(times, group)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading action items: %w", err)
	}
	return nil
}

func (p *plan) itemSQL(cols []string, w *query.Where) string {
	return "SELECT " + strings.Join(append(cols, p.groupCols...), ", ") +
		" FROM action_items a LEFT JOIN postmortems pm ON pm.source = a.source AND pm.id = a.postmortem_id" + w.SQL()
}

// completion: of the action items due in the bucket (up to now), the share done
// by their due date. A bucket where nothing fell due has no value: nothing was
// asked of anyone.
func (p *plan) completion(ctx context.Context) (query.Result, error) {
	to := min(p.env.To.UnixMilli(), p.now().UnixMilli()+1)
	w := &query.Where{}
	w.Add("a.due_at >= ?", p.env.From.UnixMilli())
	w.Add("a.due_at < ?", to)
	if err := w.Filters(actionDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	t := p.tally()
	err := p.scanItems(ctx, p.itemSQL([]string{"a.due_at", "a.done_at"}, w), w.Args(), 2, func(ts []sql.NullInt64, g []string) {
		i, _ := t.Index(ts[0].Int64)
		t.Add(g, i, b2f(ts[1].Valid && ts[1].Int64 <= ts[0].Int64), 1)
	})
	if err != nil {
		return query.Result{}, err
	}
	return t.Ratios("Action items done by their due date", Completion), nil
}

// overdue counts, at the end of each bucket (or of the range), the action items
// that existed, were due before that instant and were not done by it: one pass
// with a difference array per group, as open incidents are counted.
func (p *plan) overdue(ctx context.Context) (query.Result, error) {
	t := p.tally()
	ends := t.Ends()
	endMs := make([]int64, len(ends))
	for i, e := range ends {
		endMs[i] = e.UnixMilli()
	}
	w := &query.Where{}
	w.Add("a.due_at < ?", endMs[len(endMs)-1])
	w.Add("(a.done_at IS NULL OR a.done_at > ?)", endMs[0])
	if err := w.Filters(actionDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	diffs := map[string][]int{}
	groups := map[string][]string{}
	err := p.scanItems(ctx, p.itemSQL([]string{"a.due_at", "a.done_at", "COALESCE(a.created_at, pm.created_at)"}, w), w.Args(), 3,
		func(ts []sql.NullInt64, g []string) {
			due, done, created := ts[0].Int64, ts[1], ts[2]
			// Overdue at instant e when due < e, e < done (open), and created <= e.
			first := sort.Search(len(endMs), func(i int) bool {
				return endMs[i] > due && (!created.Valid || endMs[i] >= created.Int64)
			})
			last := len(endMs)
			if done.Valid {
				last = sort.Search(len(endMs), func(i int) bool { return endMs[i] >= done.Int64 })
			}
			if first >= last {
				return
			}
			key := strings.Join(g, "\x00")
			d, ok := diffs[key]
			if !ok {
				d = make([]int, len(endMs)+1)
				diffs[key], groups[key] = d, append([]string(nil), g...)
			}
			d[first]++
			d[last]--
		})
	if err != nil {
		return query.Result{}, err
	}
	for key, d := range diffs {
		running := 0
		for i := range endMs {
			running += d[i]
			t.Add(groups[key], i, float64(running), 0)
		}
	}
	return t.Counts("Overdue action items", Overdue, "short"), nil
}

// timeToClose: done_at − created_at of the action items closed in the bucket; an
// item without created_at starts with its postmortem. A fix done before its
// postmortem was written (during the incident) took 0 s, not a negative time.
func (p *plan) timeToClose(ctx context.Context) (query.Result, error) {
	w := &query.Where{}
	w.Add("a.done_at >= ?", p.env.From.UnixMilli())
	w.Add("a.done_at < ?", p.env.To.UnixMilli())
	if err := w.Filters(actionDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	t := p.tally()
	err := p.scanItems(ctx, p.itemSQL([]string{"a.done_at", "COALESCE(a.created_at, pm.created_at)"}, w), w.Args(), 2, func(ts []sql.NullInt64, g []string) {
		i, _ := t.Index(ts[0].Int64)
		if !ts[1].Valid {
			t.Touch(g)
			return
		}
		t.AddValue(g, i, math.Max(0, float64(ts[0].Int64-ts[1].Int64)/1000))
	})
	if err != nil {
		return query.Result{}, err
	}
	return t.Stats(p.stat, "Action item time to close ("+p.stat.Label()+")", TimeToClose, "s"), nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
