package drift

import (
	"fmt"
	"math"
)

// WassersteinStats holds the Wasserstein-1 distance between two samples and
// the reference spread used to make it scale-free.
type WassersteinStats struct {
	// Distance is scipy.stats.wasserstein_distance(reference, current): the
	// area between the two empirical CDFs, in the feature's units.
	Distance float64
	// ReferenceStd is the reference's population standard deviation
	// (ddof=0, numpy's np.std default, as Evidently's normed Wasserstein).
	ReferenceStd float64
	// Normed is Distance/ReferenceStd. A constant reference has std 0: then
	// Normed is 0 if the current window is the same constant (Distance 0)
	// and +Inf otherwise (any movement away from a constant is infinitely
	// many reference deviations, and counts as drift).
	Normed float64
}

// WassersteinSorted computes the statistics from two ascending streams and
// their counts in one merged pass, O(1) memory (one chunk per stream):
// between consecutive values the CDF gap is constant, so the area is a
// running sum. The reference moments are accumulated in the same pass,
// chunk by chunk.
func WassersteinSorted(ref Stream, nRef int, cur Stream, nCur int) (WassersteinStats, error) {
	a, err := newSortedReader("reference", ref, nRef, true)
	if err != nil {
		return WassersteinStats{}, fmt.Errorf("wasserstein: %w", err)
	}
	b, err := newSortedReader("current", cur, nCur, false)
	if err != nil {
		return WassersteinStats{}, fmt.Errorf("wasserstein: %w", err)
	}
	n1, n2 := int64(nRef), int64(nCur)
	area, err := walkArea(a, b, n1, n2)
	if err != nil {
		return WassersteinStats{}, fmt.Errorf("wasserstein: %w", err)
	}
	st := WassersteinStats{
		Distance:     area / (float64(n1) * float64(n2)),
		ReferenceStd: math.Sqrt(a.m2 / float64(n1)), // ddof = 0
	}
	if math.IsNaN(st.Distance) || math.IsInf(st.Distance, 0) || math.IsNaN(st.ReferenceStd) || math.IsInf(st.ReferenceStd, 0) {
		// Values near ±1.8e308 overflow the area or the variance (Inf - Inf is NaN).
		return WassersteinStats{}, fmt.Errorf("wasserstein: the distance overflows float64 (values this large are out of range): %w", ErrNonFinite)
	}
	st.Normed = normed(st.Distance, st.ReferenceStd)
	return st, nil
}

func normed(dist, std float64) float64 {
	switch {
	case std > 0:
		return dist / std
	case dist == 0:
		return 0
	default:
		return math.Inf(1)
	}
}

// WassersteinOf computes the statistics of two in-memory samples (sorted
// copies: O(n) extra memory).
func WassersteinOf(reference, current []float64) (WassersteinStats, error) {
	ref, err := sortedCopy("reference", reference)
	if err != nil {
		return WassersteinStats{}, fmt.Errorf("wasserstein: %w", err)
	}
	cur, err := sortedCopy("current", current)
	if err != nil {
		return WassersteinStats{}, fmt.Errorf("wasserstein: %w", err)
	}
	return WassersteinSorted(FromSlice(ref), len(ref), FromSlice(cur), len(cur))
}

// Raw grades the raw distance. It has the feature's units, so there is no
// default: threshold <= 0 or NaN means none (Drifted stays false).
func (s WassersteinStats) Raw(threshold float64) Result {
	if !(threshold > 0) {
		threshold = math.NaN()
	}
	return distanceResult(MethodWasserstein, s.Distance, threshold)
}

// NormedResult grades Distance/ReferenceStd; threshold 0 means the default
// 0.1.
func (s WassersteinStats) NormedResult(threshold float64) Result {
	r := distanceResult(MethodWassersteinNormed, s.Normed, orDefault(threshold, DefaultWassersteinNormed))
	if s.ReferenceStd == 0 {
		r.Notes = append(r.Notes, "reference is constant (std 0): normed distance is 0 if current is the same constant, +Inf otherwise")
	}
	return r
}

// Wasserstein grades the raw distance of two in-memory samples.
func Wasserstein(reference, current []float64, threshold float64) (Result, error) {
	s, err := WassersteinOf(reference, current)
	if err != nil {
		return Result{}, err
	}
	return s.Raw(threshold), nil
}

// WassersteinNormed grades the distance in reference standard deviations.
func WassersteinNormed(reference, current []float64, threshold float64) (Result, error) {
	s, err := WassersteinOf(reference, current)
	if err != nil {
		return Result{}, err
	}
	return s.NormedResult(threshold), nil
}
