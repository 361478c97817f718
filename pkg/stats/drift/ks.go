package drift

import (
	"fmt"
	"math"
	"math/bits"
)

// KSMode chooses how the two-sample KS p-value is computed. The names and
// the rules are scipy.stats.ks_2samp's method argument (two-sided).
type KSMode string

const (
	// KSAuto is scipy's default: exact when both samples have at most
	// KSMaxAutoExactN observations, asymptotic otherwise.
	KSAuto KSMode = "auto"
	// KSExact is the exact null distribution of D (lattice-path count),
	// O(n1*n2*D) time at worst. Like scipy, it falls back to asymp when
	// lcm(n1, n2) would pass the int32 range.
	KSExact KSMode = "exact"
	// KSAsymp is scipy's asymptotic p-value: kstwo.sf(D, round(n1*n2/(n1+n2))).
	// Mostly O(1); where scipy sums the one-sided Smirnov series
	// (n*D^2 >= 2.2 and n = round(...) <= 1e6) it costs O(n): about 2 ms at
	// n = 5e4 and 50 ms at n = 1e6.
	KSAsymp KSMode = "asymp"
)

// KSMaxAutoExactN is scipy's MAX_AUTO_N: the largest sample size for which
// KSAuto is exact.
const KSMaxAutoExactN = 10000

// KSOptions configures KS and KSSorted. Zero values take the defaults.
type KSOptions struct {
	Mode  KSMode  // default KSAuto
	Alpha float64 // drift when p < Alpha; default 0.05
}

// KSResult is a KS comparison with the p-value mode actually used.
type KSResult struct {
	Result
	Mode KSMode // KSExact or KSAsymp
}

// KS compares two in-memory samples. It sorts copies: O(n) extra memory.
func KS(reference, current []float64, opt KSOptions) (KSResult, error) {
	ref, err := sortedCopy("reference", reference)
	if err != nil {
		return KSResult{}, fmt.Errorf("ks: %w", err)
	}
	cur, err := sortedCopy("current", current)
	if err != nil {
		return KSResult{}, fmt.Errorf("ks: %w", err)
	}
	return KSSorted(FromSlice(ref), len(ref), FromSlice(cur), len(cur), opt)
}

// KSSorted computes the two-sample KS statistic D = sup|F_ref - F_cur| and
// its two-sided p-value from two ascending streams and their counts, in one
// merged pass: O(1) memory whatever the number of observations (the exact
// p-value adds O(min(n1, n2)) for its lattice column, and only applies to
// samples of at most KSMaxAutoExactN in KSAuto). It matches
// scipy.stats.ks_2samp(reference, current, method=<mode>) for the statistic
// and the p-value.
func KSSorted(ref Stream, nRef int, cur Stream, nCur int, opt KSOptions) (KSResult, error) {
	alpha := orDefault(opt.Alpha, DefaultAlpha)
	mode := opt.Mode
	if mode == "" {
		mode = KSAuto
	}
	if mode != KSAuto && mode != KSExact && mode != KSAsymp {
		return KSResult{}, fmt.Errorf("ks: mode %q: %w", mode, ErrBadOption)
	}
	if hi, lo := bits.Mul64(uint64(max(nRef, 0)), uint64(max(nCur, 0))); hi != 0 || lo > math.MaxInt64 {
		return KSResult{}, fmt.Errorf("ks: samples of %d and %d values are too large: %w", nRef, nCur, ErrBadOption)
	}
	a, err := newSortedReader("reference", ref, nRef, false)
	if err != nil {
		return KSResult{}, fmt.Errorf("ks: %w", err)
	}
	b, err := newSortedReader("current", cur, nCur, false)
	if err != nil {
		return KSResult{}, fmt.Errorf("ks: %w", err)
	}
	n1, n2 := int64(nRef), int64(nCur)
	e, err := walkKS(a, b, n1, n2)
	if err != nil {
		return KSResult{}, fmt.Errorf("ks: %w", err)
	}
	maxI, maxJ, minI, minJ := e.maxI, e.maxJ, e.minI, e.minJ
	// Same float expressions as scipy's cdf1 - cdf2.
	dPlus := float64(maxI)/float64(n1) - float64(maxJ)/float64(n2)
	dMinus := -(float64(minI)/float64(n1) - float64(minJ)/float64(n2))
	d := max(dPlus, 0)
	if dMinus > d {
		d = dMinus
	}

	res := KSResult{Mode: mode}
	var notes []string
	if mode == KSAuto {
		res.Mode = KSAsymp
		if max(n1, n2) <= KSMaxAutoExactN {
			res.Mode = KSExact
		}
	}
	g := gcd(n1, n2)
	n1g, n2g := n1/g, n2/g
	if res.Mode == KSExact && float64(n1g) >= float64(math.MaxInt32)/float64(n2g) {
		res.Mode = KSAsymp
		notes = append(notes, fmt.Sprintf("exact p-value impossible for samples of %d and %d; used asymp", n1, n2))
	}
	var p float64
	switch res.Mode {
	case KSExact:
		lcm := n1g * n2
		h := int64(math.Round(d * float64(lcm)))
		d = float64(h) / float64(lcm)
		p = 1
		if h > 0 {
			p = ksExactSF(n1, n2, h)
		}
	case KSAsymp:
		big, small := float64(max(n1, n2)), float64(min(n1, n2))
		en := math.RoundToEven(big * small / (big + small))
		p = kstwoSF(int(en), d) // NaN when en rounds to 0 (n1 = n2 = 1), as in scipy
	}
	notes = append(notes, "p-value: "+string(res.Mode))
	res.Result = testResult(MethodKS, d, clip01(p), alpha) // clip01 keeps NaN
	res.Notes = notes
	return res, nil
}
