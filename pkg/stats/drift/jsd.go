package drift

import (
	"fmt"
	"math"
)

// JSDOptions configures the Jensen-Shannon functions. Zero values take the
// defaults.
type JSDOptions struct {
	Bins      int     // reference-quantile bins; default 10
	Base      float64 // logarithm base; default 2, which keeps JSD in [0, 1]
	Threshold float64 // drifted from here; default 0.1
}

func (o JSDOptions) withDefaults() JSDOptions {
	if o.Bins == 0 {
		o.Bins = DefaultBins
	}
	o.Base = orDefault(o.Base, 2)
	o.Threshold = orDefault(o.Threshold, DefaultJSD)
	return o
}

// JSDFromCounts computes the Jensen-Shannon distance between two windows'
// counts over the same bins, as scipy.spatial.distance.jensenshannon(ref,
// cur, base): with p, q the proportions and m = (p+q)/2,
//
//	JSD = sqrt((KL(p||m) + KL(q||m)) / (2 ln base))
//
// An empty bin needs no epsilon: 0*ln(0/m) is 0, and m > 0 wherever p or q
// is. Memory O(bins).
func JSDFromCounts(ref, cur []int64, opt JSDOptions) (Result, error) {
	o := opt.withDefaults()
	if len(ref) != len(cur) {
		return Result{}, fmt.Errorf("jsd: %d reference bins vs %d current bins: %w", len(ref), len(cur), ErrBadOption)
	}
	if !(o.Base > 0) || o.Base == 1 || math.IsInf(o.Base, 0) {
		return Result{}, fmt.Errorf("jsd: base %v: %w", o.Base, ErrBadOption)
	}
	p, err := proportions("reference", ref)
	if err != nil {
		return Result{}, fmt.Errorf("jsd: %w", err)
	}
	q, err := proportions("current", cur)
	if err != nil {
		return Result{}, fmt.Errorf("jsd: %w", err)
	}
	var left, right float64
	for k := range p {
		m := (p[k] + q[k]) / 2
		left += relEntr(p[k], m)
		right += relEntr(q[k], m)
	}
	js := (left + right) / math.Log(o.Base)
	return distanceResult(MethodJSD, math.Sqrt(max(js, 0)/2), o.Threshold), nil
}

// relEntr is scipy.special.rel_entr for x >= 0, y > 0.
func relEntr(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(x/y)
}

// JSD bins both windows at the reference's quantiles (the same bins as PSI)
// and computes JSDFromCounts.
func JSD(reference, current []float64, opt JSDOptions) (BinnedResult, error) {
	o := opt.withDefaults()
	b, err := binByReferenceQuantiles(reference, current, o.Bins)
	if err != nil {
		return BinnedResult{}, fmt.Errorf("jsd: %w", err)
	}
	return jsdBinned(b, o)
}

// JSDWithEdges uses caller-given cut points instead (see CheckCuts).
func JSDWithEdges(reference, current, cuts []float64, opt JSDOptions) (BinnedResult, error) {
	b, err := binByCuts(reference, current, cuts)
	if err != nil {
		return BinnedResult{}, fmt.Errorf("jsd: %w", err)
	}
	return jsdBinned(b, opt)
}

func jsdBinned(b binned, o JSDOptions) (BinnedResult, error) {
	r, err := JSDFromCounts(b.ref, b.cur, o)
	if err != nil {
		return BinnedResult{}, err
	}
	if n := b.edges.Note(); n != "" {
		r.Notes = append(r.Notes, n)
	}
	return BinnedResult{Result: r, Cuts: b.edges.Cuts, Reference: b.ref, Current: b.cur}, nil
}

// JSDFromCategoryCounts uses one bin per category (union of both windows).
func JSDFromCategoryCounts(ref, cur map[string]int64, opt JSDOptions) (BinnedResult, error) {
	cats, r, c, err := alignCategories(ref, cur)
	if err != nil {
		return BinnedResult{}, fmt.Errorf("jsd: %w", err)
	}
	res, err := JSDFromCounts(r, c, opt)
	if err != nil {
		return BinnedResult{}, err
	}
	return BinnedResult{Result: res, Categories: cats, Reference: r, Current: c}, nil
}
