package spc

import "math"

// Compute builds the chart described by opt over in. Errors are *Error.
func Compute(in Input, opt Options) (*Result, error) {
	pl, err := validate(in, opt)
	if err != nil {
		return nil, err
	}
	res := &Result{Chart: pl.chart, Points: newPoints(pl.m), Violations: []Violation{}}
	var own []Violation
	switch {
	case pl.chart.individual():
		own = individuals(pl, in.Values, res)
	case pl.chart.subgrouped():
		subgroups(pl, in.Values, res)
	default:
		attributes(pl, in.Values, in.Sizes, res)
	}
	p := &res.Points
	if err := checkFinitePoints(p, res.Dispersion); err != nil {
		return nil, err
	}
	if pl.flagsOnly {
		own = nil // ewma and cusum marked their points; no list is wanted
	}
	res.Violations = runRules(p, pl.rules, pl.times, pl.flagsOnly, append(res.Violations, own...))
	p.Time = pl.times
	res.Center = p.Center[0]
	res.UCL, res.LCL, res.Sigma = constant(p.UCL), constant(p.LCL), constant(p.Sigma)
	if !pl.full {
		res.Baseline = &BaselineRange{First: pl.first, Last: pl.last}
		if pl.times != nil {
			res.Baseline.From, res.Baseline.To = &pl.times[pl.first], &pl.times[pl.last]
		}
		for i := pl.first; i <= pl.last; i++ {
			p.Baseline[i] = true
		}
	}
	return res, nil
}

// checkFinitePoints refuses a chart whose statistics or limits overflowed: values
// near the float64 range (1e308, a unit mistake) would otherwise give ±Inf
// limits and NaN zones that draw nothing and never fire a rule.
func checkFinitePoints(p *Points, d *Dispersion) error {
	cols := [][]float64{p.Value, p.Center, p.UCL, p.LCL, p.Sigma}
	if d != nil {
		cols = append(cols, d.Value, []float64{d.Center, d.UCL, d.LCL})
	}
	for _, col := range cols {
		for _, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errf("values", "the chart overflows float64 (a statistic or limit is %v): values this large are out of range; rescale the series", v)
			}
		}
	}
	return nil
}

func newPoints(m int) Points {
	return Points{
		Value: make([]float64, m), Center: make([]float64, m), UCL: make([]float64, m),
		LCL: make([]float64, m), Sigma: make([]float64, m),
		Baseline: make([]bool, m), Violations: make([]RuleSet, m),
	}
}

// constant returns the common value of xs, or nil when they differ.
func constant(xs []float64) *float64 {
	for _, v := range xs[1:] {
		if v != xs[0] {
			return nil
		}
	}
	v := xs[0]
	return &v
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, v := range xs {
		s += v
	}
	return s / float64(len(xs))
}

func meanMovingRange(xs []float64) float64 {
	s := 0.0
	for i := 1; i < len(xs); i++ {
		s += math.Abs(xs[i] - xs[i-1])
	}
	return s / float64(len(xs)-1)
}

// fill sets constant center and center ± 3 sigma_i limits, clipped to
// [lo, hi] (pass ±Inf for no clipping). sigma is nil when constant (s0).
func fill(p *Points, center, s0 float64, sigma []float64, lo, hi float64) {
	for i := range p.Value {
		s := s0
		if sigma != nil {
			s = sigma[i]
		}
		u, l := center+3*s, center-3*s
		if u > hi {
			u = hi
		}
		if l < lo {
			l = lo
		}
		p.Center[i], p.Sigma[i], p.UCL[i], p.LCL[i] = center, s, u, l
	}
}

// fillFrozen applies user-given center, UCL and LCL to every point.
func fillFrozen(p *Points, f Frozen) {
	c, u, l := *f.Center, *f.UCL, *f.LCL
	s := frozenSigma(f)
	for i := range p.Value {
		p.Center[i], p.UCL[i], p.LCL[i], p.Sigma[i] = c, u, l, s
	}
}

// frozenSigma is the zone width implied by user limits; clipping only ever
// shrinks one side, so the wider side is the unclipped 3 sigma.
func frozenSigma(f Frozen) float64 {
	return math.Max(*f.UCL-*f.Center, *f.Center-*f.LCL) / 3
}

func ptr(v float64) *float64 { return &v }
