package kaizen

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Compute returns the backlog's flow metrics as series: cycle time (deployed_at −
// proposed_at, seconds, median by default) and velocity (events deployed per bucket),
// both placed by deployed_at. Other kaizen metrics are tables, not series.
func (d Deps) Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	r, err := parseRequest(q)
	if err != nil {
		return query.Result{}, err
	}
	if !isSeriesMetric(r.metric) {
		return query.Result{}, fmt.Errorf("kaizen %s has one row per event, not a series over time; the series are %s and %s", r.metric, CycleTime, Velocity)
	}
	groupCols, err := dimensions.Columns(q.GroupBy)
	if err != nil {
		return query.Result{}, err
	}
	stat := summary.Count
	if r.metric == CycleTime {
		stat = summary.Median
		if q.Stat != "" {
			if stat, err = summary.Parse(q.Stat); err != nil {
				return query.Result{}, err
			}
		}
	} else if q.Stat != "" && q.Stat != string(summary.Count) {
		return query.Result{}, fmt.Errorf("velocity counts events; stat %q does not apply (use cycle_time for durations)", q.Stat)
	}
	b, err := backlogBuckets(q.Bucket, env)
	if err != nil {
		return query.Result{}, err
	}
	w := &query.Where{}
	w.Add("deployed_at >= ?", env.From.UnixMilli())
	w.Add("deployed_at < ?", env.To.UnixMilli())
	if !r.opts.IncludeArchived && len(r.opts.Events) == 0 {
		w.Add("archived_at IS NULL")
	}
	if err := w.Filters(query.Dimensions{"id": "id"}, map[string][]string{"id": r.opts.Events}); err != nil {
		return query.Result{}, err
	}
	if err := w.Filters(dimensions, q.Filters); err != nil {
		return query.Result{}, err
	}
	sel := "SELECT deployed_at, deployed_at - proposed_at"
	for _, c := range groupCols {
		sel += ", " + c
	}
	rows, err := env.Store.QueryContext(ctx, sel+" FROM kaizen_events"+w.SQL(), w.Args()...)
	if err != nil {
		return query.Result{}, fmt.Errorf("querying kaizen events: %w", err)
	}
	defer rows.Close()
	acc := map[string]*backlogGroup{}
	var order []string
	for rows.Next() {
		var deployed, cycleMs int64
		group := make([]string, len(groupCols))
		dest := []any{&deployed, &cycleMs}
		for i := range group {
			dest = append(dest, &group[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return query.Result{}, fmt.Errorf("reading kaizen events: %w", err)
		}
		key := strings.Join(group, "\x00")
		g, ok := acc[key]
		if !ok {
			g = &backlogGroup{group: group, values: map[int64][]float64{}}
			acc[key] = g
			order = append(order, key)
		}
		start := b.start(msTime(deployed)).UnixMilli()
		g.values[start] = append(g.values[start], float64(cycleMs)/1000)
	}
	if err := rows.Err(); err != nil {
		return query.Result{}, fmt.Errorf("reading kaizen events: %w", err)
	}
	if len(groupCols) == 0 && len(acc) == 0 {
		acc[""] = &backlogGroup{group: []string{}, values: map[int64][]float64{}}
		order = append(order, "")
	}
	res := query.Result{GroupBy: q.GroupBy, Bucketed: b.bucketed()}
	if r.metric == CycleTime {
		res.Name, res.FieldName, res.Unit = "Kaizen cycle time ("+stat.Label()+")", CycleTime, "s"
		if stat == summary.Count {
			res.Unit = "short"
		}
	} else {
		res.Name, res.FieldName, res.Unit = "Kaizen events deployed", Velocity, "short"
	}
	starts := b.starts(env.From, env.To)
	for _, key := range order {
		g := acc[key]
		s := query.Series{Group: g.group, Values: make([]*float64, len(starts))}
		for i, t := range starts {
			if res.Bucketed {
				s.Times = append(s.Times, t)
			}
			if v, ok := summary.Of(g.values[t.UnixMilli()], stat); ok {
				s.Values[i] = &v
			}
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

type backlogGroup struct {
	group  []string
	values map[int64][]float64 // per bucket start (Unix ms): cycle times in seconds
}

// backlogBucketing is fixed-width buckets, calendar months, or one value for the range.
type backlogBucketing struct {
	fixed  query.Buckets
	months bool
}

// backlogBuckets resolves the bucket: calendar months unless a width is given, since
// an improvement backlog's pace is read per month, not per panel pixel.
func backlogBuckets(setting string, env query.Env) (backlogBucketing, error) {
	switch strings.TrimSpace(setting) {
	case "", "auto", "month", "1M":
		return backlogBucketing{months: true}, nil
	}
	b, err := query.ResolveBuckets(setting, env)
	if err != nil {
		return backlogBucketing{}, err
	}
	return backlogBucketing{fixed: b}, nil
}

func (b backlogBucketing) bucketed() bool { return b.months || b.fixed.Width > 0 }

func (b backlogBucketing) start(t time.Time) time.Time {
	switch {
	case b.months:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case b.fixed.Width > 0:
		return b.fixed.Start(t)
	}
	return time.UnixMilli(0).UTC()
}

// starts lists the buckets overlapping [from, to); one (the epoch) when unbucketed.
func (b backlogBucketing) starts(from, to time.Time) []time.Time {
	switch {
	case b.months:
		var out []time.Time
		for t := b.start(from.UTC()); t.Before(to); t = t.AddDate(0, 1, 0) {
			out = append(out, t)
		}
		return out
	case b.fixed.Width > 0:
		return b.fixed.Range(from, to)
	}
	return []time.Time{time.UnixMilli(0).UTC()}
}
