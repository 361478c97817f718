package slo

import (
	"context"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// breachEvent is a run of evaluation steps at which an SLO's window (an SLA's
// contractual period) had spent more than its error budget.
type breachEvent struct {
	def *Definition
	// period labels the calendar period the breach belongs to ("" for rolling windows).
	period string
	// start is the first step found breached; end the first step found clear
	// again (or the period's end), unset while the breach is ongoing.
	start, end int64
	ongoing    bool
	// worst is the lowest compliance seen during the breach.
	worst float64
	// maxConsumed is the most budget spent (1 = all of it).
	maxConsumed float64
}

// depth is how far the worst compliance fell below the objective (a ratio: 0.004 = 0.4 points).
func (b breachEvent) depth() float64 { return b.def.Objective/100 - b.worst }

// defaultBreachStep resolves breaches when the query asks for no buckets.
const defaultBreachStep = time.Hour

// maxBreachSteps bounds the evaluations per SLO; longer ranges take wider steps.
const maxBreachSteps = 2000

// breachStep is the query's bucket width (1h when unbucketed), widened so a
// range never takes more than maxBreachSteps steps.
func breachStep(p *plan) time.Duration {
	step := p.buckets.Width
	if step == 0 {
		step = defaultBreachStep
	}
	span := time.Duration(p.to-p.from) * time.Millisecond
	for span/step > maxBreachSteps {
		step *= 2
	}
	return step
}

// needBreaches plans the windows breaches read: every SLO's contractual window
// at each step end in the range.
func (p *plan) needBreaches(step time.Duration) []int64 {
	ends := bucketEnds(query.Buckets{Width: step}, p.from, p.evalAt)
	for _, d := range p.defs {
		for _, e := range ends {
			w := contractWindow(d, e)
			p.need(w.start, w.end)
		}
	}
	return ends
}

// breaches evaluates every SLO at each step end in the range and returns the
// runs of breached steps. The range's first step shows a breach that began
// earlier as starting there.
func (p *plan) breaches(ctx context.Context, step time.Duration) ([]breachEvent, error) {
	ends := p.needBreaches(step)
	if err := p.load(ctx); err != nil {
		return nil, err
	}
	return p.findBreaches(ends), nil
}

func (p *plan) findBreaches(ends []int64) []breachEvent {
	var out []breachEvent
	for _, d := range p.defs {
		var cur *breachEvent
		for _, e := range ends {
			s := p.state(d, contractWindow(d, e))
			if cur != nil && s.period != cur.period {
				// A period's breach ends with the period.
				_, pe := periodOf(s.kind, cur.start+1)
				cur.end = pe
				out = append(out, *cur)
				cur = nil
			}
			if !s.breached() {
				if cur != nil {
					cur.end = e
					out = append(out, *cur)
					cur = nil
				}
				continue
			}
			comp := 0.0
			if c := s.compliance(); c != nil {
				comp = *c
			}
			if cur == nil {
				cur = &breachEvent{def: d, period: s.period, start: e, worst: comp, maxConsumed: s.budget.Consumed}
			}
			cur.worst = min(cur.worst, comp)
			cur.maxConsumed = max(cur.maxConsumed, s.budget.Consumed)
		}
		if cur != nil {
			cur.ongoing = true
			cur.end = p.evalAt
			out = append(out, *cur)
		}
	}
	return out
}
