package slo

import (
	"math"
	"time"
)

// Counts are good and total events over a span. For incident SLIs the events are
// seconds: total is the elapsed time, good the time outside incidents.
type Counts struct{ Good, Total float64 }

// Bad is total − good.
func (c Counts) Bad() float64 { return math.Max(0, c.Total-c.Good) }

// Minus subtracts cumulative counts: the span between two instants.
func (c Counts) Minus(o Counts) Counts {
	return Counts{Good: c.Good - o.Good, Total: c.Total - o.Total}
}

// Plus adds counts.
func (c Counts) Plus(o Counts) Counts { return Counts{Good: c.Good + o.Good, Total: c.Total + o.Total} }

// Ratio is the SLI, good / total. A span without events has no SLI (ok false):
// no traffic is neither 100% nor 0%.
func (c Counts) Ratio() (float64, bool) {
	if !(c.Total > 0) {
		return 0, false
	}
	return c.Good / c.Total, true
}

// burnRateOf is how fast a span spends the error budget: its error ratio over the
// budget fraction. 1 spends exactly the budget over the SLO window; 14.4 spends a
// 30-day budget's 2% in one hour. A span without events burns nothing (0). With
// an objective of 100% (budget 0) any bad event burns infinitely fast (+Inf) and
// a clean span burns 0.
func burnRateOf(c Counts, budget float64) float64 {
	if !(c.Total > 0) || c.Bad() == 0 {
		return 0
	}
	if budget == 0 {
		return math.Inf(1)
	}
	return c.Bad() / (c.Total * budget)
}

// Budget is the error budget of one window: bad events allowed, spent and left,
// as events, as a ratio and as time.
type Budget struct {
	// TotalEvents = budget fraction × the window's events (for calendar periods,
	// the events projected over the whole period); ConsumedEvents = bad events.
	TotalEvents, ConsumedEvents, RemainingEvents float64
	// Consumed = ConsumedEvents / TotalEvents (0 when nothing is bad, +Inf when
	// bad events meet a zero budget); Remaining = 1 − Consumed, below 0 when overspent.
	Consumed, Remaining float64
	// TotalTime = budget fraction × window length (seconds): the full outage the
	// budget allows. RemainingTime = window length × (budget fraction − error ratio),
	// negative when overspent; finite even for a 100% objective.
	TotalTime, RemainingTime float64
}

// budgetOf computes a window's budget from the events the budget is sized on
// (basis: the window's, or a period's projected events) and the bad events spent.
func budgetOf(basis, bad, fraction float64, length time.Duration) Budget {
	b := Budget{TotalEvents: fraction * basis, ConsumedEvents: bad, TotalTime: fraction * length.Seconds()}
	b.RemainingEvents = b.TotalEvents - bad
	switch {
	case bad == 0:
		b.Consumed = 0
	case b.TotalEvents == 0:
		b.Consumed = math.Inf(1)
	default:
		b.Consumed = bad / b.TotalEvents
	}
	b.Remaining = 1 - b.Consumed
	errorRatio := 0.0
	if basis > 0 {
		errorRatio = bad / basis
	}
	b.RemainingTime = length.Seconds() * (fraction - errorRatio)
	return b
}

// projectedTotal sizes a calendar period's budget: the events so far scaled to
// the whole period (exact for incident SLIs, whose events are the elapsed seconds).
func projectedTotal(total float64, elapsed, length int64) float64 {
	if elapsed <= 0 {
		return 0
	}
	return total * float64(length) / float64(elapsed)
}
