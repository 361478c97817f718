package flow

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// WIP is measured at the end of each bucket (or of the range) as the state just before
// that instant: stays that began before it and had not ended before it. Events at the
// instant itself belong to the next bucket, as they do for arrivals and departures, so
// cumulative arrivals − cumulative departures = WIP at every bucket end.

// wip counts the items in each stage at each bucket end; wip_vs_limit divides by the
// stage's WIP limit (stages without a limit are left out).
func (p plan) wip(ctx context.Context) (query.Result, error) {
	starts, ends := p.bucketEnds()
	endMs := make([]int64, len(ends))
	for i, e := range ends {
		endMs[i] = e.UnixMilli()
	}
	var diffs map[string][]int
	var groups map[string][]string
	var err error
	if p.stageDaysServe() && endMs[0] >= StageDay {
		diffs, groups, err = p.wipFromDays(ctx, endMs)
	} else {
		diffs, groups, err = p.wipFromStays(ctx, endMs)
	}
	if err != nil {
		return query.Result{}, err
	}
	defs, err := LoadDefinitions(ctx, p.env.Store)
	if err != nil {
		return query.Result{}, err
	}
	for _, g := range p.definedStageGroups(defs) {
		key := strings.Join(g, "\x00")
		if _, ok := diffs[key]; !ok {
			diffs[key] = make([]int, len(endMs)+1)
			groups[key] = g
		}
	}

	res := query.Result{Name: "WIP", FieldName: WIP, Unit: "short", GroupBy: p.groupBy, Bucketed: starts != nil}
	if p.metric == WIPVsLimit {
		res = query.Result{Name: "WIP vs limit", FieldName: WIPVsLimit, Unit: "percentunit", GroupBy: p.groupBy, Bucketed: starts != nil}
	}
	for key, d := range diffs {
		g := groups[key]
		scale := 1.0
		if p.metric == WIPVsLimit {
			limit := stageLimit(defs, g[0], g[1]) // grouped by value_stream, stage
			if limit == 0 {
				continue
			}
			scale = 1 / float64(limit)
		}
		s := query.Series{Group: g, Times: starts, Values: make([]*float64, len(endMs))}
		running := 0
		for i := range endMs {
			running += d[i]
			v := float64(running) * scale
			s.Values[i] = &v
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

func stageLimit(defs map[string]*Definition, stream, stage string) int {
	if s, ok := defs[stream].stage(stage); ok && s.WIPLimit != nil {
		return *s.WIPLimit
	}
	return 0
}

// definedStageGroups lists the groups of the defined (not done) stages that the query
// covers, so a stage with nothing in it reads 0 rather than missing. Only possible when
// the query groups by nothing but stage and value stream.
func (p plan) definedStageGroups(defs map[string]*Definition) [][]string {
	for _, g := range p.groupBy {
		if g != "stage" && g != "value_stream" {
			return nil
		}
	}
	for f, v := range p.q.Filters {
		if len(v) > 0 && f != "stage" && f != "value_stream" {
			return nil
		}
	}
	keep := func(dim, v string) bool {
		vals := p.q.Filters[dim]
		return len(vals) == 0 || slices.Contains(vals, v)
	}
	seen := map[string]bool{}
	var out [][]string
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if !keep("value_stream", name) {
			continue
		}
		for _, s := range defs[name].Stages {
			if s.Kind == KindDone || !keep("stage", s.Name) {
				continue
			}
			g := make([]string, len(p.groupBy))
			for i, dim := range p.groupBy {
				if dim == "stage" {
					g[i] = s.Name
				} else {
					g[i] = name
				}
			}
			if key := strings.Join(g, "\x00"); !seen[key] {
				seen[key] = true
				out = append(out, g)
			}
		}
	}
	return out
}

// flowCounts counts arrivals into (stays that began) or departures from (stays that
// ended) each stage per bucket. Cumulative adds them up over the range, arrivals
// starting from the WIP just before the range: the lines of a cumulative flow diagram,
// whose gap is the WIP.
func (p plan) flowCounts(ctx context.Context) (query.Result, error) {
	tcol, name := "entered_at", "Arrivals"
	if p.metric == Departures {
		tcol, name = "exited_at", "Departures"
	}
	acc := newAccumulator(p, stat{name: "count", base: summary.Count}, true)
	if err := p.scanStays(ctx, acc, tcol, strings.ToLower(name)); err != nil {
		return query.Result{}, err
	}
	defs, err := LoadDefinitions(ctx, p.env.Store)
	if err != nil {
		return query.Result{}, err
	}
	for _, g := range p.definedStageGroups(defs) {
		acc.group(g)
	}
	initial := map[string]float64{}
	if p.opts.cumulative && p.metric == Arrivals {
		if initial, err = p.initialWIP(ctx, acc); err != nil {
			return query.Result{}, err
		}
	}
	res := acc.result(name, p.metric, "short", true)
	if p.opts.cumulative {
		res.Name = "Cumulative " + strings.ToLower(name)
		for _, s := range res.Series {
			total := initial[strings.Join(s.Group, "\x00")]
			for i, v := range s.Values {
				total += *v
				t := total
				s.Values[i] = &t
			}
		}
	}
	return res, nil
}

// initialWIP counts, per group, the stays in progress just before the range start.
func (p plan) initialWIP(ctx context.Context, acc *accumulator) (map[string]float64, error) {
	from := p.env.From.UnixMilli()
	if p.stageDaysServe() && from >= StageDay {
		diffs, groups, err := p.wipFromDays(ctx, []int64{from})
		if err != nil {
			return nil, err
		}
		out := map[string]float64{}
		for key, d := range diffs {
			if d[0] != 0 {
				acc.group(groups[key])
				out[key] = float64(d[0])
			}
		}
		return out, nil
	}
	w := &query.Where{}
	w.Add("+entered_at < ?", from)
	_ = w.Filters(p.dims, p.q.Filters)
	sqlText := "SELECT " + strings.Join(append([]string{"0"}, p.cols...), ", ") + ", COUNT(*) FROM (" +
		staysIn(append([]string{"0 AS z"}, p.cols...), w, from) + ") AS u"
	if len(p.cols) > 0 {
		sqlText += " GROUP BY " + strings.Join(p.cols, ", ")
	}
	rows, err := p.env.Store.QueryContext(ctx, sqlText, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying WIP at the range start: %w", err)
	}
	defer rows.Close()
	out := map[string]float64{}
	group := make([]string, len(p.cols))
	var zero int64
	var n float64
	dest := []any{&zero}
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &n)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading WIP at the range start: %w", err)
		}
		acc.group(group)
		out[strings.Join(group, "\x00")] = n
	}
	return out, rows.Err()
}

// wipFromStays reads every stay overlapping the bucket ends and marks, per group, the
// ends it is in progress at (a difference array: diffs[i] changes the count from end i on).
func (p plan) wipFromStays(ctx context.Context, endMs []int64) (map[string][]int, map[string][]string, error) {
	w := &query.Where{}
	w.Add("+entered_at < ?", endMs[len(endMs)-1])
	_ = w.Filters(p.dims, p.q.Filters)
	cols := append(append([]string(nil), p.cols...), "entered_at", "exited_at")
	rows, err := p.env.Store.QueryContext(ctx, staysIn(cols, w, endMs[0]), w.Args()...)
	if err != nil {
		return nil, nil, fmt.Errorf("querying stage stays: %w", err)
	}
	defer rows.Close()
	diffs := map[string][]int{}
	groups := map[string][]string{}
	group := make([]string, len(p.cols))
	var entered int64
	var exited sql.NullInt64
	dest := make([]any, 0, len(cols))
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &entered, &exited)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, fmt.Errorf("reading stage stays: %w", err)
		}
		key := strings.Join(group, "\x00")
		d, ok := diffs[key]
		if !ok {
			d = make([]int, len(endMs)+1)
			diffs[key] = d
			groups[key] = append([]string(nil), group...)
		}
		// In the stage at instant e when entered < e <= exited (or still there).
		first := sort.Search(len(endMs), func(i int) bool { return endMs[i] > entered })
		last := len(endMs)
		if exited.Valid {
			last = sort.Search(len(endMs), func(i int) bool { return endMs[i] > exited.Int64 })
		}
		if first < last {
			d[first]++
			d[last]--
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading stage stays: %w", err)
	}
	return diffs, groups, nil
}

// wipFromDays counts WIP at each end e as the stays entered before e less those exited
// before e (a stay is in progress at e when entered < e <= exited, or still open): the
// whole days before e from flow_stage_days, the part of e's own day from the stays.
// It reads the rollup's history, not every stay overlapping the range.
func (p plan) wipFromDays(ctx context.Context, endMs []int64) (map[string][]int, map[string][]string, error) {
	net := map[string]map[int64]int{}     // group -> day -> arrivals - departures
	partial := map[string]map[int64]int{} // group -> end -> the same within the end's own day
	groups := map[string][]string{}
	last := query.FloorDiv(endMs[len(endMs)-1], StageDay) * StageDay
	w := &query.Where{}
	w.Add("day < ?", last)
	_ = w.Filters(p.dims, p.q.Filters)
	sel := strings.Join(append([]string{"day"}, p.cols...), ", ")
	// p.cols come from the allow-list.
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+sel+", SUM(arrivals) - SUM(departures) FROM flow_stage_days"+w.SQL()+" GROUP BY "+sel, w.Args()...)
	if err != nil {
		return nil, nil, fmt.Errorf("querying stays per day: %w", err)
	}
	group := make([]string, len(p.cols))
	var day, n int64
	dest := []any{&day}
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &n)
	add := func(into map[string]map[int64]int, at int64, n int) {
		key := strings.Join(group, "\x00")
		if _, ok := groups[key]; !ok {
			groups[key] = append([]string(nil), group...)
		}
		if into[key] == nil {
			into[key] = map[int64]int{}
		}
		into[key][at] += n
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("reading stays per day: %w", err)
		}
		add(net, day, int(n))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading stays per day: %w", err)
	}
	// The part of each end's own day: stays entered (+1) and exited (-1) in [day, end).
	for i, e := range endMs {
		if e%StageDay == 0 || (i > 0 && e == endMs[i-1]) {
			continue
		}
		dayStart := query.FloorDiv(e, StageDay) * StageDay
		for _, part := range []struct {
			col  string
			sign int
		}{{"entered_at", 1}, {"exited_at", -1}} {
			pw := &query.Where{}
			pw.Add(part.col+" >= ?", dayStart)
			pw.Add(part.col+" < ?", e)
			_ = pw.Filters(p.dims, p.q.Filters)
			cols := strings.Join(p.cols, ", ")
			sqlText := "SELECT " + strings.Join(append([]string{"0"}, p.cols...), ", ") + ", COUNT(*) FROM flow_intervals" + pw.SQL()
			if cols != "" {
				sqlText += " GROUP BY " + cols
			}
			rows, err := p.env.Store.QueryContext(ctx, sqlText, pw.Args()...)
			if err != nil {
				return nil, nil, fmt.Errorf("querying stage stays: %w", err)
			}
			for rows.Next() {
				if err := rows.Scan(dest...); err != nil {
					rows.Close()
					return nil, nil, fmt.Errorf("reading stage stays: %w", err)
				}
				add(partial, e, part.sign*int(n))
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, nil, fmt.Errorf("reading stage stays: %w", err)
			}
		}
	}
	// As a difference array over the ends: WIP(e_i) = sum of whole days before e_i's day
	// + e_i's partial day.
	diffs := map[string][]int{}
	for key := range groups {
		byDay := net[key]
		days := make([]int64, 0, len(byDay))
		for d := range byDay {
			days = append(days, d)
		}
		slices.Sort(days)
		values := make([]int, len(endMs))
		sum, k := 0, 0
		for i, e := range endMs {
			dayStart := query.FloorDiv(e, StageDay) * StageDay
			for k < len(days) && days[k] < dayStart {
				sum += byDay[days[k]]
				k++
			}
			values[i] = sum + partial[key][e]
		}
		d := make([]int, len(endMs)+1)
		prev := 0
		for i, v := range values {
			d[i] = v - prev
			prev = v
		}
		diffs[key] = d
	}
	return diffs, groups, nil
}
