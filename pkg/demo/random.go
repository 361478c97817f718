package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// rng is one seeded stream of randomness. Every part of the data set draws from a
// stream of its own (named), so changing how one part is generated never shifts
// the numbers another part gets: the same seed gives the same incidents whatever
// the deployments do.
type rng struct{ *rand.Rand }

// stream returns the stream name of the data set generated with seed.
func stream(seed uint64, name string) rng {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return rng{rand.New(rand.NewPCG(seed, h.Sum64()))}
}

// chance is true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between is uniform in [a, b).
func (r rng) between(a, b float64) float64 { return a + (b-a)*r.Float64() }

// lognormal draws around a median with a log-scale spread sigma: durations of
// repairs, waits and lead times are right-skewed, never negative.
func (r rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// duration is lognormal in time.
func (r rng) duration(median time.Duration, sigma float64) time.Duration {
	return time.Duration(r.lognormal(float64(median), sigma))
}

// normal draws from N(mean, sd).
func (r rng) normal(mean, sd float64) float64 { return mean + sd*r.NormFloat64() }

// poisson draws a count with mean lambda (Knuth's method; lambda here is small).
func (r rng) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// pick returns an index drawn with the given weights.
func (r rng) pick(weights ...float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// exp draws an exponential waiting time with the given mean.
func (r rng) exp(mean time.Duration) time.Duration {
	return time.Duration(r.ExpFloat64() * float64(mean))
}

// diurnal is the share of peak traffic at t: a quiet night, a busy afternoon (UTC),
// and quieter weekends.
func diurnal(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	f := 0.55 + 0.45*math.Sin((h-8)/24*2*math.Pi)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		f *= 0.7
	}
	return f
}

// workday reports whether t falls on a weekday.
func workday(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
