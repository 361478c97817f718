package impact

import (
	"slices"
	"testing"
)

func TestResampleMedianMatchesSortedResample(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 7, 10, 90} {
		sorted := make([]float64, n)
		for i := range sorted {
			sorted[i] = float64(i*i) / 3 // distinct, uneven gaps
		}
		a, b := newIndexDrawer(42), newIndexDrawer(42)
		counts := make([]int32, n)
		for range 200 {
			got := resampleMedian(a, sorted, counts)
			drawn := make([]float64, n)
			for i := range drawn {
				drawn[i] = sorted[b.intN(uint32(n))]
			}
			slices.Sort(drawn)
			if want := quantileSorted(drawn, 0.5); got != want {
				t.Fatalf("n=%d: counting median %v, sorted resample median %v", n, got, want)
			}
		}
	}
}

func TestBootstrapMedianDiff(t *testing.T) {
	before := []float64{10, 12, 11, 13, 12, 14, 10, 11, 12, 13, 12, 11}
	after := []float64{8, 9, 7, 9, 8, 10, 9, 8, 7, 9, 8, 9}
	tests := []struct {
		name    string
		before  []float64
		after   []float64
		seed    uint64
		n       int
		wantErr bool
	}{
		{name: "shifted down", before: before, after: after, seed: 1, n: 2000},
		{name: "other seed", before: before, after: after, seed: 2, n: 2000},
		{name: "identical constant", before: []float64{5, 5, 5}, after: []float64{5, 5}, seed: 1, n: 500},
		{name: "empty side", before: nil, after: after, seed: 1, n: 500, wantErr: true},
		{name: "too few resamples", before: before, after: after, seed: 1, n: 10, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BootstrapMedianDiff(tt.before, tt.after, tt.seed, tt.n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			again, _ := BootstrapMedianDiff(tt.before, tt.after, tt.seed, tt.n)
			if got != again {
				t.Errorf("same seed, different interval: %+v vs %+v", got, again)
			}
			point := quantileSorted(sortedCopy(tt.after), 0.5) - quantileSorted(sortedCopy(tt.before), 0.5)
			if !(got.Lo <= point && point <= got.Hi) || got.Level != 0.95 {
				t.Errorf("interval %+v does not hold the observed difference %v", got, point)
			}
		})
	}
	// Continuous values, so different streams land on different percentiles.
	cb := []float64{10.3, 12.1, 11.7, 13.2, 12.9, 14.4, 10.8, 11.1, 12.6, 13.5, 12.2, 11.4}
	ca := []float64{8.1, 9.6, 7.2, 9.9, 8.4, 10.7, 9.3, 8.8, 7.5, 9.1, 8.2, 9.4}
	a, _ := BootstrapMedianDiff(cb, ca, 1, 2000)
	b, _ := BootstrapMedianDiff(cb, ca, 2, 2000)
	if a == b {
		t.Errorf("seeds 1 and 2 gave the same interval %+v: seed is not used", a)
	}
	if a.Hi >= 0 {
		t.Errorf("a clear drop of ~3.5 should give an interval below 0, got %+v", a)
	}
}

func TestIndexDrawerUniform(t *testing.T) {
	// Chi-square on 600,000 draws into 6 and 7 cells, plus an n just above
	// 2³¹ where rejection happens on almost half the words.
	for _, n := range []uint32{6, 7} {
		d := newIndexDrawer(9)
		counts := make([]float64, n)
		const draws = 600000
		for range draws {
			counts[d.intN(n)]++
		}
		exp := float64(draws) / float64(n)
		chi := 0.0
		for _, c := range counts {
			chi += (c - exp) * (c - exp) / exp
		}
		if chi > 25 { // far beyond the 0.999 quantile for ≤ 6 degrees of freedom (22.5)
			t.Errorf("n=%d: chi-square %v: draws are not uniform: %v", n, chi, counts)
		}
	}
	d := newIndexDrawer(1)
	big := uint32(1<<31 + 1)
	for range 1000 {
		if v := d.intN(big); v < 0 || v >= int(big) {
			t.Fatalf("intN(%d) = %d out of range", big, v)
		}
	}
}
