package spc

import "math"

// individuals computes XmR, EWMA and CUSUM; EWMA/CUSUM return their own
// limit violations.
func individuals(pl *plan, x []float64, res *Result) []Violation {
	f := pl.frozen
	base := x[pl.first : pl.last+1]
	mu := 0.0
	if f.Center != nil {
		mu = *f.Center
	} else {
		mu = mean(base)
	}
	var sigma, mrbar float64
	switch {
	case f.Sigma != nil:
		sigma = *f.Sigma
		mrbar = xmrD2 * sigma
	case f.UCL != nil:
		sigma = frozenSigma(f)
		mrbar = xmrD2 * sigma
	default:
		mrbar = meanMovingRange(base)
		sigma = mrbar / xmrD2
	}
	res.ProcessSigma = ptr(sigma)
	switch pl.chart {
	case EWMA:
		return ewma(pl, x, mu, sigma, res)
	case CUSUM:
		return cusum(pl, x, mu, sigma, res)
	}
	p := &res.Points
	copy(p.Value, x)
	if f.UCL != nil {
		fillFrozen(p, f)
	} else {
		fill(p, mu, sigma, nil, math.Inf(-1), math.Inf(1))
	}
	k, _ := Constants(2)
	d := &Dispersion{Chart: "mr", Center: mrbar, UCL: k.LD4 * mrbar, LCL: k.LD3 * mrbar,
		Index: make([]int, len(x)-1), Value: make([]float64, len(x)-1), Violations: []Violation{}}
	for i := 1; i < len(x); i++ {
		d.Index[i-1], d.Value[i-1] = i, math.Abs(x[i]-x[i-1])
	}
	d.check(MRLimit, pl, func(i int) []int { return []int{i - 1, i} })
	res.Dispersion = d
	return nil
}

// Dispersion-chart limit rules (always on).
const (
	MRLimit Rule = "mr-limit"
	RLimit  Rule = "r-limit"
	SLimit  Rule = "s-limit"
)

func (d *Dispersion) check(r Rule, pl *plan, pts func(i int) []int) {
	if pl.flagsOnly {
		return
	}
	for j, v := range d.Value {
		if v > d.UCL || v < d.LCL {
			i := d.Index[j]
			viol := Violation{Rule: r, Index: i, Points: pts(i)}
			if pl.times != nil {
				viol.Time = &pl.times[i]
			}
			d.Violations = append(d.Violations, viol)
		}
	}
}

func ewma(pl *plan, x []float64, mu, sigma float64, res *Result) []Violation {
	lam, l := pl.lambda, pl.l
	mode := "exact"
	if pl.asymptotic {
		mode = "asymptotic"
	}
	res.Params = Params{Lambda: ptr(lam), L: ptr(l), EWMALimits: mode}
	res.Target = ptr(mu)
	p := &res.Points
	p.Observation = append([]float64(nil), x...)
	var out []Violation
	z := mu
	for i, xi := range x {
		z = lam*xi + (1-lam)*z
		grow := 1.0
		if !pl.asymptotic {
			grow = 1 - math.Pow(1-lam, float64(2*(i+1)))
		}
		s := sigma * math.Sqrt(lam/(2-lam)*grow)
		p.Value[i], p.Center[i], p.Sigma[i] = z, mu, s
		p.UCL[i], p.LCL[i] = mu+l*s, mu-l*s
		if z > p.UCL[i] || z < p.LCL[i] {
			out = append(out, pl.violation(EWMALimit, i, []int{i}))
			p.Violations[i] |= bEWMA
		}
	}
	return out
}

// cusum is the tabular CUSUM; the run counters give the points since each
// sum last left zero (Montgomery's N+ and N-).
func cusum(pl *plan, x []float64, mu, sigma float64, res *Result) []Violation {
	res.Params = Params{K: ptr(pl.k), H: ptr(pl.h)}
	res.Target = ptr(mu)
	kk, hh := pl.k*sigma, pl.h*sigma
	p := &res.Points
	m := len(x)
	p.Observation = append([]float64(nil), x...)
	p.CPlus, p.CMinus = make([]float64, m), make([]float64, m)
	var out []Violation
	cp, cm, np, nm := 0.0, 0.0, 0, 0
	for i, xi := range x {
		cp = math.Max(0, cp+(xi-mu-kk))
		cm = math.Max(0, cm+(mu-kk-xi))
		np, nm = runLen(cp, np), runLen(cm, nm)
		p.Value[i], p.CPlus[i], p.CMinus[i] = cp, cp, cm
		p.Center[i], p.UCL[i], p.LCL[i], p.Sigma[i] = 0, hh, -hh, sigma
		if cp > hh {
			out = append(out, pl.violation(CUSUMUpper, i, span(i, np)))
			p.Violations[i] |= bCUp
		}
		if cm > hh {
			out = append(out, pl.violation(CUSUMLower, i, span(i, nm)))
			p.Violations[i] |= bCLo
		}
	}
	return out
}

func runLen(c float64, n int) int {
	if c > 0 {
		return n + 1
	}
	return 0
}

func (pl *plan) violation(r Rule, i int, pts []int) Violation {
	v := Violation{Rule: r, Index: i, Points: pts}
	if pl.times != nil {
		v.Time = &pl.times[i]
	}
	return v
}
