package backtest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Series is a metric's history, sorted by time. Build it with NewSeries.
type Series struct {
	at []int64 // Unix nanoseconds, ascending
	v  []float64
}

// NewSeries copies times and values into a Series sorted by time (stable, so
// samples at equal times keep their order). NaN means no data at that time;
// ±Inf is rejected. The caller's slices are not modified.
func NewSeries(times []time.Time, values []float64) (Series, error) {
	if len(times) != len(values) {
		return Series{}, fmt.Errorf("series: %d times but %d values", len(times), len(values))
	}
	s := Series{at: make([]int64, len(times)), v: slices.Clone(values)}
	sorted := true
	for i, t := range times {
		if math.IsInf(values[i], 0) {
			return Series{}, fmt.Errorf("series: sample %d (%s): value is infinite", i, t.Format(time.RFC3339))
		}
		s.at[i] = t.UnixNano()
		if i > 0 && s.at[i] < s.at[i-1] {
			sorted = false
		}
	}
	if !sorted {
		sort.Stable(byTime(s))
	}
	return s, nil
}

// Len is the number of samples.
func (s Series) Len() int { return len(s.at) }

// At returns sample i's time and value.
func (s Series) At(i int) (time.Time, float64) { return time.Unix(0, s.at[i]).UTC(), s.v[i] }

type byTime Series

func (b byTime) Len() int           { return len(b.at) }
func (b byTime) Less(i, j int) bool { return b.at[i] < b.at[j] }
func (b byTime) Swap(i, j int) {
	b.at[i], b.at[j] = b.at[j], b.at[i]
	b.v[i], b.v[j] = b.v[j], b.v[i]
}

var errEmptySeries = errors.New("series has no samples")
