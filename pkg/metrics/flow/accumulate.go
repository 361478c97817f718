package flow

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// accumulator collects (bucket, group..., value) rows into series, filling buckets
// without rows with 0 for counts and no value (null) for the rest.
type accumulator struct {
	p       plan
	stat    stat
	reduced bool // rows carry SQL aggregates, not raw values
	groups  map[string]*groupValues
}

type groupValues struct {
	group   []string
	values  map[int64][]float64
	reduced map[int64]float64
}

func newAccumulator(p plan, s stat, reduced bool) *accumulator {
	return &accumulator{p: p, stat: s, reduced: reduced, groups: map[string]*groupValues{}}
}

func (a *accumulator) group(g []string) *groupValues {
	key := strings.Join(g, "\x00")
	gv, ok := a.groups[key]
	if !ok {
		gv = &groupValues{group: append([]string(nil), g...), values: map[int64][]float64{}, reduced: map[int64]float64{}}
		a.groups[key] = gv
	}
	return gv
}

// scan reads rows of (bucket, group columns..., value).
func (a *accumulator) scan(ctx context.Context, what, sqlText string, args []any) error {
	rows, err := a.p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fmt.Errorf("querying %s: %w", what, err)
	}
	defer rows.Close()
	group := make([]string, len(a.p.cols))
	var bucket int64
	var value sql.NullFloat64
	dest := []any{&bucket}
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &value)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
		gv := a.group(group)
		if !value.Valid {
			continue
		}
		if a.reduced { // one row per bucket and group; scans of parts of a range add up
			gv.reduced[bucket] += value.Float64
		} else {
			gv.values[bucket] = append(gv.values[bucket], value.Float64)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return nil
}

// result builds one series per group; an ungrouped query always has its one series.
// zeroFill gives empty buckets 0 (counts) instead of null.
func (a *accumulator) result(name, field, unit string, zeroFill bool) query.Result {
	if len(a.p.cols) == 0 && len(a.groups) == 0 {
		a.group([]string{})
	}
	res := query.Result{Name: name, FieldName: field, Unit: unit, GroupBy: a.p.groupBy, Bucketed: a.p.buckets.Width > 0}
	starts := []int64{0}
	var times []time.Time
	if res.Bucketed {
		starts = starts[:0]
		for _, t := range a.p.buckets.Range(a.p.env.From, a.p.env.To) {
			starts = append(starts, t.UnixMilli())
			times = append(times, t)
		}
	}
	for _, gv := range a.groups {
		s := query.Series{Group: gv.group, Times: times, Values: make([]*float64, len(starts))}
		for i, b := range starts {
			var v float64
			var ok bool
			if a.reduced {
				v, ok = gv.reduced[b]
			} else {
				v, ok = a.stat.of(gv.values[b])
			}
			if !ok && zeroFill {
				v, ok = 0, true
			}
			if ok {
				val := v
				s.Values[i] = &val
			}
		}
		res.Series = append(res.Series, s)
	}
	return res
}
