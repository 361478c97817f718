package drift

import "math"

// This file computes scipy.stats.kstwo.sf(x, n): the survival function of
// the one-sample two-sided Kolmogorov-Smirnov statistic D_n, which scipy's
// ks_2samp 'asymp' mode evaluates at n = round(n1*n2/(n1+n2)).
//
// scipy picks a formula per region of (n, n*x^2) following Simard and
// L'Ecuyer (2011); some regions use approximations (Pelz-Good, 2*Smirnov,
// Miller, a hard zero). To agree with scipy to 1e-9 we take the same region
// boundaries and the same approximations, and compute the exact quantities
// (the Kolmogorov CDF, the one-sided Smirnov tail) with our own accurate
// routines: Marsaglia-Tsang-Wang's matrix power for the CDF, and a
// log-space sum with Stirling-corrected binomials for Smirnov.

const (
	lnSqrt2Pi = 0.91893853320467274178032973640561763986139747 // ln(sqrt(2*pi))
	sqrt2Pi   = 2.50662827463100050241576528481104525300698674
	// cephesMinLog is ln(2^-1075), below which scipy's smirnov returns 0.
	cephesMinLog = -745.1332191019412076235
	// smirnovMaxN: above it scipy approximates smirnov(n, x) (Miller).
	smirnovMaxN = 1000000
)

// kstwoSF returns P(D_n >= x).
func kstwoSF(n int, x float64) float64 {
	switch {
	case n < 1 || math.IsNaN(x):
		return math.NaN()
	case x >= 1:
		return 0
	case x <= 0:
		return 1
	}
	nf := float64(n)
	t := nf * x
	if t <= 1 { // Ruben-Gambino: exact for 1/(2n) <= x <= 1/n
		if t <= 0.5 {
			return 1
		}
		return clip01(1 - math.Exp(logFactorialOverPower(n)+nf*math.Log(2*t-1)))
	}
	if t >= nf-1 { // Ruben-Gambino: exact for x >= 1 - 1/n
		return clip01(2 * math.Pow(1-x, nf))
	}
	if x >= 0.5 { // the two one-sided events cannot both happen: exact
		return clip01(2 * smirnovSF(n, x))
	}
	nx2 := t * x
	if n <= 140 {
		if nx2 <= 4 { // scipy: Durbin matrix or Pomeranz, both exact
			return clip01(1 - kolmogorovCDF(n, x))
		}
		return clip01(2 * smirnovSF(n, x)) // scipy's approximation
	}
	switch {
	case nx2 >= 370:
		return 0
	case nx2 >= 2.2:
		return clip01(2 * smirnovSF(n, x))
	case n <= 100000 && nf*math.Pow(x, 1.5) <= 1.4:
		return clip01(1 - kolmogorovCDF(n, x))
	default:
		return clip01(1 - pelzGoodCDF(n, x))
	}
}

// smirnovSF returns P(D+_n >= x), the one-sided statistic's tail
// (scipy.special.smirnov), with scipy's shortcuts for extreme arguments.
func smirnovSF(n int, x float64) float64 {
	switch {
	case n < 1 || math.IsNaN(x) || x < 0 || x > 1:
		return math.NaN()
	case n == 1:
		return 1 - x
	case x == 0:
		return 1
	case x == 1:
		return 0
	}
	nf := float64(n)
	nxFloor, nxInteger := floorProduct(n, x)
	if nxFloor == 0 || (nxFloor == 1 && nxInteger) { // x <= 1/n: closed form
		return clip01(1 - x*math.Exp((nf-1)*math.Log1p(x)))
	}
	if -2*nf*x*x < cephesMinLog {
		return 0
	}
	if nxFloor >= n-1 { // x >= 1 - 1/n: only the v=0 term is left
		return math.Pow(1-x, nf)
	}
	if n > smirnovMaxN {
		// scipy's approximation for huge n: p ~ exp(-(6nx+1)^2 / 18n)
		t := 6*nf*x + 1
		logp := -(t * t) / 18 / nf
		if logp < -math.Ln2 {
			return math.Exp(logp)
		}
		return 1 + math.Expm1(logp)
	}
	return clip01(smirnovSum(n, x, n-nxFloor-1))
}

// smirnovSum evaluates the Birnbaum-Tingey sum
//
//	P(D+_n >= x) = x * sum_{v=0}^{vmax} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v)
//
// Every term is positive, so there is no cancellation; each term is formed
// in log space with the large n*log(n) parts cancelled analytically and
// Stirling's corrections for the factorials (Loader's approach for binomial
// probabilities), which keeps the relative error near 1e-12 up to n = 1e6.
func smirnovSum(n int, x float64, vmax int) float64 {
	nf := float64(n)
	a := nf * x
	var s kahan
	s.add(math.Exp(nf * math.Log1p(-x))) // v = 0: (1-x)^n
	dn := stirlerr(nf)
	prev := math.Inf(1)
	for v := 1; v <= vmax; v++ {
		vf := float64(v)
		r := nf - vf // >= 1
		rest := r - a
		if rest <= 0 {
			break
		}
		var lr float64 // ln((r - a)/r)
		if a/r <= 0.5 {
			lr = math.Log1p(-a / r)
		} else {
			lr = math.Log(rest / r)
		}
		e := vf*math.Log1p(a/vf) + r*lr + dn - stirlerr(vf) - stirlerr(r)
		term := a / (a + vf) * math.Sqrt(nf/(2*math.Pi*vf*r)) * math.Exp(e)
		s.add(term)
		// Past the mode the terms fall off quickly; stop once they no
		// longer move the sum.
		if term < prev && term < s.sum()*0x1p-64 {
			break
		}
		prev = term
	}
	return s.sum()
}

// stirlerr(k) = ln(k!) - (k+1/2)ln(k) + k - ln(sqrt(2*pi)), the error of
// Stirling's formula, for k >= 1.
func stirlerr(k float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if k <= 15 {
		lg, _ := math.Lgamma(k + 1)
		return lg - (k+0.5)*math.Log(k) + k - lnSqrt2Pi
	}
	kk := k * k
	switch {
	case k > 500:
		return (s0 - s1/kk) / k
	case k > 80:
		return (s0 - (s1-s2/kk)/kk) / k
	case k > 35:
		return (s0 - (s1-(s2-s3/kk)/kk)/kk) / k
	default:
		return (s0 - (s1-(s2-(s3-s4/kk)/kk)/kk)/kk) / k
	}
}

// logFactorialOverPower returns ln(n!/n^n) = -n + ln(sqrt(2*pi*n)) + stirlerr(n).
func logFactorialOverPower(n int) float64 {
	nf := float64(n)
	return -nf + 0.5*math.Log(nf) + lnSqrt2Pi + stirlerr(nf)
}

// floorProduct returns floor(n*x) of the exact product and whether the
// exact product is an integer; the fused multiply-add exposes the rounding.
func floorProduct(n int, x float64) (int, bool) {
	nf := float64(n)
	p := nf * x
	rounding := math.FMA(nf, x, -p) // exact n*x = p + rounding
	f := math.Floor(p)
	if f == p {
		if rounding < 0 {
			return int(f) - 1, false
		}
		return int(f), rounding == 0
	}
	return int(f), false
}

// kolmogorovCDF returns P(D_n < d) exactly by the Durbin matrix method as
// arranged by Marsaglia, Tsang and Wang (2003): with k = ceil(n*d),
// h = k - n*d and m = 2k-1, P = n!/n^n * (H^n)[k-1][k-1]. H is nonnegative,
// so the power loses no precision to cancellation; powers of two keep it in
// range. Time O(m^3 log n), memory O(m^2), m ~ 2*n*d.
func kolmogorovCDF(n int, d float64) float64 {
	nd := float64(n) * d
	if d >= 1 {
		return 1
	}
	if nd <= 0.5 {
		return 0
	}
	k := int(math.Ceil(nd))
	h := float64(k) - nd
	m := 2*k - 1
	invFact := make([]float64, m+1) // 1/j!
	invFact[0] = 1
	for j := 1; j <= m; j++ {
		invFact[j] = invFact[j-1] / float64(j)
	}
	hm := newMatrix(m)
	for j := 1; j < m; j++ { // band: H[i][j] = 1/(i-j+1)! for i >= j-1
		for i := j - 1; i < m-1; i++ {
			hm.set(i, j, invFact[i-j+1])
		}
	}
	for j := 1; j <= m; j++ { // first column and last row: (1 - h^j)/j!
		c := (1 - math.Pow(h, float64(j))) * invFact[j]
		hm.set(j-1, 0, c)
		hm.set(m-1, m-j, c)
	}
	corner := 1 - 2*math.Pow(h, float64(m))
	if 2*h-1 > 0 {
		corner += math.Pow(2*h-1, float64(m))
	}
	hm.set(m-1, 0, corner*invFact[m])
	pw := hm.power(n)
	p := pw.at(k-1, k-1)
	exp := pw.exp
	nf := float64(n)
	for i := 1; i <= n; i++ { // multiply by n!/n^n, rescaling as it shrinks
		p = float64(i) * p / nf
		if p < 0x1p-128 {
			p *= 0x1p128
			exp -= 128
		}
	}
	return clip01(math.Ldexp(p, exp))
}

// pelzGoodCDF is the Pelz-Good (1976) asymptotic approximation of
// P(D_n <= x), the Li-Chien/Korolyuk expansion in 1/sqrt(n) rewritten with
// Jacobi theta functions for small z = x*sqrt(n). scipy uses it for large n
// and small n*x^2; we reproduce the same truncated expansion.
func pelzGoodCDF(n int, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	const (
		pi2 = math.Pi * math.Pi
		pi4 = pi2 * pi2
		pi6 = pi4 * pi2
	)
	nf := float64(n)
	z := math.Sqrt(nf) * x
	z2 := z * z
	z3, z4, z6 := z2*z, z2*z2, z2*z2*z2
	qlog := -pi2 / 8 / z2
	if qlog < -708 {
		return 0
	}
	q := math.Exp(qlog)
	maxk := int(math.Ceil(16 * z / math.Pi))
	// Sums over odd m = 2k-1 of c(m) * q^(m^2).
	var k0, k1, k2, k3 float64
	for k := 1; k <= maxk; k++ {
		m := float64(2*k - 1)
		m2 := m * m
		m4, m6 := m2*m2, m2*m2*m2
		w := math.Pow(q, m2)
		k0 += w
		k1 += w * (-z2 + pi2*m2/4)
		k2 += w * (6*z6 + 2*z4 + (2*z4-5*z2)*pi2/4*m2 + pi4*(1-2*z2)/16*m4)
		k3 += w * (-30*z6 - 90*z4*z4 + pi2*(135*z4-96*z6)/4*m2 + pi4*(-60*z2+212*z4)/16*m4 + pi6*(5-30*z2)/64*m6)
	}
	k0 *= sqrt2Pi / z
	k1 *= sqrt2Pi / (6 * z4)
	k2 *= sqrt2Pi / (72 * z4 * z3)
	k3 *= sqrt2Pi / (6480 * z4 * z6)
	// Sums over all k >= 1 of terms in q'^(k^2), q' = exp(-pi^2/(2 z^2)).
	qq := math.Exp(-pi2 / 2 / z2)
	var e2, e3 float64
	for k := 1; k <= maxk; k++ {
		kf := float64(k)
		k2f := kf * kf
		w := math.Pow(qq, k2f)
		e2 += k2f * w
		e3 += (3*z2 - pi2*k2f) * k2f * w
	}
	k2 += e2 * pi2 * sqrt2Pi / (-36 * z3)
	k3 += e3 * pi2 * sqrt2Pi / (216 * z6)
	sn := math.Sqrt(nf)
	return k0 + k1/sn + k2/nf + k3/(nf*sn)
}

func clip01(p float64) float64 {
	return min(max(p, 0), 1)
}

// kahan is a Neumaier compensated sum: long sums of mixed magnitudes keep
// their relative accuracy independent of the number of terms.
type kahan struct{ s, c float64 }

func (k *kahan) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

func (k *kahan) sum() float64 { return k.s + k.c }
