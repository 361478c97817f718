package summary

import (
	"math"
	"testing"
)

func TestOf(t *testing.T) {
	// Expected quantiles are numpy.quantile(values, q) (method="linear"), worked by hand:
	// sorted 1,2,3,4,10; position q*(n-1).
	values := []float64{10, 2, 4, 1, 3}
	cases := []struct {
		stat Stat
		want float64
	}{
		{Count, 5},
		{Mean, 4},
		{Median, 3},
		{P75, 4},         // pos 3
		{P90, 4 + 6*0.6}, // pos 3.6 between 4 and 10
		{P95, 4 + 6*0.8}, // pos 3.8
		{P99, 4 + 6*0.96},
		{Min, 1},
		{Max, 10},
		{Sum, 20},
	}
	for _, c := range cases {
		t.Run(string(c.stat), func(t *testing.T) {
			in := append([]float64(nil), values...)
			got, ok := Of(in, c.stat)
			if !ok || math.Abs(got-c.want) > 1e-12 {
				t.Fatalf("Of(%v, %s) = %v, %v; want %v", values, c.stat, got, ok, c.want)
			}
		})
	}
}

func TestOfEmpty(t *testing.T) {
	for _, s := range All() {
		got, ok := Of(nil, s)
		if s == Count {
			if !ok || got != 0 {
				t.Errorf("count of nothing = %v, %v; want 0, true", got, ok)
			}
			continue
		}
		if ok {
			t.Errorf("%s of nothing reported a value %v", s, got)
		}
	}
}

func TestParse(t *testing.T) {
	if s, err := Parse(" P50 "); err != nil || s != Median {
		t.Fatalf("Parse(p50) = %v, %v", s, err)
	}
	if _, err := Parse("average"); err == nil {
		t.Fatal("Parse(average) accepted an unknown stat")
	}
}
