package backtest

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// BurnRate is a multiwindow burn-rate condition over an SLI series (the good
// ratio per sample, 0..1), as in the Google SRE workbook, chapter 5
// ("Alerting on SLOs", multiwindow, multi-burn-rate alerts): it holds at a
// sample when the burn rate over the Long window AND over the Short window
// both exceed Factor. E.g. Objective 99.9, Long 1h, Short 5m, Factor 14.4.
//
// The burn rate over a window W ending at sample t is the mean error ratio
// (1 − SLI) of the samples in (t − W, t], divided by the error budget
// 1 − Objective/100. Samples weigh equally (pass one SLI per equal interval,
// or the ratio is weighted by sample count, not traffic); NaN samples (no
// traffic) are left out, and a window with no samples does not hold. Early in
// the series a window holds the samples there are, as avg_over_time does.
type BurnRate struct {
	Objective   float64 // percent, e.g. 99.9
	Long, Short time.Duration
	Factor      float64
}

func (c BurnRate) validate() error {
	switch {
	case !(c.Objective > 1 && c.Objective < 100):
		return fmt.Errorf("burn rate: objective %v: give a percentage between 1 and 100, e.g. 99.9", c.Objective)
	case c.Long <= 0 || c.Short <= 0:
		return fmt.Errorf("burn rate: windows must be positive (long %s, short %s)", c.Long, c.Short)
	case c.Short > c.Long:
		return fmt.Errorf("burn rate: short window %s is longer than long window %s", c.Short, c.Long)
	case !(c.Factor > 0) || math.IsInf(c.Factor, 0):
		return fmt.Errorf("burn rate: factor %v must be positive", c.Factor)
	}
	return nil
}

// Eval slides both windows over prefix sums of the error ratio: O(n).
func (c BurnRate) Eval(s Series, holds []bool) error {
	if err := c.validate(); err != nil {
		return err
	}
	n := s.Len()
	// sum[i], cnt[i]: error ratio total and valid samples among the first i.
	sum := make([]float64, n+1)
	cnt := make([]int32, n+1)
	for i, v := range s.v {
		sum[i+1], cnt[i+1] = sum[i], cnt[i]
		if math.IsNaN(v) {
			continue
		}
		if v < 0 || v > 1 {
			return fmt.Errorf("burn rate: sample %d (%s): SLI %v is outside 0..1",
				i, time.Unix(0, s.at[i]).UTC().Format(time.RFC3339), v)
		}
		sum[i+1] += 1 - v
		cnt[i+1]++
	}
	limit := c.Factor * (1 - c.Objective/100) // burn > factor ⇔ error ratio > factor·budget
	long, short := int64(c.Long), int64(c.Short)
	lo, so := 0, 0 // first sample inside each window
	for i, t := range s.at {
		for s.at[lo] <= t-long {
			lo++
		}
		for s.at[so] <= t-short {
			so++
		}
		holds[i] = over(sum, cnt, lo, i+1, limit) && over(sum, cnt, so, i+1, limit)
	}
	return nil
}

// over reports whether the mean error ratio of samples [from, to) exceeds limit.
func over(sum []float64, cnt []int32, from, to int, limit float64) bool {
	k := cnt[to] - cnt[from]
	return k > 0 && (sum[to]-sum[from])/float64(k) > limit
}

// Describe reads like "burn 14.4x over 1h0m0s & 5m0s (99.9%)".
func (c BurnRate) Describe() string {
	return fmt.Sprintf("burn %sx over %s & %s (%s%%)", strconv.FormatFloat(c.Factor, 'g', -1, 64),
		c.Long, c.Short, strconv.FormatFloat(c.Objective, 'g', -1, 64))
}
