package spc

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// phi is the standard normal CDF.
func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// integrate sums 20-point Gauss-Legendre over unit panels of [a, b].
func integrate(f func(float64) float64, a, b float64) float64 {
	s := 0.0
	for lo := a; lo < b; lo++ {
		s += quad.Fixed(f, lo, math.Min(lo+1, b), 20, quad.Legendre{}, 0)
	}
	return s
}

// rangeMoments re-derives d2 and d3 independently of the Python reference:
// E[R] = ∫ 1-Φ^n-(1-Φ)^n, E[R²] = 2∬_{s<t} 1-(1-Φ(s))^n-Φ(t)^n+(Φ(t)-Φ(s))^n.
func rangeMoments(n int) (d2, d3 float64) {
	fn := float64(n)
	const lim = 10.0
	d2 = integrate(func(x float64) float64 {
		return 1 - math.Pow(phi(x), fn) - math.Pow(phi(-x), fn)
	}, -lim, lim)
	er2 := 2 * integrate(func(t float64) float64 {
		ft := phi(t)
		return integrate(func(s float64) float64 {
			return 1 - math.Pow(phi(-s), fn) - math.Pow(ft, fn) + math.Pow(ft-phi(s), fn)
		}, -lim, t)
	}, -lim, lim)
	return d2, math.Sqrt(er2 - d2*d2)
}

func TestConstantsByQuadrature(t *testing.T) {
	worst := 0.0
	for n := MinSubgroup; n <= MaxSubgroup; n++ {
		k, _ := Constants(n)
		d2, d3 := rangeMoments(n)
		lg1, _ := math.Lgamma(float64(n) / 2)
		lg2, _ := math.Lgamma(float64(n-1) / 2)
		c4 := math.Sqrt(2/float64(n-1)) * math.Exp(lg1-lg2)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"d2", k.D2, d2}, {"d3", k.D3, d3}, {"c4", k.C4, c4}} {
			worst = math.Max(worst, math.Abs(c.got-c.want)/c.want)
			if math.Abs(c.got-c.want) > 1e-10*c.want {
				t.Errorf("%s(%d) = %.15g, quadrature/gamma gives %.15g", c.name, n, c.got, c.want)
			}
		}
	}
	t.Logf("largest relative difference from the table: %.2g", worst)
}

func TestConstantsMatchVectors(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(vectorDir, "constants.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		XmrD2 float64              `json:"xmrD2"`
		Table []map[string]float64 `json:"table"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.XmrD2 != xmrD2 || len(f.Table) != MaxSubgroup-MinSubgroup+1 {
		t.Fatalf("xmrD2 %v, %d rows", f.XmrD2, len(f.Table))
	}
	for _, row := range f.Table {
		k, ok := Constants(int(row["n"]))
		if !ok {
			t.Fatalf("no constants for n=%v", row["n"])
		}
		got := map[string]float64{"d2": k.D2, "d3": k.D3, "c4": k.C4, "A2": k.A2, "A3": k.A3,
			"D3": k.LD3, "D4": k.LD4, "B3": k.LB3, "B4": k.LB4}
		for name, g := range got {
			if w := row[name]; math.Abs(g-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("%s(%d) = %.17g, vectors say %.17g", name, k.N, g, w)
			}
		}
	}
}

// Spot checks against the printed table (Montgomery, Appendix VI).
func TestConstantsPublished(t *testing.T) {
	for _, c := range []struct {
		n                             int
		a2, a3, d3, d4, b3, b4, d2val float64
	}{
		{2, 1.880, 2.659, 0, 3.267, 0, 3.267, 1.128},
		{5, 0.577, 1.427, 0, 2.114, 0, 2.089, 2.326},
		{7, 0.419, 1.182, 0.076, 1.924, 0.118, 1.882, 2.704},
		{10, 0.308, 0.975, 0.223, 1.777, 0.284, 1.716, 3.078},
		{25, 0.153, 0.606, 0.459, 1.541, 0.565, 1.435, 3.931},
	} {
		k, _ := Constants(c.n)
		for _, p := range [][2]float64{{k.A2, c.a2}, {k.A3, c.a3}, {k.LD3, c.d3}, {k.LD4, c.d4}, {k.LB3, c.b3}, {k.LB4, c.b4}, {k.D2, c.d2val}} {
			if math.Abs(p[0]-p[1]) > 0.001 {
				t.Errorf("n=%d: %.5f vs published %.3f", c.n, p[0], p[1])
			}
		}
	}
	if _, ok := Constants(1); ok {
		t.Error("Constants(1) should not exist")
	}
	if _, ok := Constants(26); ok {
		t.Error("Constants(26) should not exist")
	}
}
