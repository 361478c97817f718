package slo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// plan is one SLO query: the selected definitions, the time range and its
// buckets, and the instants whose cumulative counts the answer needs. Metrics
// first say which instants they read (need), then load them once (load).
type plan struct {
	env     query.Env
	q       models.Query
	opts    models.SLOOptions
	defs    []*Definition
	buckets query.Buckets
	windows []time.Duration
	// from and to are the range (Unix ms); evalAt is where "now" values are
	// evaluated: the range end, or the clock when the range reaches the future.
	from, to, evalAt int64
	r                reader
	instants         []int64
	cum              *cumulative
}

func newPlan(ctx context.Context, env query.Env, q models.Query, r reader) (*plan, error) {
	var opts models.SLOOptions
	if q.SLO != nil {
		opts = *q.SLO
	}
	for _, g := range q.GroupBy {
		if g != "slo" && g != "service" {
			return nil, fmt.Errorf("cannot group by %q: SLO queries return one series per SLO, labelled slo and service; use filters to choose SLOs", g)
		}
	}
	buckets, err := query.ResolveBuckets(q.Bucket, env)
	if err != nil {
		return nil, err
	}
	windows, err := parseWindows(opts.Windows)
	if err != nil {
		return nil, err
	}
	defs, err := LoadDefinitions(ctx, env.Store, Selection{Filters: q.Filters, IncludeRetired: opts.IncludeRetired})
	if err != nil {
		return nil, err
	}
	p := &plan{env: env, q: q, opts: opts, defs: defs, buckets: buckets, windows: windows,
		from: env.From.UnixMilli(), to: env.To.UnixMilli()}
	now := env.To
	if !env.Now.IsZero() {
		now = env.Now
	}
	p.evalAt = min(p.to, now.UnixMilli())
	if p.evalAt <= p.from {
		p.evalAt = p.to // a range wholly in the future is evaluated at its end
	}
	r.st = env.Store
	r.now = now.UnixMilli()
	p.r = r
	return p, nil
}

func (p *plan) need(xs ...int64) { p.instants = append(p.instants, xs...) }

func (p *plan) load(ctx context.Context) error {
	c, err := p.r.load(ctx, p.defs, p.instants)
	if err != nil {
		return err
	}
	p.cum = c
	return nil
}

// evalInstants are where point-in-time metrics are evaluated: each bucket's end
// (the range end for the last one), or evalAt when the query is not bucketed.
func (p *plan) evalInstants() []int64 {
	if p.buckets.Width == 0 {
		return []int64{p.evalAt}
	}
	return bucketEnds(p.buckets, p.from, p.to)
}

func bucketEnds(b query.Buckets, from, to int64) []int64 {
	var out []int64
	for _, s := range b.Range(time.UnixMilli(from).UTC(), time.UnixMilli(to).UTC()) {
		out = append(out, min(s.Add(b.Width).UnixMilli(), to))
	}
	return out
}

// windowOf is the SLO window closing at e: a rolling window, or the calendar
// period (kind week, month or quarter) to date.
type windowOf struct {
	start, end int64
	// length is the whole window (for a period, the whole period).
	length time.Duration
	// period labels a calendar period ("2024-05"), "" for rolling windows.
	period string
	kind   string
}

func rollingWindow(w time.Duration, e int64) windowOf {
	return windowOf{start: e - w.Milliseconds(), end: e, length: w}
}

func calendarWindow(kind string, e int64) windowOf {
	s, pe := periodOf(kind, e)
	return windowOf{start: s, end: e, length: time.Duration(pe-s) * time.Millisecond, period: periodLabel(kind, s), kind: kind}
}

// sloWindow is d's own window closing at e.
func sloWindow(d *Definition, e int64) windowOf {
	if d.Calendar != "" {
		return calendarWindow(d.Calendar, e)
	}
	return rollingWindow(d.window, e)
}

// contractWindow is the window breaches are judged on: the SLA period when d is
// an SLA, else d's own window.
func contractWindow(d *Definition, e int64) windowOf {
	if d.SLA != nil {
		return calendarWindow(d.SLA.Period, e)
	}
	return sloWindow(d, e)
}

// windowState is what a window holds: its events, compliance and budget.
type windowState struct {
	windowOf
	counts Counts
	budget Budget
}

// compliance is the window's SLI; nil without events.
func (s windowState) compliance() *float64 {
	v, ok := s.counts.Ratio()
	if !ok {
		return nil
	}
	return &v
}

// breached: the window has spent more than its budget, which for a rolling
// window is compliance below the objective, and for a period means the bad
// events already exceed what the period (at the traffic seen so far) allows.
func (s windowState) breached() bool { return s.budget.Consumed > 1 }

func (p *plan) state(d *Definition, w windowOf) windowState {
	c := p.cum.span(d.ID, w.start, w.end)
	basis := c.Total
	if w.kind != "" {
		basis = projectedTotal(c.Total, w.end-w.start, w.length.Milliseconds())
	}
	return windowState{windowOf: w, counts: c, budget: budgetOf(basis, c.Bad(), d.budget(), w.length)}
}

// burn is d's burn rate over the window of length w closing at e.
func (p *plan) burn(d *Definition, w time.Duration, e int64) float64 {
	return burnRateOf(p.cum.span(d.ID, e-w.Milliseconds(), e), d.budget())
}

// needBurns plans the instants of every burn-rate window (those asked for and
// the workbook's, which alert states read) closing at e.
func (p *plan) needBurns(e int64) {
	p.need(e)
	for _, w := range p.allWindows() {
		p.need(e - w.Milliseconds())
	}
}

func (p *plan) allWindows() []time.Duration {
	out := slices.Clone(p.windows)
	for _, w := range WorkbookWindows() {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// groupLabels are the labels every SLO series carries.
func groupLabels() []string { return []string{"slo", "service"} }

func metricError(metric string) error {
	return fmt.Errorf("unknown slo metric %q; use one of %s", metric, strings.Join(Metrics(), ", "))
}
