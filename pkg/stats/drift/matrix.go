package drift

import "math"

// matrix is a small dense square matrix whose true value is v * 2^exp; the
// exponent keeps high powers of the Durbin matrix inside float64 range
// without rounding (scaling by powers of two is exact).
type matrix struct {
	m   int
	v   []float64
	exp int
}

func newMatrix(m int) *matrix { return &matrix{m: m, v: make([]float64, m*m)} }

func (a *matrix) at(i, j int) float64     { return a.v[i*a.m+j] }
func (a *matrix) set(i, j int, x float64) { a.v[i*a.m+j] = x }

func identity(m int) *matrix {
	id := newMatrix(m)
	for i := 0; i < m; i++ {
		id.set(i, i, 1)
	}
	return id
}

// mul returns a*b, normalized so its largest entry is in [0.5, 1).
func (a *matrix) mul(b *matrix) *matrix {
	m := a.m
	c := newMatrix(m)
	for i := 0; i < m; i++ {
		row := c.v[i*m : (i+1)*m]
		for k := 0; k < m; k++ {
			aik := a.v[i*m+k]
			if aik == 0 {
				continue
			}
			bk := b.v[k*m : (k+1)*m]
			for j := range row {
				row[j] += aik * bk[j]
			}
		}
	}
	c.exp = a.exp + b.exp
	c.normalize()
	return c
}

func (a *matrix) normalize() {
	big := 0.0
	for _, x := range a.v {
		big = max(big, math.Abs(x))
	}
	if big == 0 || math.IsInf(big, 0) || math.IsNaN(big) {
		return
	}
	_, e := math.Frexp(big)
	if e == 0 {
		return
	}
	for i := range a.v {
		a.v[i] = math.Ldexp(a.v[i], -e)
	}
	a.exp += e
}

// power returns a^n by repeated squaring.
func (a *matrix) power(n int) *matrix {
	result := identity(a.m)
	base := a
	for n > 0 {
		if n&1 == 1 {
			result = result.mul(base)
		}
		n >>= 1
		if n > 0 {
			base = base.mul(base)
		}
	}
	return result
}
