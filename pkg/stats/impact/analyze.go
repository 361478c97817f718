package impact

import (
	"fmt"
	"math"
)

// Verdict is the answer to "did it work?".
type Verdict string

const (
	// Improved: p < alpha and the median moved the better way.
	Improved Verdict = "improved"
	// Worsened: p < alpha and the median moved the worse way.
	Worsened Verdict = "worsened"
	// NoEvidence: p ≥ alpha, or the medians are equal (a significant test with
	// no change in median gives no direction to report).
	NoEvidence Verdict = "no-evidence"
	// InsufficientData: a window has fewer than MinN points; Needed says how
	// many more each side needs. No test is run, so nothing is guessed.
	InsufficientData Verdict = "insufficient-data"
)

// Needed counts the points missing per window before a verdict can be given.
type Needed struct {
	Before, After int
}

// Result is one before/after comparison.
type Result struct {
	Before, After Summary
	// Change is After.Median − Before.Median, in the metric's unit.
	Change float64
	// RelativeChange is Change / |Before.Median|; NaN when Before.Median is 0.
	RelativeChange float64
	// InBetterDirection: Change is non-zero and points the better way.
	InBetterDirection bool
	Verdict           Verdict
	Needed            Needed // non-zero only for InsufficientData
	// Test, CI95 and Phases are nil when the verdict is InsufficientData; CI95 also
	// with Options.NoInterval.
	Test   *MannWhitney
	CI95   *Interval
	Phases *Phases
}

// Analyze compares the after window with the before window. The slices are
// not modified. Values must be finite.
func Analyze(before, after []float64, opts Options) (Result, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return Result{}, fmt.Errorf("impact: %w", err)
	}
	if err := checkFinite("before", before); err != nil {
		return Result{}, fmt.Errorf("impact: %w", err)
	}
	if err := checkFinite("after", after); err != nil {
		return Result{}, fmt.Errorf("impact: %w", err)
	}
	return analyze(before, after, o)
}

// analyze expects validated options and finite values.
func analyze(before, after []float64, o Options) (Result, error) {
	sb, sa := sortedCopy(before), sortedCopy(after)
	r := Result{Before: describeSorted(sb), After: describeSorted(sa)}
	r.Change = r.After.Median - r.Before.Median
	r.RelativeChange = math.NaN()
	if r.Before.Median != 0 {
		r.RelativeChange = r.Change / math.Abs(r.Before.Median)
	}
	r.InBetterDirection = o.Better.better(r.Change)

	r.Needed = Needed{Before: max(0, o.MinN-len(before)), After: max(0, o.MinN-len(after))}
	if r.Needed != (Needed{}) {
		r.Verdict = InsufficientData
		return r, nil
	}
	mw := mannWhitneySorted(sa, sb)
	r.Test = &mw
	if !o.NoInterval {
		ci := bootstrapSorted(sb, sa, o.Seed, o.Resamples)
		r.CI95 = &ci
	}
	ph, err := phases(before, after, o.Better)
	if err != nil {
		return Result{}, fmt.Errorf("impact: spc phases: %w", err)
	}
	r.Phases = ph
	r.Verdict = verdict(mw.P, o.Alpha, r.Change, o.Better)
	return r, nil
}

func verdict(p, alpha, change float64, better Direction) Verdict {
	switch {
	case p >= alpha || change == 0:
		return NoEvidence
	case better.better(change):
		return Improved
	default:
		return Worsened
	}
}
