package drift

// ksExactSF returns the exact two-sided p-value P(D >= h/lcm(n1,n2)) of the
// two-sample KS statistic under the null hypothesis, for h >= 1.
//
// Under the null every interleaving of the two samples is equally likely:
// a monotone lattice path from (0,0) to (m,n). D >= h/lcm exactly when the
// path touches a point with |i*n/g - j*m/g| >= h (g = gcd). We carry, column
// by column, V(i,j) = the probability that a random path to (i,j) has
// already touched such a point: V = 1 on touching points and otherwise
//
//	V(i,j) = (i*V(i-1,j) + j*V(i,j-1)) / (i+j),
//
// since i/(i+j) of the paths into (i,j) come from the left. Carrying the
// tail probability itself (Hodges' inside method rearranged as in Viehmann,
// arXiv:2102.08037) keeps tiny p-values accurate: every step is a convex
// combination of nonnegative numbers. Time O(m * band), memory O(n).
func ksExactSF(n1, n2, h int64) float64 {
	m, n := max(n1, n2), min(n1, n2)
	g := gcd(m, n)
	mg, ng := m/g, n/g
	// Column i keeps j in [lo, hi], the points with |ng*i - mg*j| < h.
	lo := func(i int64) int64 { return max(floorDiv(ng*i-h, mg)+1, 0) }
	hi := func(i int64) int64 { return min(ceilDiv(ng*i+h, mg)-1, n) }

	col := make([]float64, n+1)
	plo, phi := lo(0), hi(0)
	// Column 0 inside the band is reached straight up from the origin.
	for j := plo; j <= phi; j++ {
		col[j] = 0
	}
	for i := int64(1); i <= m; i++ {
		clo, chi := lo(i), hi(i)
		if clo > chi {
			return 1
		}
		fi := float64(i)
		for j := clo; j <= chi; j++ {
			left := 1.0
			if j >= plo && j <= phi {
				left = col[j]
			}
			below := 1.0
			if j == 0 || j-1 >= clo {
				below = 0
				if j > 0 {
					below = col[j-1]
				}
			}
			fj := float64(j)
			col[j] = (fi*left + fj*below) / (fi + fj)
		}
		plo, phi = clo, chi
	}
	return clip01(col[n])
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// floorDiv and ceilDiv round toward -Inf and +Inf (Go's / truncates); b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}
