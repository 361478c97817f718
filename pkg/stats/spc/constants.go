package spc

import "math"

// xmrD2 is the XmR divisor fixed by the product spec (sigma = MRbar/1.128,
// the textbook 2.66 = 3/1.128 factor), not the full-precision d2(2).
const xmrD2 = 1.128

// d2, d3 (mean and sd of the range of n standard normals, by numerical
// integration) and c4 (sqrt(2/(n-1)) Γ(n/2)/Γ((n-1)/2)) for n = 2..25, to full
// double precision, as written to testdata/spc/constants.json by
// scripts/golden/spc.py. constants_test.go re-derives them with gonum
// quadrature and math.Lgamma.
var d2d3c4 = [24][3]float64{
	{1.1283791670955123, 0.8525024664274219, 0.7978845608028655}, // n=2
	{1.692568750643269, 0.8883680040452033, 0.8862269254527579},  // n=3
	{2.0587507460079286, 0.8798082028249816, 0.9213177319235613}, // n=4
	{2.325928947281039, 0.8640819410995052, 0.9399856029866253},  // n=5
	{2.534412721222942, 0.848039686117496, 0.9515328619481445},   // n=6
	{2.7043567512138087, 0.8332053356222924, 0.959368788699833},  // n=7
	{2.8472006120905555, 0.8198314897919431, 0.9650304561473718}, // n=8
	{2.970026324418474, 0.8078342745533207, 0.9693106997139542},  // n=9
	{3.0775054616703454, 0.7970506735194107, 0.9726592741215883}, // n=10
	{3.1728727038160005, 0.7873146205503249, 0.9753500771452295}, // n=11
	{3.2584552797438264, 0.7784783412033794, 0.9775593518547718}, // n=12
	{3.335980354098255, 0.7704162020637495, 0.9794056043142172},  // n=13
	{3.4067631081999528, 0.7630230956247891, 0.9809714367555172}, // n=14
	{3.4718268898820748, 0.7562114297279429, 0.9823161771626508}, // n=15
	{3.531982786109576, 0.749908089409913, 0.9834835316158409},   // n=16
	{3.5878839617653817, 0.7440517839607277, 0.9845064054718305}, // n=17
	{3.640063757937444, 0.738590853378175, 0.9854100438080805},   // n=18
	{3.6889630232076493, 0.7334814955188649, 0.986214136860193},  // n=19
	{3.734950119596641, 0.7286863457073008, 0.9869342675246547},  // n=20
	{3.7783358298426206, 0.7241733407174957, 0.9875829288261566}, // n=21
	{3.8193846433628327, 0.7199148084342175, 0.9881702533158317}, // n=22
	{3.8583234232850065, 0.7158867354918129, 0.9887045452339996}, // n=23
	{3.8953481484513564, 0.7120681751479315, 0.9891926749585043}, // n=24
	{3.9306292195071135, 0.7084407658886488, 0.9896403755857051}, // n=25
}

// MinSubgroup and MaxSubgroup bound the subgroup sizes with constants.
const (
	MinSubgroup = 2
	MaxSubgroup = 25
)

// Const holds the control-chart constants for one subgroup size.
type Const struct {
	N                          int
	D2, D3, C4                 float64 // d2, d3, c4
	A2, A3, LD3, LD4, LB3, LB4 float64 // A2, A3, D3, D4, B3, B4
}

// Constants returns the constants for subgroup size n (2..25). The limit
// factors follow from d2, d3, c4: A2 = 3/(d2√n), A3 = 3/(c4√n),
// D3,D4 = 1 ∓ 3d3/d2, B3,B4 = 1 ∓ 3√(1-c4²)/c4, with D3 and B3 floored at 0.
func Constants(n int) (Const, bool) {
	if n < MinSubgroup || n > MaxSubgroup {
		return Const{}, false
	}
	t := d2d3c4[n-2]
	d2, d3, c4 := t[0], t[1], t[2]
	rn := math.Sqrt(float64(n))
	w := 3 * math.Sqrt(1-c4*c4) / c4
	return Const{
		N: n, D2: d2, D3: d3, C4: c4,
		A2: 3 / (d2 * rn), A3: 3 / (c4 * rn),
		LD3: math.Max(0, 1-3*d3/d2), LD4: 1 + 3*d3/d2,
		LB3: math.Max(0, 1-w), LB4: 1 + w,
	}, true
}
