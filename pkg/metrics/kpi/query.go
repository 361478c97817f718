package kpi

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// DefaultStaleDays is the stale audit's threshold when the query sets none.
const DefaultStaleDays = 30

// Compute returns a KPI metric as series, for frames or for other queries (SPC, backtests)
// to build on. Every series of a sample metric carries the kpi label.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	p, err := newPlan(ctx, env, q)
	if err != nil {
		return query.Result{}, err
	}
	switch p.metric {
	case Value, Attainment, State, Cost:
		return p.samples(ctx)
	case IncidentCost:
		return p.incidentCost(ctx)
	case Stale:
		return query.Result{}, fmt.Errorf("metric %s is an audit table, not a series", Stale)
	}
	return query.Result{}, fmt.Errorf("unknown kpi metric %q; use one of %s", p.metric, strings.Join(Metrics(), ", "))
}

// plan holds what every KPI query needs.
type plan struct {
	env     query.Env
	q       models.Query
	opts    models.KPIOptions
	metric  string
	buckets query.Buckets
	// defs holds every version of every defined KPI.
	defs map[string]history
}

func newPlan(ctx context.Context, env query.Env, q models.Query) (*plan, error) {
	p := &plan{env: env, q: q, metric: q.Metric}
	if q.KPI != nil {
		p.opts = *q.KPI
	}
	if p.metric == "" {
		p.metric = Value
	}
	if !slices.Contains(Metrics(), p.metric) {
		return nil, fmt.Errorf("unknown kpi metric %q; use one of %s", p.metric, strings.Join(Metrics(), ", "))
	}
	if p.opts.StaleDays < 0 {
		return nil, fmt.Errorf("kpi.staleDays %v must be positive", p.opts.StaleDays)
	}
	if p.metric != Stale {
		var err error
		if p.buckets, err = query.ResolveBuckets(q.Bucket, env); err != nil {
			return nil, err
		}
	}
	defs, err := loadHistories(ctx, env.Store)
	if err != nil {
		return nil, err
	}
	p.defs = defs
	return p, nil
}

// stat returns the query's stat, or the metric's default: sum for money, mean otherwise.
// A count of samples is a KPI's reporting volume, not something to judge or price.
func (p *plan) stat() (summary.Stat, error) {
	if p.q.Stat == "" {
		if p.metric == Cost || p.metric == IncidentCost {
			return summary.Sum, nil
		}
		return summary.Mean, nil
	}
	st, err := summary.Parse(p.q.Stat)
	if err != nil {
		return "", err
	}
	if st == summary.Count && p.metric != Value {
		return "", fmt.Errorf("stat count does not apply to %s; use count with metric %s (samples per bucket)", p.metric, Value)
	}
	return st, nil
}

// selectKPIs resolves which KPIs a query covers: those named (kpi.kpis, narrowed by a kpi
// filter) even when retired, else every active KPI (and retired ones with includeRetired);
// then the owner and indicator filters. need names what the metric needs a definition for.
func (p *plan) selectKPIs(need string) ([]string, error) {
	named := p.opts.KPIs
	if f := p.q.Filters["kpi"]; len(f) > 0 {
		if len(named) == 0 {
			named = f
		} else {
			named = slices.DeleteFunc(slices.Clone(named), func(id string) bool { return !slices.Contains(f, id) })
			if len(named) == 0 {
				return nil, nil
			}
		}
	}
	var ids []string
	if len(named) > 0 {
		seen := map[string]bool{}
		for _, id := range named {
			if seen[id] {
				continue
			}
			seen[id] = true
			if _, ok := p.defs[id]; !ok && need != "" {
				return nil, fmt.Errorf("KPI %q is not defined; %s needs its definition (POST kpis)", id, need)
			}
			ids = append(ids, id)
		}
	} else {
		for _, id := range sortedIDs(p.defs) {
			if p.defs[id].current().Status == Retired && !p.opts.IncludeRetired {
				continue
			}
			ids = append(ids, id)
		}
	}
	for _, dim := range []string{"owner", "indicator"} {
		want := p.q.Filters[dim]
		if len(want) == 0 {
			continue
		}
		ids = slices.DeleteFunc(ids, func(id string) bool {
			h, ok := p.defs[id]
			return !ok || !slices.Contains(want, definitionDimension(h.current(), dim))
		})
	}
	return ids, nil
}

func definitionDimension(d Definition, dim string) string {
	switch dim {
	case "owner":
		return d.Owner
	case "indicator":
		return d.Indicator
	}
	return ""
}

// commonUnit returns the unit the KPIs share (their current versions), or "" when they differ.
func (p *plan) commonUnit(ids []string, unit func(Definition) string) string {
	out := ""
	for i, id := range ids {
		h, ok := p.defs[id]
		u := ""
		if ok {
			u = unit(h.current())
		}
		if i > 0 && u != out {
			return ""
		}
		out = u
	}
	return out
}

// bucketStarts lists the bucket starts (Unix ms) of the range, or {0} when unbucketed.
func (p *plan) bucketStarts() []int64 {
	if p.buckets.Width == 0 {
		return []int64{0}
	}
	var out []int64
	for _, t := range p.buckets.Range(p.env.From, p.env.To) {
		out = append(out, t.UnixMilli())
	}
	return out
}

func (p *plan) bucketOf(ms int64) int64 {
	if p.buckets.Width == 0 {
		return 0
	}
	return p.buckets.Start(timeMs(ms)).UnixMilli()
}
