package drift

import (
	"math"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// Benchmarks over 10M vs 10M observations and over 100 features x 100k.
// Each reports x_floor: its time over the practical floor measured in the
// same run, a single-pass in-memory fixed-width histogram of the same
// reference and current values. Run with
//
//	go test -run '^$' -bench . -benchtime 3x ./pkg/stats/drift/

// sortedNormals returns n ascending N(mean, 1) draws without sorting:
// normalized cumulative exponential spacings are uniform order statistics,
// and the normal quantile is monotone.
func sortedNormals(seed uint64, n int, mean float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 2))
	xs := make([]float64, n)
	sum := 0.0
	for i := range xs {
		sum += r.ExpFloat64()
		xs[i] = sum
	}
	total := sum + r.ExpFloat64()
	for i, s := range xs {
		xs[i] = mean + math.Sqrt2*math.Erfinv(2*s/total-1)
	}
	return xs
}

// histogramFloor is the baseline: one pass, ten fixed-width bins over
// [-5, 5), no sorting, no quantiles.
func histogramFloor(ref, cur []float64) [10]int64 {
	var c [10]int64
	for _, xs := range [][]float64{ref, cur} {
		for _, x := range xs {
			k := int((x + 5) * 1)
			c[min(max(k, 0), 9)]++
		}
	}
	return c
}

// bareMerge is a second reference point: the merge of two sorted arrays
// with nothing computed but the largest rank gap. Its loop-carried
// dependency (each step's loads wait on the previous comparison) is the
// cost any statistic over sorted streams pays, however it is written.
func bareMerge(a, b []float64) int {
	best, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		t := 0
		if a[i] <= b[j] {
			t = 1
		}
		i += t
		j += 1 - t
		best = max(best, i-j)
	}
	return best
}

// threadCPU is the CPU time of the calling OS thread. On a shared machine
// wall time includes waiting for a core; CPU time does not.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

const rusageThread = 1 // RUSAGE_THREAD (Linux)

// cost is the wall and CPU time of one run of work (best of 3).
type cost struct{ wall, cpu time.Duration }

func measureFloor(work func()) cost {
	best := cost{time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)}
	for range 3 {
		t0, c0 := time.Now(), threadCPU()
		work()
		best.wall = min(best.wall, time.Since(t0))
		best.cpu = min(best.cpu, threadCPU()-c0)
	}
	return best
}

// reportFloor adds cpu-ns/op and both times over the floor's.
func reportFloor(b *testing.B, floor cost, cpu time.Duration) {
	n := float64(b.N)
	b.ReportMetric(float64(cpu.Nanoseconds())/n, "cpu-ns/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n/float64(floor.wall.Nanoseconds()), "x_floor")
	if floor.cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/n/float64(floor.cpu.Nanoseconds()), "x_floor_cpu")
	}
}

type feature struct{ ref, cur []float64 }

func psiStreaming(b *testing.B, f feature) float64 {
	e, err := QuantileEdges(FromSlice(f.ref), len(f.ref), DefaultBins)
	if err != nil {
		b.Fatal(err)
	}
	rc, err := CountBins("reference", e.Cuts, FromSlice(f.ref))
	if err != nil {
		b.Fatal(err)
	}
	cc, err := CountBins("current", e.Cuts, FromSlice(f.cur))
	if err != nil {
		b.Fatal(err)
	}
	r, err := PSIFromCounts(rc, cc, PSIOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return r.Statistic
}

func ksStreaming(b *testing.B, f feature) float64 {
	r, err := KSSorted(FromSlice(f.ref), len(f.ref), FromSlice(f.cur), len(f.cur), KSOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return r.PValue
}

func wassersteinStreaming(b *testing.B, f feature) float64 {
	r, err := WassersteinSorted(FromSlice(f.ref), len(f.ref), FromSlice(f.cur), len(f.cur))
	if err != nil {
		b.Fatal(err)
	}
	return r.Normed
}

func runDriftBenchmarks(b *testing.B, features []feature) {
	var sink [10]int64
	var sinkF float64
	floorWork := func() {
		for _, f := range features {
			sink = histogramFloor(f.ref, f.cur)
		}
	}
	for _, m := range []struct {
		name string
		run  func(*testing.B, feature) float64
	}{
		{"histogram-floor", nil}, // the floor itself
		{"bare-merge", func(_ *testing.B, f feature) float64 { return float64(bareMerge(f.ref, f.cur)) }},
		{"psi", psiStreaming}, {"ks", ksStreaming}, {"wasserstein", wassersteinStreaming},
	} {
		b.Run(m.name, func(b *testing.B) {
			// The floor is timed next to each benchmark so that load from
			// other processes shifts both alike; b.Loop resets the timer.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			floor := measureFloor(floorWork)
			b.ReportAllocs()
			c0 := threadCPU()
			for b.Loop() {
				if m.run == nil {
					floorWork()
					continue
				}
				for _, f := range features {
					sinkF += m.run(b, f)
				}
			}
			reportFloor(b, floor, threadCPU()-c0)
		})
	}
	_, _ = sink, sinkF
}

// BenchmarkDrift10M: one feature, reference 10M vs current 10M, pre-sorted
// (the streaming forms read them as ascending streams).
func BenchmarkDrift10M(b *testing.B) {
	const n = 10_000_000
	runDriftBenchmarks(b, []feature{{sortedNormals(1, n, 0), sortedNormals(2, n, 0.01)}})
}

// BenchmarkDrift100Features: 100 features x 100k vs 100k observations.
func BenchmarkDrift100Features(b *testing.B) {
	const features, n = 100, 100_000
	fs := make([]feature, features)
	for i := range fs {
		fs[i] = feature{sortedNormals(uint64(2*i+10), n, 0), sortedNormals(uint64(2*i+11), n, 0.01*float64(i%5))}
	}
	runDriftBenchmarks(b, fs)
}

// BenchmarkKSExact10k is the largest exact p-value scipy's 'auto' computes.
func BenchmarkKSExact10k(b *testing.B) {
	f := feature{sortedNormals(3, KSMaxAutoExactN, 0), sortedNormals(4, KSMaxAutoExactN, 0.05)}
	b.ReportAllocs()
	for b.Loop() {
		ksStreaming(b, f)
	}
}
