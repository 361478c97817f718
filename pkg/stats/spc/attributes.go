package spc

import "math"

// attributes computes p, np, u and c charts. Limits vary with n for p and u.
func attributes(pl *plan, x, sizes []float64, res *Result) {
	f, p := pl.frozen, &res.Points
	if sizes != nil {
		p.N = append([]float64(nil), sizes...)
	}
	for i, v := range x {
		if pl.chart == P || pl.chart == U {
			v /= sizes[i]
		}
		p.Value[i] = v
	}
	if f.UCL != nil {
		fillFrozen(p, f)
		return
	}
	// rate over the baseline: total count / total size
	rate := func() float64 {
		num, den := 0.0, 0.0
		for i := pl.first; i <= pl.last; i++ {
			num += x[i]
			den += sizes[i]
		}
		return num / den
	}
	inf := math.Inf(1)
	switch pl.chart {
	case P:
		pbar := 0.0
		if f.Center != nil {
			pbar = *f.Center
		} else {
			pbar = rate()
		}
		for i, n := range sizes {
			p.Sigma[i] = math.Sqrt(pbar * (1 - pbar) / n)
		}
		fill(p, pbar, 0, p.Sigma, 0, 1)
	case NP:
		n := sizes[0]
		var pbar, center float64
		if f.Center != nil {
			center = *f.Center
			pbar = center / n
		} else {
			pbar = rate()
			center = n * pbar
		}
		s := math.Sqrt(n * pbar * (1 - pbar))
		fill(p, center, s, nil, 0, n)
	case U:
		ubar := 0.0
		if f.Center != nil {
			ubar = *f.Center
		} else {
			ubar = rate()
		}
		for i, n := range sizes {
			p.Sigma[i] = math.Sqrt(ubar / n)
		}
		fill(p, ubar, 0, p.Sigma, 0, inf)
	case C:
		cbar := 0.0
		if f.Center != nil {
			cbar = *f.Center
		} else {
			cbar = mean(x[pl.first : pl.last+1])
		}
		s := math.Sqrt(cbar)
		fill(p, cbar, s, nil, 0, inf)
	}
}
