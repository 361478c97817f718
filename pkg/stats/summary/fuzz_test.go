package summary

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// FuzzOf summarizes arbitrary finite values (every float64 bit pattern; NaN and
// infinities never reach it: ingest refuses them) with every stat. The result
// lies between the minimum and the maximum (sum and count aside), percentiles
// do not decrease with their rank, and nothing panics.
//
//	go test ./pkg/stats/summary -run '^$' -fuzz FuzzOf -fuzztime 1m
func FuzzOf(f *testing.F) {
	f.Add(floatBytes([]float64{3600, 5400, 1860, 7200}))
	f.Add(floatBytes([]float64{-1e308, 1e308}))
	f.Add(floatBytes([]float64{math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64}))
	f.Add(floatBytes([]float64{math.SmallestNonzeroFloat64, 0, -0.0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var values []float64
		for i := 0; i+8 <= len(b); i += 8 {
			if v := math.Float64frombits(binary.LittleEndian.Uint64(b[i:])); !math.IsNaN(v) && !math.IsInf(v, 0) {
				values = append(values, v)
			}
		}
		if len(values) == 0 {
			if _, ok := Of(nil, Mean); ok {
				t.Fatal("mean of nothing is ok")
			}
			return
		}
		lo, hi := slices.Min(values), slices.Max(values)
		prev := math.Inf(-1)
		for _, st := range []Stat{Min, Median, P75, P90, P95, P99, Max} {
			v, ok := Of(slices.Clone(values), st)
			if !ok || v < lo || v > hi || math.IsNaN(v) {
				t.Fatalf("%s of %v = %v (ok %v), outside [%v, %v]", st, values, v, ok, lo, hi)
			}
			if v < prev {
				t.Fatalf("%s of %v = %v is below the previous rank's %v", st, values, v, prev)
			}
			prev = v
		}
		if m, ok := Of(slices.Clone(values), Mean); !ok || m < lo || m > hi || math.IsNaN(m) {
			t.Fatalf("mean of %v = %v, outside [%v, %v]", values, m, lo, hi)
		}
		if n, _ := Of(values, Count); n != float64(len(values)) {
			t.Fatalf("count %v of %d values", n, len(values))
		}
		if s, _ := Of(values, Sum); math.IsNaN(s) {
			t.Fatalf("sum of %v is NaN", values)
		}
	})
}

func floatBytes(xs []float64) []byte {
	out := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(x))
	}
	return out
}
