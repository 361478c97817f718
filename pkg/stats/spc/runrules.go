package spc

import (
	"math"
	"math/bits"
	"time"
)

// ruleEval carries the streaming state of the run rules. Counters hold the
// length of the current pattern ending at the point; the k-of-m rules keep
// one bit per recent point (bit 0 = current) so windows need no look-back.
type ruleEval struct {
	set       RuleSet
	times     []time.Time
	flagsOnly bool // mark points only (Options.FlagsOnly)
	out       []Violation
	marks     []RuleSet
}

func (e *ruleEval) fire(r Rule, i int, pts []int) {
	v := Violation{Rule: r, Index: i, Points: pts}
	if e.times != nil {
		v.Time = &e.times[i]
	}
	e.out = append(e.out, v)
}

func span(i, m int) []int {
	pts := make([]int, m)
	for k := range pts {
		pts[k] = i - m + 1 + k
	}
	return pts
}

// window lists the points whose bits are set in the last m bits of mask.
func window(i, m int, mask uint32) []int {
	var pts []int
	for k := m - 1; k >= 0; k-- {
		if mask>>k&1 != 0 && i-k >= 0 {
			pts = append(pts, i-k)
		}
	}
	return pts
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// runRules evaluates the selected rules over p in one pass, marking
// p.Violations and, unless flagsOnly, appending to out in index then canonical
// rule order.
func runRules(p *Points, set RuleSet, times []time.Time, flagsOnly bool, out []Violation) []Violation {
	if set == 0 {
		return out
	}
	e := ruleEval{set: set, times: times, flagsOnly: flagsOnly, out: out, marks: p.Violations}
	x, c, s, ucl, lcl := p.Value, p.Center, p.Sigma, p.UCL, p.LCL
	var side, sideRun, step, trend, alt, within, outside int
	var up2, dn2, up1, dn1 uint32
	const last3, last5 = 1<<3 - 1, 1<<5 - 1
	for i := range x {
		// Branch-free updates: on noisy data the sign tests are coin flips.
		d, si := x[i]-c[i], s[i]
		// same side of the center (0 on the line breaks a run)
		ns := b2i(d > 0) - b2i(d < 0)
		nz := b2i(ns != 0)
		sideRun = sideRun*b2i(ns == side)*nz + nz
		side = ns
		// steps: a flat step breaks trends and alternation
		nt := 0
		if i > 0 {
			nt = b2i(x[i] > x[i-1]) - b2i(x[i] < x[i-1])
		}
		tz := b2i(nt != 0)
		same, flip := b2i(nt == step)*tz, b2i(nt == -step)*tz
		trend = same*(trend+1) + (1-same)*(1+tz)
		alt = flip*(alt+1) + (1-flip)*(1+tz)
		step = nt
		ad := math.Abs(d)
		within = (within + 1) * b2i(ad < si)
		outside = (outside + 1) * b2i(ad > si)
		up2 = up2<<1 | b2u(d > 2*si)
		dn2 = dn2<<1 | b2u(d < -2*si)
		up1 = up1<<1 | b2u(d > si)
		dn1 = dn1<<1 | b2u(d < -si)

		beyond := x[i] > ucl[i] || x[i] < lcl[i]
		// 2 of 3 beyond 2 sigma / 4 of 5 beyond 1 sigma, current point included
		var twoOf3, fourOf5 uint32
		if up2&1 != 0 && bits.OnesCount32(up2&last3) >= 2 {
			twoOf3 = up2 & last3
		} else if dn2&1 != 0 && bits.OnesCount32(dn2&last3) >= 2 {
			twoOf3 = dn2 & last3
		}
		if up1&1 != 0 && bits.OnesCount32(up1&last5) >= 4 {
			fourOf5 = up1 & last5
		} else if dn1&1 != 0 && bits.OnesCount32(dn1&last5) >= 4 {
			fourOf5 = dn1 & last5
		}
		if !beyond && sideRun < 8 && trend < 6 && alt < 14 && twoOf3 == 0 && fourOf5 == 0 && within < 15 && outside < 8 {
			continue // nothing can fire: the common case
		}
		e.point(i, beyond, sideRun, trend, alt, twoOf3, fourOf5, within, outside)
	}
	return e.out
}

// completed returns the rules whose pattern the point completes, from the
// streaming state.
func completed(beyond bool, sideRun, trend, alt int, twoOf3, fourOf5 uint32, within, outside int) RuleSet {
	var b RuleSet
	if beyond {
		b |= bN1 | bWE1
	}
	if sideRun >= 9 {
		b |= bN2
	}
	if sideRun >= 8 {
		b |= bWE4
	}
	if trend >= 6 {
		b |= bN3
	}
	if alt >= 14 {
		b |= bN4
	}
	if twoOf3 != 0 {
		b |= bN5 | bWE2
	}
	if fourOf5 != 0 {
		b |= bN6 | bWE3
	}
	if within >= 15 {
		b |= bN7
	}
	if outside >= 8 {
		b |= bN8
	}
	return b
}

// point marks the selected rules the point completes and lists each with the
// points that make it up.
func (e *ruleEval) point(i int, beyond bool, sideRun, trend, alt int, twoOf3, fourOf5 uint32, within, outside int) {
	fired := e.set & completed(beyond, sideRun, trend, alt, twoOf3, fourOf5, within, outside)
	e.marks[i] |= fired
	if fired == 0 || e.flagsOnly {
		return
	}
	if fired&bN1 != 0 {
		e.fire(Nelson1, i, []int{i})
	}
	if fired&bN2 != 0 {
		e.fire(Nelson2, i, span(i, 9))
	}
	if fired&bN3 != 0 {
		e.fire(Nelson3, i, span(i, 6))
	}
	if fired&bN4 != 0 {
		e.fire(Nelson4, i, span(i, 14))
	}
	if fired&bN5 != 0 {
		e.fire(Nelson5, i, window(i, 3, twoOf3))
	}
	if fired&bN6 != 0 {
		e.fire(Nelson6, i, window(i, 5, fourOf5))
	}
	if fired&bN7 != 0 {
		e.fire(Nelson7, i, span(i, 15))
	}
	if fired&bN8 != 0 {
		e.fire(Nelson8, i, span(i, 8))
	}
	if fired&bWE1 != 0 {
		e.fire(WE1, i, []int{i})
	}
	if fired&bWE2 != 0 {
		e.fire(WE2, i, window(i, 3, twoOf3))
	}
	if fired&bWE3 != 0 {
		e.fire(WE3, i, window(i, 5, fourOf5))
	}
	if fired&bWE4 != 0 {
		e.fire(WE4, i, span(i, 8))
	}
}
