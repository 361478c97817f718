package drift

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func normals(seed uint64, n int, mean, sd float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = mean + sd*r.NormFloat64()
	}
	return xs
}

// every runs each slice-based method on the same input.
func every(ref, cur []float64) map[Method]func() (Result, error) {
	return map[Method]func() (Result, error){
		MethodPSI: func() (Result, error) { r, err := PSI(ref, cur, PSIOptions{}); return r.Result, err },
		MethodKS:  func() (Result, error) { r, err := KS(ref, cur, KSOptions{}); return r.Result, err },
		MethodWasserstein: func() (Result, error) {
			return Wasserstein(ref, cur, 0.5)
		},
		MethodWassersteinNormed: func() (Result, error) { return WassersteinNormed(ref, cur, 0) },
		MethodJSD:               func() (Result, error) { r, err := JSD(ref, cur, JSDOptions{}); return r.Result, err },
	}
}

func TestInputErrors(t *testing.T) {
	ok := normals(1, 50, 0, 1)
	tests := []struct {
		name     string
		ref, cur []float64
		want     error
		window   string
	}{
		{"empty current", ok, nil, ErrEmpty, "current window"},
		{"empty reference", []float64{}, ok, ErrEmpty, "reference window"},
		{"NaN in current", ok, []float64{1, math.NaN()}, ErrNonFinite, "current window, value 2"},
		{"Inf in reference", []float64{math.Inf(1), 2}, ok, ErrNonFinite, "reference window, value 1"},
		{"-Inf in current", ok, []float64{math.Inf(-1)}, ErrNonFinite, "current window, value 1"},
	}
	for _, tc := range tests {
		for m, run := range every(tc.ref, tc.cur) {
			t.Run(tc.name+"/"+string(m), func(t *testing.T) {
				_, err := run()
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.window) {
					t.Fatalf("err = %v, want %v naming %q", err, tc.want, tc.window)
				}
			})
		}
	}
}

func TestCategoricalInputErrors(t *testing.T) {
	if _, err := ChiSquare([]string{"a"}, nil, ChiSquareOptions{}); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "current") {
		t.Fatalf("empty current: %v", err)
	}
	if _, err := PSIFromCategoryCounts(map[string]int64{"a": -1, "b": 3}, map[string]int64{"a": 1}, PSIOptions{}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("negative count: %v", err)
	}
}

func TestIdenticalDistributionsDoNotDrift(t *testing.T) {
	xs := normals(2, 500, 5, 2)
	for m, run := range every(xs, slices.Clone(xs)) {
		t.Run(string(m), func(t *testing.T) {
			r, err := run()
			if err != nil {
				t.Fatal(err)
			}
			if r.Drifted || r.Statistic != 0 || r.Severity != SeverityNone {
				t.Fatalf("%+v", r)
			}
			if m == MethodKS && r.PValue != 1 {
				t.Fatalf("KS p = %v, want 1", r.PValue)
			}
		})
	}
	chi, err := ChiSquare([]string{"a", "b", "b", "c"}, []string{"c", "b", "a", "b"}, ChiSquareOptions{})
	if err != nil || chi.Statistic != 0 || chi.PValue != 1 || chi.Drifted {
		t.Fatalf("chi-square identical: %+v %v", chi, err)
	}
}

func TestShiftDrifts(t *testing.T) {
	ref, cur := normals(3, 2000, 0, 1), normals(4, 2000, 1, 1)
	for m, run := range every(ref, cur) {
		t.Run(string(m), func(t *testing.T) {
			r, err := run()
			if err != nil {
				t.Fatal(err)
			}
			if !r.Drifted || r.Severity != SeveritySignificant {
				t.Fatalf("a one-sd shift should drift: %+v", r)
			}
		})
	}
}

func TestConstantReference(t *testing.T) {
	ref := slices.Repeat([]float64{3}, 40)
	t.Run("psi collapses its bins and says so", func(t *testing.T) {
		r, err := PSI(ref, []float64{3, 3, 3}, PSIOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Cuts) != 1 || r.Cuts[0] != 3 || r.Statistic != 0 || len(r.Notes) != 1 ||
			!strings.Contains(r.Notes[0], "8 of 10") {
			t.Fatalf("%+v", r)
		}
		moved, err := PSI(ref, []float64{2.9, 3, 3.1}, PSIOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !moved.Drifted {
			t.Fatalf("values below a constant reference should drift: %+v", moved)
		}
	})
	tests := []struct {
		name    string
		cur     []float64
		want    float64
		drifted bool
	}{
		{"same constant: 0", []float64{3, 3}, 0, false},
		{"anything else: +Inf", []float64{3, 3.001}, math.Inf(1), true},
	}
	for _, tc := range tests {
		t.Run("wasserstein-normed "+tc.name, func(t *testing.T) {
			r, err := WassersteinNormed(ref, tc.cur, 0)
			if err != nil {
				t.Fatal(err)
			}
			if r.Statistic != tc.want || r.Drifted != tc.drifted || len(r.Notes) == 0 {
				t.Fatalf("%+v", r)
			}
		})
	}
}

func TestPSISeverityBands(t *testing.T) {
	ref := []int64{500, 500}
	tests := []struct {
		cur  []int64
		want Severity
	}{
		{[]int64{500, 500}, SeverityNone},
		{[]int64{420, 580}, SeverityNone},        // 0.0258
		{[]int64{350, 650}, SeverityNone},        // 0.0929
		{[]int64{330, 670}, SeverityModerate},    // 0.1204
		{[]int64{280, 720}, SeveritySignificant}, // 0.2078
	}
	for _, tc := range tests {
		r, err := PSIFromCounts(ref, tc.cur, PSIOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Independent formula: (c-r) ln(c/r) summed.
		want := 0.0
		for k := range ref {
			p, q := float64(ref[k])/1000, float64(tc.cur[k])/1000
			want += (q - p) * math.Log(q/p)
		}
		if math.Abs(r.Statistic-want) > 1e-15 {
			t.Fatalf("psi %v, want %v", r.Statistic, want)
		}
		if r.Severity != tc.want || r.Drifted != (tc.want == SeveritySignificant) {
			t.Fatalf("psi %.4f: severity %s drifted %v", r.Statistic, r.Severity, r.Drifted)
		}
	}
}

func TestPSIEmptyBinEpsilon(t *testing.T) {
	r, err := PSIFromCounts([]int64{10, 0}, []int64{5, 5}, PSIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := (0.5-1)*math.Log(0.5/1) + (0.5-1e-4)*math.Log(0.5/1e-4)
	if math.Abs(r.Statistic-want) > 1e-12 {
		t.Fatalf("psi %v, want %v", r.Statistic, want)
	}
	custom, _ := PSIFromCounts([]int64{10, 0}, []int64{5, 5}, PSIOptions{Epsilon: 1e-6})
	if custom.Statistic <= r.Statistic {
		t.Fatalf("a smaller epsilon must weigh an empty bin more: %v vs %v", custom.Statistic, r.Statistic)
	}
}

func TestPSIOptions(t *testing.T) {
	r, _ := PSIFromCounts([]int64{500, 500}, []int64{330, 670}, PSIOptions{Threshold: 0.05})
	if !r.Drifted || r.Threshold != 0.05 {
		t.Fatalf("custom threshold: %+v", r)
	}
	if _, err := PSIFromCounts([]int64{1}, []int64{1, 2}, PSIOptions{}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("mismatched bins: %v", err)
	}
	if _, err := PSI([]float64{1, 2}, []float64{1}, PSIOptions{Bins: 1}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("one bin: %v", err)
	}
}

func TestNewCategoryCounts(t *testing.T) {
	ref := slices.Concat(slices.Repeat([]string{"a"}, 50), slices.Repeat([]string{"b"}, 50))
	cur := slices.Concat(slices.Repeat([]string{"a"}, 40), slices.Repeat([]string{"b"}, 40), slices.Repeat([]string{"new"}, 20))
	chi, err := ChiSquare(ref, cur, ChiSquareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(chi.Categories, []string{"a", "b", "new"}) || chi.DOF != 2 || !chi.Drifted {
		t.Fatalf("%+v", chi)
	}
	// Hand-computed: expected for "new" is 100*20/200 = 10 per row.
	want := 2*(10.0*10.0/10) + 4*(5.0*5.0/45)
	if math.Abs(chi.Statistic-want) > 1e-12 {
		t.Fatalf("chi2 %v, want %v", chi.Statistic, want)
	}
	psi, _ := PSICategories(ref, cur, PSIOptions{})
	if !psi.Drifted {
		t.Fatalf("a 20%% new category should drift PSI: %+v", psi)
	}
}

func TestYatesOnlyWithOneDegreeOfFreedom(t *testing.T) {
	ref := map[string]int64{"yes": 30, "no": 10}
	cur := map[string]int64{"yes": 20, "no": 20}
	with, _ := ChiSquareFromCounts(ref, cur, ChiSquareOptions{})
	without, _ := ChiSquareFromCounts(ref, cur, ChiSquareOptions{NoYates: true})
	// 2x2: expected 25/15 per row; |o-e| = 5, corrected to 4.5.
	wantWith := 2 * (4.5*4.5/25 + 4.5*4.5/15)
	wantWithout := 2 * (25.0/25 + 25.0/15)
	if math.Abs(with.Statistic-wantWith) > 1e-12 || math.Abs(without.Statistic-wantWithout) > 1e-12 {
		t.Fatalf("with %v want %v; without %v want %v", with.Statistic, wantWith, without.Statistic, wantWithout)
	}
	if len(with.Notes) == 0 || len(without.Notes) != 0 {
		t.Fatalf("notes: %q / %q", with.Notes, without.Notes)
	}
}

func TestKSExactByHand(t *testing.T) {
	tests := []struct {
		name     string
		ref, cur []float64
		d, p     float64
	}{
		// Separated samples of 2 and 2: 2 of the C(4,2)=6 interleavings reach D=1.
		{"separated 2x2", []float64{1, 2}, []float64{3, 4}, 1, 2.0 / 6},
		// 1 vs 2: D=1 for the orders x<y<y and y<y<x: 2 of 3.
		{"one vs two", []float64{0}, []float64{1, 2}, 1, 2.0 / 3},
		// Interleaved 3x3 (x y x y x y): D = 1/3; every path has D >= 1/3.
		{"interleaved", []float64{1, 3, 5}, []float64{2, 4, 6}, 1.0 / 3, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := KS(tc.ref, tc.cur, KSOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Mode != KSExact || math.Abs(r.Statistic-tc.d) > 1e-15 || math.Abs(r.PValue-tc.p) > 1e-15 {
				t.Fatalf("got D=%v p=%v mode %s, want D=%v p=%v", r.Statistic, r.PValue, r.Mode, tc.d, tc.p)
			}
		})
	}
}

func TestKSAutoSwitchesAtScipyLimit(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want KSMode
	}{{KSMaxAutoExactN, KSExact}, {KSMaxAutoExactN + 1, KSAsymp}} {
		ref := normals(5, tc.n, 0, 1)
		cur := normals(6, 50, 0, 1)
		r, err := KS(ref, cur, KSOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Mode != tc.want {
			t.Fatalf("n=%d: mode %s, want %s", tc.n, r.Mode, tc.want)
		}
	}
}

func TestKSExactFallsBackForHugeLCM(t *testing.T) {
	// lcm(50000, 49999) is about 2.5e9, past int32: scipy switches to asymp.
	ref, cur := normals(7, 50000, 0, 1), normals(8, 49999, 0, 1)
	r, err := KS(ref, cur, KSOptions{Mode: KSExact})
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != KSAsymp || !strings.Contains(strings.Join(r.Notes, ";"), "impossible") {
		t.Fatalf("%+v", r)
	}
}

func TestKSBadMode(t *testing.T) {
	if _, err := KS([]float64{1}, []float64{2}, KSOptions{Mode: "fast"}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("err = %v", err)
	}
}

func TestStreamingMatchesSlices(t *testing.T) {
	ref, cur := normals(9, 3000, 0, 1), normals(10, 2500, 0.2, 1.3)
	sr, sc := slices.Sorted(slices.Values(ref)), slices.Sorted(slices.Values(cur))

	ks1, _ := KS(ref, cur, KSOptions{})
	ks2, err := KSSorted(FromSlice(sr), len(sr), FromSlice(sc), len(sc), KSOptions{})
	if err != nil || ks1.Statistic != ks2.Statistic || ks1.PValue != ks2.PValue {
		t.Fatalf("ks %+v vs %+v (%v)", ks1, ks2, err)
	}
	w1, _ := WassersteinOf(ref, cur)
	w2, err := WassersteinSorted(FromSlice(sr), len(sr), FromSlice(sc), len(sc))
	if err != nil || w1 != w2 {
		t.Fatalf("wasserstein %+v vs %+v (%v)", w1, w2, err)
	}
	edges, err := QuantileEdges(FromSlice(sr), len(sr), 10)
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := CountBins("reference", edges.Cuts, FromSlice(ref))
	cc, _ := CountBins("current", edges.Cuts, FromSlice(cur))
	p1, _ := PSI(ref, cur, PSIOptions{})
	p2, err := PSIFromCounts(rc, cc, PSIOptions{})
	if err != nil || p1.Statistic != p2.Statistic {
		t.Fatalf("psi %v vs %v (%v)", p1.Statistic, p2.Statistic, err)
	}
}

func TestStreamErrors(t *testing.T) {
	good := FromSlice([]float64{1, 2, 3})
	tests := []struct {
		name string
		ref  Stream
		nRef int
		want error
	}{
		{"unsorted", FromSlice([]float64{1, 3, 2}), 3, ErrUnsorted},
		{"short", FromSlice([]float64{1, 2}), 3, ErrCount},
		{"long", FromSlice([]float64{1, 2, 3, 4}), 3, ErrCount},
		{"NaN", FromSlice([]float64{1, math.NaN(), 3}), 3, ErrNonFinite},
		{"zero count", FromSlice(nil), 0, ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := KSSorted(tc.ref, tc.nRef, good, 3, KSOptions{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "reference window") {
				t.Fatalf("ks: %v", err)
			}
		})
		good = FromSlice([]float64{1, 2, 3})
	}
	if _, err := WassersteinSorted(FromSlice([]float64{1}), 1, FromSlice([]float64{2, 1}), 2); !errors.Is(err, ErrUnsorted) ||
		!strings.Contains(err.Error(), "current window, value 2") {
		t.Fatalf("wasserstein current unsorted: %v", err)
	}
	if _, err := QuantileEdges(FromSlice([]float64{2, 1}), 2, 4); !errors.Is(err, ErrUnsorted) {
		t.Fatalf("quantile edges: %v", err)
	}
}

// failingStream yields one chunk, then a store error.
type failingStream struct{ sent bool }

var errCursor = errors.New("cursor closed")

func (f *failingStream) Next() ([]float64, error) {
	if f.sent {
		return nil, errCursor
	}
	f.sent = true
	return []float64{1, 2}, nil
}

func TestStreamReadErrorsPropagate(t *testing.T) {
	_, err := KSSorted(&failingStream{}, 5, FromSlice([]float64{1, 2}), 2, KSOptions{})
	if !errors.Is(err, errCursor) || !strings.Contains(err.Error(), "reference window") {
		t.Fatalf("ks: %v", err)
	}
	if _, err := CountBins("current", []float64{1}, &failingStream{}); !errors.Is(err, errCursor) {
		t.Fatalf("count bins: %v", err)
	}
}

func TestFromFuncMatchesSlice(t *testing.T) {
	// Longer than a chunk, with ties across the chunk boundary.
	xs := make([]float64, 3*chunkLen+17)
	for i := range xs {
		xs[i] = float64(i / 7)
	}
	i := 0
	next := func() (float64, bool) {
		if i == len(xs) {
			return 0, false
		}
		i++
		return xs[i-1], true
	}
	cur := []float64{0.5, 100, 100, 2000.5}
	a, err := WassersteinSorted(FromFunc(next), len(xs), FromSlice(cur), len(cur))
	if err != nil {
		t.Fatal(err)
	}
	b, err := WassersteinOf(xs, cur)
	if err != nil || a != b {
		t.Fatalf("%+v vs %+v (%v)", a, b, err)
	}
	k1, _ := KS(xs, cur, KSOptions{Mode: KSAsymp})
	k2, err := KSSorted(FromSlice(xs), len(xs), FromSlice(cur), len(cur), KSOptions{Mode: KSAsymp})
	if err != nil || k1.Statistic != k2.Statistic {
		t.Fatalf("%v vs %v (%v)", k1.Statistic, k2.Statistic, err)
	}
	e, err := QuantileEdges(FromSlice(xs), len(xs), 10)
	if err != nil {
		t.Fatal(err)
	}
	if e.Bins() != 10 || e.Cuts[0] != float64((len(xs)-1)/10/7) {
		t.Fatalf("%+v", e)
	}
}

func TestCheckCuts(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		in   []float64
		want []float64
		err  bool
	}{
		{[]float64{1, 2, 3}, []float64{1, 2, 3}, false},
		{[]float64{-inf, 1, 2, inf}, []float64{1, 2}, false},
		{[]float64{2, 1}, nil, true},
		{[]float64{1, 1}, nil, true},
		{[]float64{1, math.NaN()}, nil, true},
		{[]float64{-inf, inf}, nil, true},
	}
	for _, tc := range tests {
		got, err := CheckCuts(tc.in)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("CheckCuts(%v) = %v, %v", tc.in, got, err)
		}
	}
}

func TestHistogramBinsAreLeftClosed(t *testing.T) {
	for _, n := range []int{3, 40} { // linear scan and binary search
		cuts := make([]float64, n)
		for i := range cuts {
			cuts[i] = float64(i)
		}
		h := NewHistogram(cuts)
		for _, x := range []float64{-1, 0, 0.5, 1, float64(n - 1), 1e9} {
			if err := h.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		c := h.Counts()
		// -1 -> bin 0; 0 and 0.5 -> bin 1; 1 -> bin 2; n-1 and 1e9 -> bin n.
		if c[0] != 1 || c[1] != 2 || c[2] != 1 || c[n] != 2 || h.N() != 6 {
			t.Fatalf("n=%d counts %v", n, c)
		}
	}
}

func TestCountBinsSortedAndShuffledAgree(t *testing.T) {
	// Ties on the cuts and across chunk boundaries; both code paths.
	xs := make([]float64, 2*chunkLen+100)
	for i := range xs {
		xs[i] = float64(i%50) / 5
	}
	for _, cuts := range [][]float64{{1, 2, 2.5, 7}, make([]float64, 30)} {
		if cuts[1] == 0 {
			for i := range cuts {
				cuts[i] = float64(i) / 3
			}
		}
		shuffled, err := CountBins("current", cuts, FromSlice(xs))
		if err != nil {
			t.Fatal(err)
		}
		sorted, err := CountBins("current", cuts, FromSlice(slices.Sorted(slices.Values(xs))))
		if err != nil {
			t.Fatal(err)
		}
		h := NewHistogram(cuts)
		for _, x := range xs {
			_ = h.Add(x)
		}
		if !slices.Equal(shuffled, sorted) || !slices.Equal(sorted, h.Counts()) {
			t.Fatalf("cuts %v: shuffled %v sorted %v one-by-one %v", cuts, shuffled, sorted, h.Counts())
		}
	}
}

func TestJSDBounds(t *testing.T) {
	r, err := JSDFromCounts([]int64{10, 0}, []int64{0, 10}, JSDOptions{})
	if err != nil || math.Abs(r.Statistic-1) > 1e-15 {
		t.Fatalf("disjoint support in base 2 is 1: %+v %v", r, err)
	}
	if _, err := JSDFromCounts([]int64{1}, []int64{1}, JSDOptions{Base: 1}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("base 1: %v", err)
	}
}

func TestWassersteinRawNeedsThreshold(t *testing.T) {
	r, err := Wasserstein([]float64{0, 1}, []float64{5, 6}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Statistic != 5 || r.Drifted || !math.IsNaN(r.Threshold) || r.HasPValue() {
		t.Fatalf("%+v", r)
	}
	r, _ = Wasserstein([]float64{0, 1}, []float64{5, 6}, 2)
	if !r.Drifted {
		t.Fatalf("%+v", r)
	}
}
