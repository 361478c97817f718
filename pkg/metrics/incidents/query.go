package incidents

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Compute returns the metric as series, for frames or for other queries (such as SPC) to build on.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	var opts models.IncidentOptions
	if q.Incident != nil {
		opts = *q.Incident
	}
	metric := q.Metric
	if metric == "" {
		metric = MTTR
	}
	groupCols, err := dimensions.Columns(q.GroupBy)
	if err != nil {
		return query.Result{}, err
	}
	buckets, err := query.ResolveBuckets(q.Bucket, env)
	if err != nil {
		return query.Result{}, err
	}
	tcol, err := timeField(opts)
	if err != nil {
		return query.Result{}, err
	}
	p := plan{env: env, q: q, groupCols: groupCols, buckets: buckets, tcol: tcol}
	switch metric {
	case Count:
		return p.count(ctx)
	case Open:
		return p.open(ctx)
	}
	iv, err := durationInterval(metric, opts)
	if err != nil {
		return query.Result{}, err
	}
	stat := summary.Mean
	if q.Stat != "" {
		if stat, err = summary.Parse(q.Stat); err != nil {
			return query.Result{}, err
		}
	}
	return p.durations(ctx, metric, iv, stat)
}

// plan holds what every incident metric query needs.
type plan struct {
	env       query.Env
	q         models.Query
	groupCols []string
	buckets   query.Buckets
	tcol      string
}

func (p plan) where(extra ...string) (*query.Where, error) {
	w := &query.Where{}
	w.Add(p.tcol+" >= ?", p.env.From.UnixMilli())
	w.Add(p.tcol+" < ?", p.env.To.UnixMilli())
	for _, e := range extra {
		w.Add(e)
	}
	if err := w.Filters(dimensions, p.q.Filters); err != nil {
		return nil, err
	}
	return w, nil
}

// selectList returns "bucket, dims..." for SELECT (bucket 0 when unbucketed).
func (p plan) selectList() string {
	cols := append([]string(nil), p.groupCols...)
	if p.buckets.Width > 0 {
		cols = append([]string{p.buckets.SQL(p.tcol)}, cols...)
	} else {
		cols = append([]string{"0"}, cols...)
	}
	return strings.Join(cols, ", ")
}

// groupBy returns " GROUP BY bucket, dims..." or "" when there is nothing to group.
func (p plan) groupBy() string {
	cols := append([]string(nil), p.groupCols...)
	if p.buckets.Width > 0 {
		cols = append([]string{p.buckets.SQL(p.tcol)}, cols...)
	}
	if len(cols) == 0 {
		return ""
	}
	return " GROUP BY " + strings.Join(cols, ", ")
}

// durations computes a duration metric in seconds. Stats that SQL can aggregate
// (count, mean, min, max, sum) are pushed down; percentiles need the values.
func (p plan) durations(ctx context.Context, metric string, iv interval, stat summary.Stat) (query.Result, error) {
	w, err := p.where(iv.start+" IS NOT NULL", iv.end+" IS NOT NULL")
	if err != nil {
		return query.Result{}, err
	}
	// The cast keeps the division in floating point on PostgreSQL (a NUMERIC there otherwise, 2x slower to read).
	dur := fmt.Sprintf("CAST(%s - %s AS DOUBLE PRECISION) / 1000", iv.end, iv.start)
	acc := newAccumulator(p, stat)
	var sqlText string
	if stat.NeedsValues() {
		sqlText = "SELECT " + p.selectList() + ", " + dur + " FROM incidents" + w.SQL()
	} else {
		agg := map[summary.Stat]string{
			summary.Count: "COUNT(*)", summary.Mean: "AVG(" + dur + ")", summary.Min: "MIN(" + dur + ")",
			summary.Max: "MAX(" + dur + ")", summary.Sum: "SUM(" + dur + ")",
		}[stat]
		sqlText = "SELECT " + p.selectList() + ", " + agg + " FROM incidents" + w.SQL() + p.groupBy()
	}
	if err := acc.scan(ctx, sqlText, w.Args()); err != nil {
		return query.Result{}, err
	}
	name := iv.label + " (" + stat.Label() + ")"
	unit := "s"
	if stat == summary.Count {
		unit = "short"
	}
	return acc.result(name, metric, unit, !stat.NeedsValues()), nil
}

func (p plan) count(ctx context.Context) (query.Result, error) {
	w, err := p.where()
	if err != nil {
		return query.Result{}, err
	}
	sqlText := "SELECT " + p.selectList() + ", COUNT(*) FROM incidents" + w.SQL() + p.groupBy()
	acc := newAccumulator(p, summary.Count)
	if err := acc.scan(ctx, sqlText, w.Args()); err != nil {
		return query.Result{}, err
	}
	return acc.result("Incidents", Count, "short", true), nil
}

// bucketEnds returns the instant each bucket is measured at for point-in-time
// metrics: the bucket's end, or the range end when that comes first.
func (p plan) bucketEnds() (starts, ends []time.Time) {
	if p.buckets.Width == 0 {
		return nil, []time.Time{p.env.To}
	}
	starts = p.buckets.Range(p.env.From, p.env.To)
	ends = make([]time.Time, len(starts))
	for i, s := range starts {
		e := s.Add(p.buckets.Width)
		if e.After(p.env.To) {
			e = p.env.To
		}
		ends[i] = e
	}
	return starts, ends
}
