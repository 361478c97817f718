package impact

import (
	"errors"
	"fmt"

	"github.com/kaizenops/suite/pkg/stats/spc"
)

// ShiftRunLength is Nelson rule 2's run: nine points in a row on one side of
// the centre line.
const ShiftRunLength = 9

// Limits are one phase's individuals (XmR) chart limits.
type Limits struct {
	N      int
	Center float64 // mean of the phase
	MRBar  float64 // mean moving range of consecutive points
	Sigma  float64 // MRBar / d2, d2 = 1.128 for ranges of two
	UCL    float64 // Center + 3·Sigma
	LCL    float64 // Center − 3·Sigma (not clipped at zero)
}

// Run is a stretch of consecutive after-phase points, by index into after.
type Run struct {
	Start  int `json:"start"`
	Length int `json:"length"`
}

// Phases is the SPC view of a before/after comparison: limits recomputed per
// phase, and the after phase's runs against the before phase's centre line.
type Phases struct {
	Before, After Limits
	// BetterRun and WorseRun are the longest runs of after points strictly on
	// the better / worse side of Before.Center (a point on the line ends a
	// run); Length 0 when there is none.
	BetterRun, WorseRun Run
	// SustainedShift: BetterRun is at least ShiftRunLength long (Nelson rule 2
	// against the baseline centre line, on the better side).
	SustainedShift bool
	// ShiftedWorse: WorseRun is at least ShiftRunLength long.
	ShiftedWorse bool
}

// PhaseView computes the SPC view for values in time order. Each phase needs
// at least two points for a moving range.
func PhaseView(before, after []float64, better Direction) (Phases, error) {
	o, err := Options{Better: better}.withDefaults()
	if err != nil {
		return Phases{}, err
	}
	if err := checkFinite("before", before); err != nil {
		return Phases{}, err
	}
	if err := checkFinite("after", after); err != nil {
		return Phases{}, err
	}
	p, err := phases(before, after, o.Better)
	if err != nil {
		return Phases{}, err
	}
	return *p, nil
}

// phases takes the limits and the rule-2 decision from pkg/stats/spc, so a
// shift here is exactly what the control chart panel marks; sideRuns adds the
// longest runs (including ones shorter than 9) for the report.
func phases(before, after []float64, better Direction) (*Phases, error) {
	lb, err := xmrLimits(before)
	if err != nil {
		return nil, fmt.Errorf("before phase: %w", err)
	}
	la, err := xmrLimits(after)
	if err != nil {
		return nil, fmt.Errorf("after phase: %w", err)
	}
	p := &Phases{Before: lb, After: la}
	p.BetterRun, p.WorseRun = sideRuns(after, lb.Center, better)
	// Phase II: the after points against the before phase's frozen centre
	// and sigma, Nelson rule 2 only. Rule 2 looks at the centre line alone,
	// so a constant baseline (sigma 0, which spc rejects) can use any sigma.
	sigma := lb.Sigma
	if sigma == 0 {
		sigma = 1
	}
	shift, err := spc.Compute(spc.Input{Values: after}, spc.Options{
		Chart: spc.XmR, Rules: []string{string(spc.Nelson2)},
		Frozen: spc.Frozen{Center: &lb.Center, Sigma: &sigma},
	})
	if err != nil {
		return nil, fmt.Errorf("after phase against the before centre line: %w", err)
	}
	for _, v := range shift.Violations {
		if v.Rule != spc.Nelson2 {
			continue
		}
		if better.better(after[v.Index] - lb.Center) {
			p.SustainedShift = true
		} else {
			p.ShiftedWorse = true
		}
	}
	return p, nil
}

// sideRuns finds the longest runs strictly on the better and the worse side
// of center (the first one when lengths tie).
func sideRuns(xs []float64, center float64, better Direction) (best, worst Run) {
	side := func(x float64) int { // +1 better, −1 worse, 0 on the line
		switch {
		case x == center:
			return 0
		case better.better(x - center):
			return 1
		}
		return -1
	}
	start, cur := 0, 0
	flush := func(end int) {
		if cur == 0 {
			return
		}
		r := Run{Start: start, Length: end - start}
		if cur > 0 && r.Length > best.Length {
			best = r
		}
		if cur < 0 && r.Length > worst.Length {
			worst = r
		}
	}
	for i, x := range xs {
		s := side(x)
		if s != cur {
			flush(i)
			start, cur = i, s
		}
	}
	flush(len(xs))
	return best, worst
}

// xmrLimits is one phase's XmR chart from pkg/stats/spc (sigma = mean
// moving range / 1.128).
func xmrLimits(xs []float64) (Limits, error) {
	if len(xs) < 2 {
		return Limits{}, errTooShortForXmR
	}
	r, err := spc.Compute(spc.Input{Values: xs}, spc.Options{Chart: spc.XmR})
	if err != nil {
		return Limits{}, err
	}
	if r.UCL == nil || r.LCL == nil || r.ProcessSigma == nil || r.Dispersion == nil {
		return Limits{}, errors.New("spc returned no constant XmR limits")
	}
	return Limits{N: len(xs), Center: r.Center, MRBar: r.Dispersion.Center, Sigma: *r.ProcessSigma,
		UCL: *r.UCL, LCL: *r.LCL}, nil
}
