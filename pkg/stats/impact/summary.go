package impact

import (
	"math"
	"slices"
)

// Summary describes one window.
type Summary struct {
	N      int
	Median float64 // NaN when N is 0
	Mean   float64 // NaN when N is 0
}

// sortedCopy leaves the caller's slice alone: it is their series.
func sortedCopy(xs []float64) []float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s
}

func describeSorted(sorted []float64) Summary {
	if len(sorted) == 0 {
		return Summary{Median: math.NaN(), Mean: math.NaN()}
	}
	var sum float64
	for _, x := range sorted {
		sum += x
	}
	return Summary{N: len(sorted), Median: quantileSorted(sorted, 0.5), Mean: sum / float64(len(sorted))}
}

// quantileSorted interpolates linearly between closest ranks (NumPy's default,
// Hyndman & Fan type 7), so medians and bootstrap percentiles match np.quantile.
func quantileSorted(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lo)
	if frac == 0 {
		return sorted[lo]
	}
	return sorted[lo] + (sorted[lo+1]-sorted[lo])*frac
}
