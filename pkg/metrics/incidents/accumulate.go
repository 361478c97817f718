package incidents

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// accumulator collects (bucket, group..., value) rows and turns them into series,
// filling buckets that had no rows: 0 for counts, no value (null) for the rest.
type accumulator struct {
	p      plan
	stat   summary.Stat
	groups map[string]*groupValues
}

type groupValues struct {
	group    []string
	values   map[int64][]float64 // raw values per bucket start (Unix ms)
	reduced  map[int64]float64   // SQL-aggregated value per bucket start
	hasValue map[int64]bool
}

func newAccumulator(p plan, stat summary.Stat) *accumulator {
	return &accumulator{p: p, stat: stat, groups: map[string]*groupValues{}}
}

func (a *accumulator) group(g []string) *groupValues {
	key := strings.Join(g, "\x00")
	gv, ok := a.groups[key]
	if !ok {
		gv = &groupValues{group: g, values: map[int64][]float64{}, reduced: map[int64]float64{}, hasValue: map[int64]bool{}}
		a.groups[key] = gv
	}
	return gv
}

// scan reads rows of (bucket, group columns..., value).
func (a *accumulator) scan(ctx context.Context, sqlText string, args []any) error {
	rows, err := a.p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	n := len(a.p.groupCols)
	group := make([]string, n)
	dest := make([]any, 0, n+2)
	var bucket int64
	var value sql.NullFloat64
	dest = append(dest, &bucket)
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &value)
	reduced := !a.stat.NeedsValues()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading incidents: %w", err)
		}
		gv := a.group(append([]string(nil), group...))
		if !value.Valid {
			continue
		}
		if reduced {
			gv.reduced[bucket] = value.Float64
			gv.hasValue[bucket] = true
		} else {
			gv.values[bucket] = append(gv.values[bucket], value.Float64)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading incidents: %w", err)
	}
	return nil
}

// result builds one series per group; an ungrouped query always has its one series.
func (a *accumulator) result(name, field, unit string, reduced bool) query.Result {
	if len(a.p.groupCols) == 0 && len(a.groups) == 0 {
		a.group([]string{})
	}
	res := query.Result{Name: name, FieldName: field, Unit: unit, GroupBy: a.p.q.GroupBy, Bucketed: a.p.buckets.Width > 0}
	var starts []int64
	if res.Bucketed {
		for _, t := range a.p.buckets.Range(a.p.env.From, a.p.env.To) {
			starts = append(starts, t.UnixMilli())
		}
	} else {
		starts = []int64{0}
	}
	for _, gv := range a.groups {
		s := query.Series{Group: gv.group, Values: make([]*float64, len(starts))}
		for i, b := range starts {
			if res.Bucketed {
				s.Times = append(s.Times, a.p.buckets.Start(timeMs(b)))
			}
			s.Values[i] = gv.value(b, a.stat, reduced)
		}
		res.Series = append(res.Series, s)
	}
	return res
}

func (gv *groupValues) value(bucket int64, stat summary.Stat, reduced bool) *float64 {
	if reduced {
		if v, ok := gv.reduced[bucket]; ok && gv.hasValue[bucket] {
			return &v
		}
		if stat == summary.Count {
			zero := 0.0
			return &zero
		}
		return nil
	}
	v, ok := summary.Of(gv.values[bucket], stat)
	if !ok {
		return nil
	}
	return &v
}
