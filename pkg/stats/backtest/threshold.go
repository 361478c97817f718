package backtest

import (
	"fmt"
	"strconv"
)

// Op is a threshold comparison.
type Op string

const (
	Above Op = "above" // value > threshold, as Grafana's "is above"
	Below Op = "below" // value < threshold, as Grafana's "is below"
)

// Threshold is a static threshold condition.
type Threshold struct {
	Op    Op
	Value float64
}

// Eval compares each sample; NaN (no data) never holds.
func (c Threshold) Eval(s Series, holds []bool) error {
	switch c.Op {
	case Above:
		for i, v := range s.v {
			holds[i] = v > c.Value
		}
	case Below:
		for i, v := range s.v {
			holds[i] = v < c.Value
		}
	default:
		return fmt.Errorf("threshold: op %q: use above or below", c.Op)
	}
	return nil
}

// Describe reads like "above 90".
func (c Threshold) Describe() string {
	return string(c.Op) + " " + strconv.FormatFloat(c.Value, 'g', -1, 64)
}
