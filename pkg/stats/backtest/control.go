package backtest

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/kaizenops/suite/pkg/stats/spc"
)

// ControlLimits is a special-cause condition: an individuals (XmR) chart
// whose limits are estimated from the first BaselinePoints samples with data
// (phase I) and frozen for the whole series (phase II), with the chosen run
// rules from pkg/stats/spc. It holds at a sample where any chosen rule's
// pattern completes (spc fires a rule at the point that completes it, and at
// each later point that extends it), so it only looks back, as a live rule.
//
// The baseline samples are evaluated too, against the limits they set, as a
// control chart draws them. Samples without data are left out of the chart
// (a run continues across them) and never hold.
type ControlLimits struct {
	BaselinePoints int
	Rules          []string // spc rule ids or groups: nelson-1 .. nelson-8, we-1 .. we-4, nelson, westernelectric
}

func (c ControlLimits) validate() error {
	if c.BaselinePoints < 2 {
		return fmt.Errorf("control: baseline_points %d: need at least 2 to estimate sigma", c.BaselinePoints)
	}
	if len(c.Rules) == 0 {
		return errors.New("control: rules: choose at least one (e.g. nelson-1)")
	}
	if _, err := spc.ParseRules(c.Rules); err != nil {
		return fmt.Errorf("control: %w", err)
	}
	return nil
}

// Eval charts the samples with data and maps rule firings back to samples.
func (c ControlLimits) Eval(s Series, holds []bool) error {
	if err := c.validate(); err != nil {
		return err
	}
	vals := make([]float64, 0, s.Len())
	idx := make([]int32, 0, s.Len())
	for i, v := range s.v {
		holds[i] = false
		if !math.IsNaN(v) {
			vals = append(vals, v)
			idx = append(idx, int32(i))
		}
	}
	if len(vals) < c.BaselinePoints {
		return fmt.Errorf("control: baseline_points %d but the series has %d samples with data", c.BaselinePoints, len(vals))
	}
	n := c.BaselinePoints
	// Only which points fire matters here, not the violation list.
	res, err := spc.Compute(spc.Input{Values: vals}, spc.Options{
		Chart: spc.XmR, Rules: c.Rules, Baseline: spc.Baseline{Points: &n}, FlagsOnly: true,
	})
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	for k, fired := range res.Points.Violations {
		if fired != 0 {
			holds[idx[k]] = true
		}
	}
	return nil
}

// Describe reads like "xmr nelson-1,nelson-2 (baseline 1440)".
func (c ControlLimits) Describe() string {
	return fmt.Sprintf("xmr %s (baseline %d)", strings.Join(c.Rules, ","), c.BaselinePoints)
}

func controlFromSpec(sp Spec) (ControlLimits, error) {
	c := ControlLimits{BaselinePoints: sp.BaselinePoints, Rules: sp.Rules}
	if sp.BaselinePoints == 0 {
		return c, errors.New("field \"baseline_points\": missing")
	}
	if err := c.validate(); err != nil {
		return c, err
	}
	return c, nil
}
