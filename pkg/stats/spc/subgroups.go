package spc

import "math"

// subgroups computes X-bar R and X-bar S with their R or S chart.
func subgroups(pl *plan, x []float64, res *Result) {
	n, m, f := pl.sub, pl.m, pl.frozen
	k, _ := Constants(n)
	res.Params = Params{Subgroup: n}
	means, disp := make([]float64, m), make([]float64, m)
	for j := range m {
		g := x[j*n : (j+1)*n]
		means[j] = mean(g)
		if pl.chart == XbarR {
			lo, hi := g[0], g[0]
			for _, v := range g[1:] {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			disp[j] = hi - lo
		} else {
			ss := 0.0
			for _, v := range g {
				ss += (v - means[j]) * (v - means[j])
			}
			disp[j] = math.Sqrt(ss / float64(n-1))
		}
	}
	unbias, lo, hi, kind, rule := k.D2, k.LD3, k.LD4, "r", RLimit
	if pl.chart == XbarS {
		unbias, lo, hi, kind, rule = k.C4, k.LB3, k.LB4, "s", SLimit
	}
	mu := 0.0
	if f.Center != nil {
		mu = *f.Center
	} else {
		mu = mean(means[pl.first : pl.last+1])
	}
	var sp, dc float64 // process sigma, dispersion center
	switch {
	case f.Sigma != nil:
		sp = *f.Sigma
		dc = unbias * sp
	case f.UCL != nil:
		sp = frozenSigma(f) * math.Sqrt(float64(n))
		dc = unbias * sp
	default:
		dc = mean(disp[pl.first : pl.last+1])
		sp = dc / unbias
	}
	res.ProcessSigma = ptr(sp)
	p := &res.Points
	copy(p.Value, means)
	if f.UCL != nil {
		fillFrozen(p, f)
	} else {
		s := sp / math.Sqrt(float64(n))
		fill(p, mu, s, nil, math.Inf(-1), math.Inf(1))
	}
	d := &Dispersion{Chart: kind, Center: dc, UCL: hi * dc, LCL: lo * dc,
		Index: make([]int, m), Value: disp, Violations: []Violation{}}
	for j := range d.Index {
		d.Index[j] = j
	}
	d.check(rule, pl, func(i int) []int { return []int{i} })
	res.Dispersion = d
}
