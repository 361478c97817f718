package flow

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Register adds the flow query type: series metrics go through Compute (so SPC and
// backtests can build on them); table metrics have frames of their own.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeFlow, Compute)
	e.Register(models.QueryTypeFlow, Frames) // replaces the derived handler, keeps the series
}

// Frames runs a flow query: table metrics as their own frames, series metrics as
// query.Result frames, per-stage series in the order of the value stream.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	p, err := newPlan(env, q)
	if err != nil {
		return nil, err
	}
	switch p.metric {
	case ValueStream:
		return p.valueStream(ctx)
	case Items:
		return p.items(ctx)
	case Aging:
		return p.aging(ctx)
	case LittlesLaw:
		return p.littlesLaw(ctx)
	}
	res, err := p.series(ctx)
	if err != nil {
		return nil, err
	}
	frames := res.Frames(q.Format)
	if isStageMetric(p.metric) && q.Format != models.FormatTable {
		if err := p.orderByStage(ctx, frames); err != nil {
			return nil, err
		}
	}
	return frames, nil
}

// Compute returns a series metric, for frames or for other queries (SPC) to build on.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	p, err := newPlan(env, q)
	if err != nil {
		return query.Result{}, err
	}
	if isTableMetric(p.metric) {
		return query.Result{}, fmt.Errorf("flow metric %s is a table and cannot be the source of a series; use one of %s", p.metric, strings.Join(seriesMetrics(), ", "))
	}
	return p.series(ctx)
}

func seriesMetrics() []string {
	var out []string
	for _, m := range Metrics() {
		if !isTableMetric(m) {
			out = append(out, m)
		}
	}
	return out
}

// plan holds what every flow query needs.
type plan struct {
	env     query.Env
	q       models.Query
	metric  string
	opts    options
	dims    query.Dimensions
	groupBy []string // dimension names, stage first for stage metrics
	cols    []string
	buckets query.Buckets
}

func newPlan(env query.Env, q models.Query) (plan, error) {
	p := plan{env: env, q: q, metric: q.Metric}
	if p.metric == "" {
		p.metric = LeadTime
	}
	if !slices.Contains(Metrics(), p.metric) {
		return plan{}, fmt.Errorf("unknown flow metric %q; use one of %s", p.metric, strings.Join(Metrics(), ", "))
	}
	var err error
	if p.opts, err = parseOptions(q.Flow); err != nil {
		return plan{}, err
	}
	p.dims = itemDimensions
	p.groupBy = q.GroupBy
	if p.metric == ValueStream || p.metric == Aging {
		p.dims = stageDimensions // a stage filter narrows the stages drawn or listed
	}
	if isStageMetric(p.metric) {
		p.dims = stageDimensions
		p.groupBy = withFirst("stage", q.GroupBy)
		if p.metric == WIPVsLimit {
			p.groupBy = withFirst("value_stream", p.groupBy)
		}
	}
	if p.metric == WIPVsLimit {
		for _, g := range p.groupBy {
			if g != "value_stream" && g != "stage" {
				return plan{}, fmt.Errorf("wip_vs_limit compares a stage's whole WIP with its limit; it cannot be grouped by %q (use wip for WIP per %s)", g, g)
			}
		}
		for f, v := range q.Filters {
			if len(v) > 0 && f != "value_stream" && f != "stage" {
				return plan{}, fmt.Errorf("wip_vs_limit compares a stage's whole WIP with its limit; it cannot be filtered by %q (use wip for WIP per %s)", f, f)
			}
		}
	}
	if p.metric == ValueStream && len(q.GroupBy) > 0 {
		return plan{}, fmt.Errorf("value_stream maps one stream's stages; it takes filters, not groupBy %v", q.GroupBy)
	}
	if p.metric != ValueStream && p.metric != Items && p.metric != Aging {
		if p.cols, err = p.dims.Columns(p.groupBy); err != nil {
			if !isStageMetric(p.metric) && slices.Contains(q.GroupBy, "stage") {
				return plan{}, fmt.Errorf("%s is measured per item, not per stage; group by stage works with %s", p.metric, strings.Join(stageMetrics, ", "))
			}
			return plan{}, err
		}
	}
	if p.metric != ValueStream && p.metric != Items && p.metric != Aging && p.metric != LittlesLaw {
		if p.buckets, err = query.ResolveBuckets(q.Bucket, env); err != nil {
			return plan{}, err
		}
	}
	// Filters are checked here so every metric names a bad one the same way.
	w := &query.Where{}
	if err := w.Filters(p.dims, q.Filters); err != nil {
		if !isStageMetric(p.metric) && len(q.Filters["stage"]) > 0 {
			return plan{}, fmt.Errorf("%s is measured per item, not per stage; filter on stage works with %s", p.metric, strings.Join(stageMetrics, ", "))
		}
		return plan{}, err
	}
	return p, nil
}

func withFirst(name string, groupBy []string) []string {
	out := []string{name}
	for _, g := range groupBy {
		if g != name {
			out = append(out, g)
		}
	}
	return out
}

// series dispatches the series metrics.
func (p plan) series(ctx context.Context) (query.Result, error) {
	switch p.metric {
	case WIP, WIPVsLimit:
		return p.wip(ctx)
	case Arrivals, Departures:
		return p.flowCounts(ctx)
	case StageTime:
		return p.stageTime(ctx)
	case Throughput:
		return p.throughput(ctx)
	}
	return p.itemDurations(ctx)
}

// where starts a WHERE clause on a time column in the range, with the query's filters.
func (p plan) where(tcol string, extra ...string) *query.Where {
	return p.whereIn(tcol, p.env.From.UnixMilli(), p.env.To.UnixMilli(), extra...)
}

// whereIn is where over [from, to) (Unix ms) instead of the query's range.
func (p plan) whereIn(tcol string, from, to int64, extra ...string) *query.Where {
	w := &query.Where{}
	w.Add(tcol+" >= ?", from)
	w.Add(tcol+" < ?", to)
	for _, e := range extra {
		w.Add(e)
	}
	_ = w.Filters(p.dims, p.q.Filters) // checked in newPlan
	return w
}

// filtersOnly is a WHERE clause with the query's filters and the given conditions.
func (p plan) filtersOnly(extra ...string) *query.Where {
	w := &query.Where{}
	for _, e := range extra {
		w.Add(e)
	}
	_ = w.Filters(p.dims, p.q.Filters)
	return w
}

// selectList returns "bucket, dims..." (bucket 0 when unbucketed) for time column tcol.
func (p plan) selectList(tcol string) string {
	b := "0"
	if p.buckets.Width > 0 {
		b = p.buckets.SQL(tcol)
	}
	return strings.Join(append([]string{b}, p.cols...), ", ")
}

// groupByList returns " GROUP BY bucket, dims..." or "".
func (p plan) groupByList(tcol string) string {
	cols := append([]string(nil), p.cols...)
	if p.buckets.Width > 0 {
		cols = append([]string{p.buckets.SQL(tcol)}, cols...)
	}
	if len(cols) == 0 {
		return ""
	}
	return " GROUP BY " + strings.Join(cols, ", ")
}

// bucketEnds are the instants point-in-time metrics (WIP) are measured at: each
// bucket's end, or the range end when that comes first.
func (p plan) bucketEnds() (starts, ends []time.Time) {
	if p.buckets.Width == 0 {
		return nil, []time.Time{p.env.To}
	}
	starts = p.buckets.Range(p.env.From, p.env.To)
	ends = make([]time.Time, len(starts))
	for i, s := range starts {
		ends[i] = s.Add(p.buckets.Width)
		if ends[i].After(p.env.To) {
			ends[i] = p.env.To
		}
	}
	return starts, ends
}

// durationStat parses the query's stat for duration metrics (default median).
func (p plan) durationStat() (stat, error) {
	return parseStat(p.q.Stat, summary.Median)
}

// orderByStage puts per-stage frames in value stream order (stacked WIP and cumulative
// flow read top to bottom as the work flows), stages missing from definitions last.
func (p plan) orderByStage(ctx context.Context, frames data.Frames) error {
	defs, err := LoadDefinitions(ctx, p.env.Store)
	if err != nil {
		return err
	}
	type key struct {
		stream string
		pos    int
		stage  string
	}
	keyOf := func(f *data.Frame) key {
		if len(f.Fields) == 0 {
			return key{pos: undefinedRank}
		}
		l := f.Fields[len(f.Fields)-1].Labels
		k := key{stream: l["value_stream"], stage: l["stage"], pos: undefinedRank}
		for name, d := range defs {
			if k.stream != "" && name != k.stream {
				continue
			}
			k.pos = min(k.pos, d.order(k.stage))
		}
		return k
	}
	sort.SliceStable(frames, func(i, j int) bool {
		a, b := keyOf(frames[i]), keyOf(frames[j])
		if a.stream != b.stream {
			return a.stream < b.stream
		}
		if a.pos != b.pos {
			return a.pos < b.pos
		}
		return a.stage < b.stage
	})
	return nil
}
