// Package summary reduces a bucket's values to one number: count, mean, median,
// percentiles, min, max, sum. Percentiles interpolate linearly between closest
// ranks (NumPy's default "linear" method, Hyndman & Fan type 7).
package summary

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Stat is one way to summarize values.
type Stat string

const (
	Count  Stat = "count"
	Mean   Stat = "mean"
	Median Stat = "median"
	P75    Stat = "p75"
	P90    Stat = "p90"
	P95    Stat = "p95"
	P99    Stat = "p99"
	Min    Stat = "min"
	Max    Stat = "max"
	Sum    Stat = "sum"
)

// All lists the stats in the order editors offer them.
func All() []Stat { return []Stat{Count, Mean, Median, P75, P90, P95, P99, Min, Max, Sum} }

// Parse accepts a stat name, and p50 as median.
func Parse(s string) (Stat, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "p50" {
		return Median, nil
	}
	for _, st := range All() {
		if string(st) == s {
			return st, nil
		}
	}
	names := make([]string, 0, len(All()))
	for _, st := range All() {
		names = append(names, string(st))
	}
	return "", fmt.Errorf("unknown stat %q; use one of %s", s, strings.Join(names, ", "))
}

// Quantile returns the q-th quantile (0..1) of sorted values.
func (s Stat) Quantile() (float64, bool) {
	switch s {
	case Median:
		return 0.5, true
	case P75:
		return 0.75, true
	case P90:
		return 0.90, true
	case P95:
		return 0.95, true
	case P99:
		return 0.99, true
	}
	return 0, false
}

// NeedsValues says whether the stat needs every value, or can be computed by SQL aggregates.
func (s Stat) NeedsValues() bool {
	_, q := s.Quantile()
	return q
}

// Label is how the stat reads in a display name.
func (s Stat) Label() string { return string(s) }

// Of summarizes values; ok is false when there are none (except count, which is 0).
// values is sorted in place when a percentile is asked for.
func Of(values []float64, s Stat) (v float64, ok bool) {
	if s == Count {
		return float64(len(values)), true
	}
	if len(values) == 0 {
		return 0, false
	}
	switch s {
	case Mean:
		return mean(values), true
	case Sum:
		var t float64
		for _, x := range values {
			t += x
		}
		return t, true
	case Min:
		return slices.Min(values), true
	case Max:
		return slices.Max(values), true
	}
	if q, isQ := s.Quantile(); isQ {
		slices.Sort(values)
		return QuantileSorted(values, q), true
	}
	return math.NaN(), false
}

// QuantileSorted interpolates linearly between closest ranks of sorted values.
func QuantileSorted(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	pos := q * float64(n-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	if lo == hi {
		return sorted[lo]
	}
	frac := pos - float64(lo)
	a, b := sorted[lo], sorted[hi]
	if d := b - a; !math.IsInf(d, 0) {
		return a + d*frac
	}
	// b - a overflows only for values of opposite sign near ±1.8e308; weighting
	// each end stays finite.
	return a*(1-frac) + b*frac
}

// mean uses a running mean, which stays accurate for large sums of large numbers.
func mean(values []float64) float64 {
	var m float64
	for i, x := range values {
		n := float64(i + 1)
		if d := x - m; !math.IsInf(d, 0) {
			m += d / n
		} else {
			m += x/n - m/n // x - m overflows near ±1.8e308; the halves do not
		}
	}
	return m
}
