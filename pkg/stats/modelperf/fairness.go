package modelperf

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// SegmentOutcome is one prediction with its outcome and the segment (the
// value of a sensitive label) it belongs to.
type SegmentOutcome struct {
	Segment           string
	Predicted, Actual bool
}

// SegmentRates are one segment's counts and rates.
type SegmentRates struct {
	Segment string
	Confusion
	SelectionRate     float64 // (TP+FP)/N
	TruePositiveRate  float64 // NaN with no actual positives in the segment
	FalsePositiveRate float64 // NaN with no actual negatives in the segment
}

// Fairness holds fairlearn's between-group disparity metrics.
type Fairness struct {
	Segments []SegmentRates // sorted by segment
	// DemographicParityDifference is max - min selection rate.
	DemographicParityDifference float64
	// DisparateImpactRatio is min / max selection rate (fairlearn's
	// demographic_parity_ratio; the "four-fifths rule" reads it against
	// 0.8); NaN when no segment selects anyone.
	DisparateImpactRatio float64
	// TPRDifference and FPRDifference are max - min over segments where the
	// rate is defined; NaN when none is.
	TPRDifference, FPRDifference float64
	// EqualizedOddsDifference is max(TPRDifference, FPRDifference)
	// (fairlearn's default agg="worst_case").
	EqualizedOddsDifference float64
	Notes                   []string
}

// FairnessBySegment groups outcomes by segment and computes Fairness.
func FairnessBySegment(obs []SegmentOutcome) (Fairness, error) {
	by := make(map[string]Confusion)
	for _, o := range obs {
		c := by[o.Segment]
		c.Add(o.Predicted, o.Actual)
		by[o.Segment] = c
	}
	return FairnessFromConfusions(by)
}

// FairnessFromConfusions computes Fairness from per-segment counts (which a
// store can sum in SQL).
func FairnessFromConfusions(bySegment map[string]Confusion) (Fairness, error) {
	if len(bySegment) == 0 {
		return Fairness{}, fmt.Errorf("fairness: %w", ErrEmpty)
	}
	var f Fairness
	for _, s := range slices.Sorted(maps.Keys(bySegment)) {
		c := bySegment[s]
		if c.N() == 0 {
			return Fairness{}, fmt.Errorf("fairness: segment %q: %w", s, ErrEmpty)
		}
		f.Segments = append(f.Segments, SegmentRates{
			Segment: s, Confusion: c,
			SelectionRate: c.SelectionRate(), TruePositiveRate: c.Recall(), FalsePositiveRate: c.FalsePositiveRate(),
		})
	}
	sel := spread(f.Segments, func(r SegmentRates) float64 { return r.SelectionRate })
	tpr := spread(f.Segments, func(r SegmentRates) float64 { return r.TruePositiveRate })
	fpr := spread(f.Segments, func(r SegmentRates) float64 { return r.FalsePositiveRate })
	f.DemographicParityDifference = sel.max - sel.min
	f.DisparateImpactRatio = math.NaN()
	if sel.max > 0 {
		f.DisparateImpactRatio = sel.min / sel.max
	}
	f.TPRDifference, f.FPRDifference = tpr.diff(), fpr.diff()
	f.EqualizedOddsDifference = worst(f.TPRDifference, f.FPRDifference)
	for _, u := range []struct {
		rate, missing string
		e             extent
	}{{"true positive rate", "positives", tpr}, {"false positive rate", "negatives", fpr}} {
		if len(u.e.undefined) > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("%s undefined for segments %q (no actual %s): left out of the difference",
				u.rate, u.e.undefined, u.missing))
		}
	}
	return f, nil
}

// extent is the range of a rate over the segments where it is defined.
type extent struct {
	min, max  float64
	defined   int
	undefined []string
}

func (e extent) diff() float64 {
	if e.defined == 0 {
		return math.NaN()
	}
	return e.max - e.min
}

func spread(rs []SegmentRates, rate func(SegmentRates) float64) extent {
	e := extent{min: math.Inf(1), max: math.Inf(-1)}
	for _, r := range rs {
		v := rate(r)
		if math.IsNaN(v) {
			e.undefined = append(e.undefined, r.Segment)
			continue
		}
		e.defined++
		e.min, e.max = min(e.min, v), max(e.max, v)
	}
	return e
}

// worst is the larger of two differences, ignoring an undefined one.
func worst(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return b
	case math.IsNaN(b):
		return a
	}
	return max(a, b)
}
