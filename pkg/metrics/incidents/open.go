package incidents

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// open counts incidents open at the end of each bucket (or at the end of the range):
// started at or before that instant and not resolved by it. One pass over the
// incidents overlapping the range, with a difference array per group.
func (p plan) open(ctx context.Context) (query.Result, error) {
	starts, ends := p.bucketEnds()
	w := &query.Where{}
	w.Add("started_at <= ?", ends[len(ends)-1].UnixMilli())
	w.Add("(resolved_at IS NULL OR resolved_at > ?)", p.firstInstant(ends).UnixMilli())
	if err := w.Filters(dimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	cols := append([]string{"started_at", "resolved_at"}, p.groupCols...)
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM incidents"+w.SQL(), w.Args()...)
	if err != nil {
		return query.Result{}, fmt.Errorf("querying open incidents: %w", err)
	}
	defer rows.Close()
	endMs := make([]int64, len(ends))
	for i, e := range ends {
		endMs[i] = e.UnixMilli()
	}
	diffs := map[string][]int{}
	groups := map[string][]string{}
	var started int64
	var resolved sql.NullInt64
	group := make([]string, len(p.groupCols))
	dest := []any{&started, &resolved}
	for i := range group {
		dest = append(dest, &group[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return query.Result{}, fmt.Errorf("reading open incidents: %w", err)
		}
		key := strings.Join(group, "\x00")
		d, ok := diffs[key]
		if !ok {
			d = make([]int, len(ends)+1)
			diffs[key] = d
			groups[key] = append([]string(nil), group...)
		}
		// Open at instant e when started <= e < resolved.
		first := sort.Search(len(endMs), func(i int) bool { return endMs[i] >= started })
		last := len(endMs)
		if resolved.Valid {
			last = sort.Search(len(endMs), func(i int) bool { return endMs[i] >= resolved.Int64 })
		}
		if first < last {
			d[first]++
			d[last]--
		}
	}
	if err := rows.Err(); err != nil {
		return query.Result{}, fmt.Errorf("reading open incidents: %w", err)
	}
	if len(p.groupCols) == 0 && len(diffs) == 0 {
		diffs[""] = make([]int, len(ends)+1)
		groups[""] = []string{}
	}
	res := query.Result{Name: "Open incidents", FieldName: Open, Unit: "short", GroupBy: p.q.GroupBy, Bucketed: starts != nil}
	for key, d := range diffs {
		s := query.Series{Group: groups[key], Times: starts, Values: make([]*float64, len(ends))}
		running := 0
		for i := range ends {
			running += d[i]
			v := float64(running)
			s.Values[i] = &v
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

func (p plan) firstInstant(ends []time.Time) time.Time { return ends[0] }

func timeMs(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
