package drift

import (
	"fmt"
	"math"
)

// PSIOptions configures the PSI functions. Zero values take the defaults.
type PSIOptions struct {
	Bins      int     // reference-quantile bins; default 10
	Epsilon   float64 // stands in for an empty bin's proportion; default 1e-4
	Moderate  float64 // moderate band from here; default 0.1
	Threshold float64 // significant, i.e. drifted, from here; default 0.2
}

func (o PSIOptions) withDefaults() PSIOptions {
	if o.Bins == 0 {
		o.Bins = DefaultBins
	}
	o.Epsilon = orDefault(o.Epsilon, DefaultPSIEpsilon)
	o.Moderate = orDefault(o.Moderate, DefaultPSIModerate)
	o.Threshold = orDefault(o.Threshold, DefaultPSISignificant)
	o.Moderate = min(o.Moderate, o.Threshold) // a lower drift threshold swallows the band
	return o
}

// PSIFromCounts computes the population stability index from two windows'
// counts over the same bins:
//
//	PSI = sum_k (c_k - r_k) * ln(c_k / r_k)
//
// with r_k, c_k the reference and current proportions. An empty bin's
// proportion is replaced by Epsilon (1e-4 by default, as Evidently does;
// proportions are not renormalized afterwards), which keeps the logarithm
// finite and caps one empty bin's contribution near p*ln(p/1e-4). Bins
// empty in both windows contribute 0. Memory O(bins).
func PSIFromCounts(ref, cur []int64, opt PSIOptions) (Result, error) {
	o := opt.withDefaults()
	if len(ref) != len(cur) {
		return Result{}, fmt.Errorf("psi: %d reference bins vs %d current bins: %w", len(ref), len(cur), ErrBadOption)
	}
	if !(o.Epsilon > 0 && o.Epsilon < 1) {
		return Result{}, fmt.Errorf("psi: epsilon %v: %w", o.Epsilon, ErrBadOption)
	}
	pr, err := proportions("reference", ref)
	if err != nil {
		return Result{}, fmt.Errorf("psi: %w", err)
	}
	pc, err := proportions("current", cur)
	if err != nil {
		return Result{}, fmt.Errorf("psi: %w", err)
	}
	psi := 0.0
	for k := range pr {
		r, c := pr[k], pc[k]
		if r == 0 {
			r = o.Epsilon
		}
		if c == 0 {
			c = o.Epsilon
		}
		psi += (c - r) * math.Log(c/r)
	}
	res := distanceResult(MethodPSI, psi, o.Threshold)
	if !res.Drifted && psi >= o.Moderate {
		res.Severity = SeverityModerate
	}
	return res, nil
}

// PSI bins both windows at the reference's quantiles (opt.Bins, default 10;
// see QuantileEdges for ties) and computes PSIFromCounts.
func PSI(reference, current []float64, opt PSIOptions) (BinnedResult, error) {
	o := opt.withDefaults()
	b, err := binByReferenceQuantiles(reference, current, o.Bins)
	if err != nil {
		return BinnedResult{}, fmt.Errorf("psi: %w", err)
	}
	return psiBinned(b, o)
}

// PSIWithEdges uses caller-given cut points instead (see CheckCuts).
func PSIWithEdges(reference, current, cuts []float64, opt PSIOptions) (BinnedResult, error) {
	b, err := binByCuts(reference, current, cuts)
	if err != nil {
		return BinnedResult{}, fmt.Errorf("psi: %w", err)
	}
	return psiBinned(b, opt)
}

func psiBinned(b binned, o PSIOptions) (BinnedResult, error) {
	r, err := PSIFromCounts(b.ref, b.cur, o)
	if err != nil {
		return BinnedResult{}, err
	}
	if n := b.edges.Note(); n != "" {
		r.Notes = append(r.Notes, n)
	}
	return BinnedResult{Result: r, Cuts: b.edges.Cuts, Reference: b.ref, Current: b.cur}, nil
}

// PSIFromCategoryCounts computes PSI with one bin per category (the union
// of both windows' categories).
func PSIFromCategoryCounts(ref, cur map[string]int64, opt PSIOptions) (BinnedResult, error) {
	cats, r, c, err := alignCategories(ref, cur)
	if err != nil {
		return BinnedResult{}, fmt.Errorf("psi: %w", err)
	}
	res, err := PSIFromCounts(r, c, opt)
	if err != nil {
		return BinnedResult{}, err
	}
	return BinnedResult{Result: res, Categories: cats, Reference: r, Current: c}, nil
}

// PSICategories is PSIFromCategoryCounts over raw category values.
func PSICategories(reference, current []string, opt PSIOptions) (BinnedResult, error) {
	return PSIFromCategoryCounts(CountCategories(reference), CountCategories(current), opt)
}
