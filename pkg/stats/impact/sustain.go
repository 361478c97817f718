package impact

import (
	"fmt"
	"time"
)

// SustainState is the answer to "is the gain held?" at a review date.
type SustainState string

const (
	// Sustained: the review window is still better than the baseline by the
	// same test (verdict Improved: p < alpha, median on the better side) AND no
	// run of ShiftRunLength (9) or more consecutive review points lies strictly
	// on the worse side of the baseline's centre line (its mean, the XmR
	// centre) — the process has not drifted back across it.
	Sustained SustainState = "sustained"
	// Eroding: the review median is still strictly better than the baseline
	// median, but the gain is no longer significant (p ≥ alpha), or a run of 9
	// or more review points has gone back across the baseline centre line.
	Eroding SustainState = "eroding"
	// Lost: the review median is no better than the baseline median (equal, or
	// on the worse side), whatever the test says.
	Lost SustainState = "lost"
	// SustainInsufficientData: a window has fewer than MinN points; the
	// Review's Needed says how many more each needs.
	SustainInsufficientData SustainState = "insufficient-data"
)

// Sustainability is one review of a kaizen event's gain.
type Sustainability struct {
	State SustainState
	// Review compares the review window with the baseline (same options as
	// the original analysis); its Phases hold the runs against the baseline.
	Review Result
	// WorseRun is the longest run of review points strictly on the worse side
	// of the baseline centre line (zero Length when none, or not computed).
	WorseRun Run
}

// Sustain reviews whether a gain held. baseline is the original before
// window; review holds the values in the window ending at the review date
// (see ReviewWindow), in time order. Pass the options the event was first
// analysed with, so "the same test" is the same.
func Sustain(baseline, review []float64, opts Options) (Sustainability, error) {
	r, err := Analyze(baseline, review, opts)
	if err != nil {
		return Sustainability{}, fmt.Errorf("sustainability: %w", err)
	}
	s := Sustainability{Review: r}
	if r.Verdict == InsufficientData {
		s.State = SustainInsufficientData
		return s, nil
	}
	s.WorseRun = r.Phases.WorseRun
	switch {
	case !r.InBetterDirection:
		s.State = Lost
	case r.Verdict == Improved && !r.Phases.ShiftedWorse:
		s.State = Sustained
	default:
		s.State = Eroding
	}
	return s, nil
}

// ReviewWindow returns, in time order of the input, the values whose time is
// in (review − length, review]: the window ending at a review date (e.g. the
// last 30 days before the 90-day review).
func ReviewWindow(times []time.Time, values []float64, review time.Time, length time.Duration) ([]float64, error) {
	if len(times) != len(values) {
		return nil, fmt.Errorf("review window: %d times but %d values", len(times), len(values))
	}
	if length <= 0 {
		return nil, fmt.Errorf("review window: length %s must be positive", length)
	}
	from := review.Add(-length)
	var out []float64
	for i, t := range times {
		if t.After(from) && !t.After(review) {
			out = append(out, values[i])
		}
	}
	return out, nil
}
