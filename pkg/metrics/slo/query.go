package slo

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the slo query type: series metrics (which other queries, such
// as SPC, can build on) and the table metrics (status, burndown, breaches, penalty).
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeSLO, Compute)
	e.Register(models.QueryTypeSLO, Frames)
}

// Compute returns a series metric: one series per SLO, labelled slo and service
// (and window, for burn rates).
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	return reader{}.compute(ctx, env, q)
}

// Frames answers any slo query: series metrics in the query's format, table
// metrics as the frames docs/slo.md describes.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	return reader{}.frames(ctx, env, q)
}

func metricOf(q models.Query) string {
	if q.Metric == "" {
		return Status
	}
	return q.Metric
}

func (r reader) frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	switch metricOf(q) {
	case Status, Burndown, Breaches, Penalty:
	default:
		res, err := r.compute(ctx, env, q)
		if err != nil {
			return nil, err
		}
		return res.Frames(q.Format), nil
	}
	p, err := newPlan(ctx, env, q, r)
	if err != nil {
		return nil, err
	}
	switch metricOf(q) {
	case Burndown:
		return p.burndownFrames(ctx, p.buckets.Width)
	case Breaches:
		ev, err := p.breaches(ctx, breachStep(p))
		if err != nil {
			return nil, err
		}
		return data.Frames{breachFrame(ev)}, nil
	case Penalty:
		rows, err := p.penalties(ctx)
		if err != nil {
			return nil, err
		}
		return data.Frames{penaltyFrame(rows)}, nil
	}
	return p.statusFrames(ctx)
}

func (r reader) compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	metric := metricOf(q)
	switch metric {
	case Status, Burndown, Breaches, Penalty:
		return query.Result{}, fmt.Errorf("slo metric %q is a table, not a series; pick sli, compliance, a budget metric, burn_rate or alert_state", metric)
	}
	p, err := newPlan(ctx, env, q, r)
	if err != nil {
		return query.Result{}, err
	}
	switch metric {
	case SLI:
		return p.sliSeries(ctx)
	case BurnRate:
		return p.burnSeries(ctx)
	case AlertState:
		return p.alertSeries(ctx)
	}
	pick, ok := pointMetrics()[metric]
	if !ok {
		return query.Result{}, metricError(metric)
	}
	return p.pointSeries(ctx, pick)
}

// pointMetric reads one number from an SLO window's state.
type pointMetric struct {
	name, unit string
	value      func(windowState) *float64
}

func pointMetrics() map[string]pointMetric {
	f := func(v float64) *float64 { return &v }
	return map[string]pointMetric{
		Compliance:            {"Compliance", "percentunit", func(s windowState) *float64 { return s.compliance() }},
		BudgetRemaining:       {"Error budget remaining", "percentunit", func(s windowState) *float64 { return f(s.budget.Remaining) }},
		BudgetConsumed:        {"Error budget consumed", "percentunit", func(s windowState) *float64 { return f(s.budget.Consumed) }},
		BudgetTotalEvents:     {"Error budget (events)", "short", func(s windowState) *float64 { return f(s.budget.TotalEvents) }},
		BudgetRemainingEvents: {"Error budget remaining (events)", "short", func(s windowState) *float64 { return f(s.budget.RemainingEvents) }},
		BudgetTotalTime:       {"Error budget (time)", "s", func(s windowState) *float64 { return f(s.budget.TotalTime) }},
		BudgetRemainingTime:   {"Error budget remaining (time)", "s", func(s windowState) *float64 { return f(s.budget.RemainingTime) }},
	}
}

// result starts a Result labelled by slo and service (and extra labels).
func (p *plan) result(name, field, unit string, extra ...string) query.Result {
	return query.Result{Name: name, FieldName: field, Unit: unit, GroupBy: append(groupLabels(), extra...), Bucketed: p.buckets.Width > 0}
}

func msTimes(ms []int64) []time.Time {
	out := make([]time.Time, len(ms))
	for i, m := range ms {
		out[i] = time.UnixMilli(m).UTC()
	}
	return out
}

// pointSeries evaluates a window metric at each bucket end (or at evalAt).
func (p *plan) pointSeries(ctx context.Context, m pointMetric) (query.Result, error) {
	ends := p.evalInstants()
	for _, d := range p.defs {
		for _, e := range ends {
			w := sloWindow(d, e)
			p.need(w.start, w.end)
		}
	}
	if err := p.load(ctx); err != nil {
		return query.Result{}, err
	}
	res := p.result(m.name, p.q.Metric, m.unit)
	for _, d := range p.defs {
		s := query.Series{Group: []string{d.ID, d.Service}, Values: make([]*float64, len(ends))}
		if res.Bucketed {
			s.Times = msTimes(ends)
		}
		for i, e := range ends {
			s.Values[i] = m.value(p.state(d, sloWindow(d, e)))
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// sliSeries is good/total per bucket (over the range when not bucketed); a
// bucket without events has no value.
func (p *plan) sliSeries(ctx context.Context) (query.Result, error) {
	var spans [][2]int64
	var starts []int64
	if p.buckets.Width == 0 {
		spans = [][2]int64{{p.from, p.to}}
	} else {
		for _, s := range p.buckets.Range(p.env.From, p.env.To) {
			ms := s.UnixMilli()
			starts = append(starts, ms)
			spans = append(spans, [2]int64{max(ms, p.from), min(ms+p.buckets.Width.Milliseconds(), p.to)})
		}
	}
	for _, s := range spans {
		p.need(s[0], s[1])
	}
	if len(p.defs) > 0 {
		if err := p.load(ctx); err != nil {
			return query.Result{}, err
		}
	}
	res := p.result("SLI", SLI, "percentunit")
	for _, d := range p.defs {
		s := query.Series{Group: []string{d.ID, d.Service}, Values: make([]*float64, len(spans))}
		if res.Bucketed {
			s.Times = msTimes(starts)
		}
		for i, sp := range spans {
			if v, ok := p.cum.span(d.ID, sp[0], sp[1]).Ratio(); ok {
				s.Values[i] = &v
			}
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// burnSeries is one series per SLO and window, labelled window ("1h"): the
// numbers a Grafana alert rule thresholds.
func (p *plan) burnSeries(ctx context.Context) (query.Result, error) {
	ends := p.evalInstants()
	for _, e := range ends {
		p.need(e)
		for _, w := range p.windows {
			p.need(e - w.Milliseconds())
		}
	}
	if err := p.load(ctx); err != nil {
		return query.Result{}, err
	}
	res := p.result("Burn rate", BurnRate, burnUnit, "window")
	for _, d := range p.defs {
		for _, w := range p.windows {
			s := query.Series{Group: []string{d.ID, d.Service, FormatWindow(w)}, Values: make([]*float64, len(ends))}
			if res.Bucketed {
				s.Times = msTimes(ends)
			}
			for i, e := range ends {
				v := p.burn(d, w, e)
				s.Values[i] = &v
			}
			res.Series = append(res.Series, s)
		}
	}
	return res, nil
}

// burnUnit reads "14.4×".
const burnUnit = "suffix:×"

// alertSeries is the workbook alert state per SLO: 0 ok, 1 ticket, 2 page.
func (p *plan) alertSeries(ctx context.Context) (query.Result, error) {
	ends := p.evalInstants()
	for _, e := range ends {
		p.needBurns(e)
	}
	if err := p.load(ctx); err != nil {
		return query.Result{}, err
	}
	res := p.result("Burn-rate alert (0 ok, 1 ticket, 2 page)", AlertState, "short")
	for _, d := range p.defs {
		s := query.Series{Group: []string{d.ID, d.Service}, Values: make([]*float64, len(ends))}
		if res.Bucketed {
			s.Times = msTimes(ends)
		}
		for i, e := range ends {
			v := float64(alertLevels[p.alertAt(d, e)])
			s.Values[i] = &v
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

func (p *plan) alertAt(d *Definition, e int64) string {
	return alertState(func(w time.Duration) float64 { return p.burn(d, w, e) })
}
