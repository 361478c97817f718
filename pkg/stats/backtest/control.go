package backtest

import "errors"

// ControlLimits: filled in once pkg/stats/spc lands.
type ControlLimits struct{}

func (c ControlLimits) Eval(s Series, holds []bool) error { return errors.New("control: not yet") }
func (c ControlLimits) Describe() string                  { return "control" }

func controlFromSpec(sp Spec) (ControlLimits, error) { return ControlLimits{}, errors.New("control: not yet") }
