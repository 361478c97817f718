package spc

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

var benchSink float64

// baselineLoop is the named baseline: one plain pass computing the mean and
// the mean moving range, the least any XmR computation must do.
func baselineLoop(x []float64) (float64, float64) {
	s, mr := x[0], 0.0
	for i := 1; i < len(x); i++ {
		s += x[i]
		mr += math.Abs(x[i] - x[i-1])
	}
	return s / float64(len(x)), mr / float64(len(x)-1)
}

// BenchmarkXmRNelson1M: XmR with all Nelson rules over 1M points, against the
// baseline loop over the same data timed in the same run.
func BenchmarkXmRNelson1M(b *testing.B) {
	const n = 1_000_000
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, n)
	for i := range x {
		x[i] = 100 + 5*r.NormFloat64()
		if i%50_000 > 49_000 { // periodic shifts so rules fire
			x[i] += 8
		}
	}
	start := time.Now()
	for range b.N {
		m, mr := baselineLoop(x)
		benchSink += m + mr
	}
	base := time.Since(start)
	opt := Options{Chart: XmR, Rules: []string{"nelson"}}
	b.ResetTimer()
	var fired int
	for range b.N {
		res, err := Compute(Input{Values: x}, opt)
		if err != nil {
			b.Fatal(err)
		}
		fired = len(res.Violations)
	}
	b.StopTimer()
	perPoint := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / n
	basePerPoint := float64(base.Nanoseconds()) / float64(b.N) / n
	b.ReportMetric(perPoint, "ns/point")
	b.ReportMetric(basePerPoint, "baseline-ns/point")
	b.ReportMetric(perPoint/basePerPoint, "x-baseline")
	b.Logf("xmr+nelson %.2f ns/point, baseline loop %.2f ns/point, ratio %.1fx, %d violations", perPoint, basePerPoint, perPoint/basePerPoint, fired)
}
