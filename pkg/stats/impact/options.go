package impact

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Direction says which way a metric improves.
type Direction string

const (
	LowerIsBetter  Direction = "lower"
	HigherIsBetter Direction = "higher"
)

// ParseDirection accepts "lower" or "higher" (case-insensitive).
func ParseDirection(s string) (Direction, error) {
	switch d := Direction(strings.ToLower(strings.TrimSpace(s))); d {
	case LowerIsBetter, HigherIsBetter:
		return d, nil
	}
	return "", fmt.Errorf("better direction %q: use lower or higher", s)
}

// better reports whether a change (after − before) points the better way;
// zero is neither better nor worse.
func (d Direction) better(change float64) bool {
	if d == LowerIsBetter {
		return change < 0
	}
	return change > 0
}

// Defaults used when an Options field is left zero.
const (
	DefaultAlpha     = 0.05
	DefaultMinN      = 8
	DefaultResamples = 10000
	// MaxResamples bounds the bootstrap: its differences are held in memory (8
	// bytes each) and each costs a pass over both windows.
	MaxResamples = 100000
)

// Options tune an analysis. Better is required: a silent default could turn an
// improvement into a "worsened" verdict.
type Options struct {
	Better    Direction
	Alpha     float64 // significance level, (0,1); 0 means DefaultAlpha
	MinN      int     // fewest points per window for a verdict; 0 means DefaultMinN (minimum 2)
	Seed      uint64  // bootstrap PRNG seed; the same seed gives the same interval
	Resamples int     // bootstrap resamples; 0 means DefaultResamples
	// NoInterval skips the bootstrap (CI95 stays nil) for callers that do not show the
	// interval: it is most of an analysis's cost, and the verdict does not use it.
	NoInterval bool
}

// withDefaults fills zero fields and validates the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Better != LowerIsBetter && o.Better != HigherIsBetter {
		return o, fmt.Errorf("better direction %q: use lower or higher", o.Better)
	}
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return o, fmt.Errorf("alpha %v: must be between 0 and 1", o.Alpha)
	}
	if o.MinN == 0 {
		o.MinN = DefaultMinN
	}
	if o.MinN < 2 {
		return o, fmt.Errorf("min-n %d: must be at least 2", o.MinN)
	}
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Resamples < 100 || o.Resamples > MaxResamples {
		return o, fmt.Errorf("resamples %d: must be from 100 (for a 95%% interval) to %d", o.Resamples, MaxResamples)
	}
	return o, nil
}

var errNotFinite = errors.New("value is not a finite number")

// checkFinite rejects NaN and ±Inf: ranks and medians have no meaning for them.
func checkFinite(side string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s[%d]: %w", side, i, errNotFinite)
		}
	}
	return nil
}

var errTooShortForXmR = errors.New("an XmR chart needs at least two points per phase")
