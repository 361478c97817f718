package impact

import (
	"errors"
	"fmt"
	"slices"
)

// Interval is a confidence interval [Lo, Hi] at Level (0.95 for 95%).
type Interval struct {
	Lo, Hi float64
	Level  float64
}

// bootstrapStream is the PCG stream word paired with the caller's seed, fixed
// so that a seed alone pins the interval.
const bootstrapStream = 0x6b61697a656e // "kaizen"

// BootstrapMedianDiff is the percentile-bootstrap 95% interval of
// median(after) − median(before).
//
// Method, so a reader can reproduce it:
//   - PRNG: math/rand/v2 PCG seeded with (seed, 0x6b61697a656e); each 64-bit
//     output gives two 32-bit words (high half first), each mapped to an index
//     by Lemire's multiply-shift with rejection, so indices are exactly
//     uniform (see indexDrawer);
//   - each side is sorted ascending first; each resample then draws
//     len(after) indices into the sorted after sample, then len(before)
//     indices into the sorted before sample, with replacement, in that order;
//   - a resample's median interpolates like numpy.median;
//   - Lo and Hi are the 2.5th and 97.5th percentiles of the resampled
//     differences, interpolated linearly between closest ranks
//     (numpy.quantile's default).
//
// The samples are sorted once; a resample only counts how often each sorted
// position was drawn and walks the counts to the median, so it costs O(n) with
// no sort.
func BootstrapMedianDiff(before, after []float64, seed uint64, resamples int) (Interval, error) {
	if len(before) == 0 || len(after) == 0 {
		return Interval{}, errors.New("bootstrap: both samples need at least one value")
	}
	if resamples < 100 {
		return Interval{}, errors.New("bootstrap: at least 100 resamples are needed for a 95% interval")
	}
	if resamples > MaxResamples {
		return Interval{}, fmt.Errorf("bootstrap: %d resamples, more than the %d allowed", resamples, MaxResamples)
	}
	if err := checkFinite("before", before); err != nil {
		return Interval{}, err
	}
	if err := checkFinite("after", after); err != nil {
		return Interval{}, err
	}
	return bootstrapSorted(sortedCopy(before), sortedCopy(after), seed, resamples), nil
}

func bootstrapSorted(before, after []float64, seed uint64, resamples int) Interval {
	rng := newIndexDrawer(seed)
	counts := make([]int32, max(len(before), len(after)))
	diffs := make([]float64, resamples)
	for b := range diffs {
		ma := resampleMedian(rng, after, counts[:len(after)])
		mb := resampleMedian(rng, before, counts[:len(before)])
		diffs[b] = ma - mb
	}
	slices.Sort(diffs)
	return Interval{Lo: quantileSorted(diffs, 0.025), Hi: quantileSorted(diffs, 0.975), Level: 0.95}
}

// resampleMedian draws len(sorted) positions with replacement and returns the
// median of the drawn values; counts is scratch space of the same length.
func resampleMedian(rng *indexDrawer, sorted []float64, counts []int32) float64 {
	n := len(sorted)
	clear(counts)
	for range n {
		counts[rng.intN(uint32(n))]++
	}
	// The median is the mean of order statistics lo and hi (equal when n is
	// odd), interpolated as quantileSorted does.
	lo, hi := (n-1)/2, n/2
	i, cum := 0, int(counts[0])
	for cum <= lo {
		i++
		cum += int(counts[i])
	}
	vlo := sorted[i]
	for cum <= hi {
		i++
		cum += int(counts[i])
	}
	return vlo + (sorted[i]-vlo)*0.5
}
