package backtest

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchYear is a year of one-minute SLI samples with 5,000 incidents: most
// show as a dip in the SLI, some leave no trace, and noise dips without an
// incident give false alerts.
func benchYear(b *testing.B) (Series, []Incident) {
	b.Helper()
	const n = 525600
	rng := rand.New(rand.NewPCG(1, 2))
	times := make([]time.Time, n)
	values := make([]float64, n)
	for i := range values {
		times[i] = t0.Add(time.Duration(i) * time.Minute)
		values[i] = 1 - rng.Float64()*0.001
	}
	for range 3000 { // noise dips
		at := rng.IntN(n - 10)
		for j := range 1 + rng.IntN(8) {
			values[at+j] = 0.97 + rng.Float64()*0.02
		}
	}
	incidents := make([]Incident, 5000)
	for k := range incidents {
		start := rng.IntN(n - 100)
		dur := 5 + rng.IntN(55)
		incidents[k] = Incident{ID: fmt.Sprint(k), StartedAt: times[start], ResolvedAt: times[start+dur]}
		if rng.IntN(10) == 0 {
			continue // silent incident
		}
		depth := 0.002 + rng.Float64()*0.2
		for j := range dur {
			values[start+j] = 1 - depth*(0.5+rng.Float64())
		}
	}
	s, err := NewSeries(times, values)
	if err != nil {
		b.Fatal(err)
	}
	return s, incidents
}

// benchCandidates returns 20 candidates: thresholds with and without a
// pending period, the SRE workbook's three burn-rate pairs, and XmR charts
// with a day's baseline and various run rules.
func benchCandidates() []Candidate {
	var cs []Candidate
	for _, v := range []float64{0.999, 0.99, 0.98, 0.95, 0.9} {
		for _, f := range []time.Duration{0, 5 * time.Minute} {
			cs = append(cs, Candidate{Name: fmt.Sprintf("below %v for %s", v, f), For: f, Condition: Threshold{Op: Below, Value: v}})
		}
	}
	for _, w := range []struct {
		long, short time.Duration
		factor      float64
	}{{time.Hour, 5 * time.Minute, 14.4}, {6 * time.Hour, 30 * time.Minute, 6}, {72 * time.Hour, 6 * time.Hour, 1}} {
		for _, f := range []time.Duration{0, 2 * time.Minute} {
			cs = append(cs, Candidate{Name: fmt.Sprintf("burn %v/%v", w.long, w.short), For: f,
				Condition: BurnRate{Objective: 99.9, Long: w.long, Short: w.short, Factor: w.factor}})
		}
	}
	for _, rules := range [][]string{{"nelson-1"}, {"nelson-1", "nelson-2"}, {"westernelectric"}, {"nelson"}} {
		cs = append(cs, Candidate{Name: fmt.Sprint("xmr ", rules), Condition: ControlLimits{BaselinePoints: 1440, Rules: rules}})
	}
	return cs
}

// BenchmarkBacktestYear replays 20 candidates over 525,600 one-minute points
// against 5,000 incidents. Its "x-baseline" metric is the ratio to the
// baseline sub-benchmark measured just before it in the same run: one pass
// counting plain threshold crossings over the same points (run the parent
// benchmark, not only the second sub-benchmark, to get the ratio).
func BenchmarkBacktestYear(b *testing.B) {
	s, incidents := benchYear(b)
	cands := benchCandidates()
	if len(cands) != 20 {
		b.Fatalf("%d candidates, want 20", len(cands))
	}
	var baseNs float64
	b.Run("baseline=one-pass-threshold-crossings", func(b *testing.B) {
		crossings := 0
		for range b.N {
			crossings = 0
			prev := false
			for _, v := range s.v {
				cur := v < 0.99
				if cur && !prev {
					crossings++
				}
				prev = cur
			}
		}
		if crossings == 0 {
			b.Fatal("no crossings: the benchmark data is wrong")
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	run := func(name string, cands []Candidate) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var rows []Row
			for range b.N {
				var err error
				if rows, err = Run(s, incidents, cands, Options{Lead: 5 * time.Minute}); err != nil {
					b.Fatal(err)
				}
			}
			if baseNs > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/baseNs, "x-baseline")
			}
			b.ReportMetric(rows[0].Recall, "recall-first")
		})
	}
	run("backtest-20cand-525600pts-5000inc", cands)
	// Where the time goes: the 16 threshold and burn-rate candidates, and the
	// 4 XmR candidates (spc.Compute builds a Violation with its points for
	// every firing; on this data that is ~10⁶ violations per candidate).
	run("only-16-threshold-and-burnrate", cands[:16])
	run("only-4-xmr", cands[16:])
}
