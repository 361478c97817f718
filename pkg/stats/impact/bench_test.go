package impact

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// benchEvents is 500 kaizen events, each with 90 daily values before and 90
// after (a modest improvement in half of them).
func benchEvents() (before, after [][]float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	before, after = make([][]float64, 500), make([][]float64, 500)
	for e := range before {
		shift := 0.0
		if e%2 == 0 {
			shift = -5
		}
		before[e], after[e] = make([]float64, 90), make([]float64, 90)
		for i := range 90 {
			before[e][i] = 60 + 10*rng.NormFloat64()
			after[e][i] = 60 + shift + 10*rng.NormFloat64()
		}
	}
	return before, after
}

// BenchmarkImpact500Events analyzes 500 events (90 + 90 points each, default
// 10,000 bootstrap resamples). Its "x-baseline" metric is the ratio to the
// baseline sub-benchmark run just before it: copying and sorting the same
// samples, the floor any rank-based analysis pays. Run the parent benchmark
// to get the ratio.
func BenchmarkImpact500Events(b *testing.B) {
	before, after := benchEvents()
	var baseNs float64
	b.Run("baseline=sort-samples", func(b *testing.B) {
		for range b.N {
			for e := range before {
				slices.Sort(slices.Clone(before[e]))
				slices.Sort(slices.Clone(after[e]))
			}
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	for _, resamples := range []int{DefaultResamples, 1000} {
		name := "impact-500events-90x90-resamples=" + strconv.Itoa(resamples)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			improved := 0
			for range b.N {
				improved = 0
				for e := range before {
					r, err := Analyze(before[e], after[e], Options{Better: LowerIsBetter, Seed: uint64(e), Resamples: resamples})
					if err != nil {
						b.Fatal(err)
					}
					if r.Verdict == Improved {
						improved++
					}
				}
			}
			if baseNs > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/baseNs, "x-baseline")
			}
			b.ReportMetric(float64(improved), "improved/500")
		})
	}
}
