package adoption

import (
	"context"
	"slices"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// plan holds what every adoption query needs.
type plan struct {
	env     query.Env
	q       models.Query
	opts    options
	buckets query.Buckets
	// starts are the series' times (bucket starts); ends the instants they are evaluated at.
	starts []time.Time
	ends   []int64
}

func newPlan(env query.Env, q models.Query) (plan, error) {
	opts, err := parseOptions(q)
	if err != nil {
		return plan{}, err
	}
	// Check names before any SQL is built.
	if _, err := dims("u").Columns(q.GroupBy); err != nil {
		return plan{}, err
	}
	if err := (&query.Where{}).Filters(dims("u"), q.Filters); err != nil {
		return plan{}, err
	}
	buckets, err := query.ResolveBuckets(q.Bucket, env)
	if err != nil {
		return plan{}, err
	}
	p := plan{env: env, q: q, opts: opts, buckets: buckets}
	if buckets.Width > 0 {
		p.starts = buckets.Range(env.From, env.To)
		for _, s := range p.starts {
			p.ends = append(p.ends, s.Add(buckets.Width).UnixMilli())
		}
	} else {
		p.ends = []int64{env.To.UnixMilli()}
	}
	return p, nil
}

// Compute returns an active-user metric as series, for frames or for other queries
// (SPC, backtests) to build on. Retention is a table: see Frames.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	metric := q.Metric
	if metric == "" {
		metric = MAU
	}
	p, err := newPlan(env, q)
	if err != nil {
		return query.Result{}, err
	}
	switch metric {
	case DAU, WAU, MAU:
		a, err := p.active(ctx, windows[metric], q.GroupBy)
		if err != nil {
			return query.Result{}, err
		}
		return p.result(metric, a.keys, func(i int, _ []string, k int) *float64 { return ptr(a.counts[i][k]) }), nil
	case Stickiness:
		return p.stickiness(ctx)
	case AdoptionRate:
		return p.adoptionRate(ctx)
	case FeatureAdoption:
		return p.featureAdoption(ctx)
	case Retention:
		return query.Result{}, errRetentionIsTable
	}
	return query.Result{}, unknownMetric(metric)
}

// stickiness is DAU ÷ MAU at each instant: how many of the month's users use the
// tool on a given day. No value while MAU is 0.
func (p plan) stickiness(ctx context.Context) (query.Result, error) {
	daily, err := p.active(ctx, windows[DAU], p.q.GroupBy)
	if err != nil {
		return query.Result{}, err
	}
	monthly, err := p.active(ctx, windows[MAU], p.q.GroupBy)
	if err != nil {
		return query.Result{}, err
	}
	// Every user active in the last day was active in the last 30, so monthly has every group.
	return p.result(Stickiness, monthly.keys, func(i int, g []string, k int) *float64 {
		m := monthly.counts[i][k]
		if m == 0 {
			return nil
		}
		var d float64
		if dc := daily.group(g); dc != nil {
			d = dc[k]
		}
		return ptr(d / m)
	}), nil
}

// featureAdoption is, per tool feature, the users of the feature ÷ the users of its
// tool, both over the activity window, per group. Uses without a feature count for
// the tool only.
func (p plan) featureAdoption(ctx context.Context) (query.Result, error) {
	toolGroup := withDims(p.q.GroupBy, "tool")
	featureGroup := withDims(toolGroup, "feature")
	tools, err := p.active(ctx, p.opts.window, toolGroup)
	if err != nil {
		return query.Result{}, err
	}
	features, err := p.active(ctx, p.opts.window, featureGroup)
	if err != nil {
		return query.Result{}, err
	}
	fIdx := slices.Index(featureGroup, "feature")
	toolKey := func(g []string) []string {
		out := make([]string, 0, len(toolGroup))
		for j, v := range g {
			if j != fIdx {
				out = append(out, v)
			}
		}
		return out
	}
	var keys [][]string
	var counts [][]float64
	for i, g := range features.keys {
		if g[fIdx] == "" {
			continue
		}
		keys = append(keys, g)
		counts = append(counts, features.counts[i])
	}
	res := p.resultFor(FeatureAdoption, featureGroup, keys, func(i int, g []string, k int) *float64 {
		tc := tools.group(toolKey(g))
		if tc == nil || tc[k] == 0 {
			return nil
		}
		return ptr(counts[i][k] / tc[k])
	})
	res.Name = "Feature adoption (" + windowLabel(p.opts.window) + ")"
	return res, nil
}

// withDims appends the names not already grouped by.
func withDims(groupBy []string, names ...string) []string {
	out := append([]string(nil), groupBy...)
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

var names = map[string]struct{ name, unit string }{
	DAU:             {"DAU", "short"},
	WAU:             {"WAU", "short"},
	MAU:             {"MAU", "short"},
	Stickiness:      {"Stickiness (DAU/MAU)", "percentunit"},
	AdoptionRate:    {"Adoption rate", "percentunit"},
	FeatureAdoption: {"Feature adoption", "percentunit"},
}

// result builds one series per group of the query's group-by from value(group index, group, instant).
func (p plan) result(metric string, keys [][]string, value func(i int, g []string, k int) *float64) query.Result {
	return p.resultFor(metric, p.q.GroupBy, keys, value)
}

func (p plan) resultFor(metric string, groupBy []string, keys [][]string, value func(i int, g []string, k int) *float64) query.Result {
	n := names[metric]
	res := query.Result{Name: n.name, FieldName: metric, Unit: n.unit, GroupBy: groupBy, Bucketed: p.buckets.Width > 0}
	for i, g := range keys {
		s := query.Series{Group: g, Values: make([]*float64, len(p.ends))}
		if res.Bucketed {
			s.Times = p.starts
		}
		for k := range p.ends {
			s.Values[k] = value(i, g, k)
		}
		res.Series = append(res.Series, s)
	}
	return res
}

func windowLabel(w time.Duration) string {
	switch w {
	case day:
		return "1d"
	case 7 * day:
		return "7d"
	}
	return "30d"
}

func ptr(v float64) *float64 { return &v }
