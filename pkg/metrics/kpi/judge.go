package kpi

// attainment is how far a value meets its target: value ÷ target when higher is better,
// target ÷ value when lower is better, so 1 is on target and above 1 beats it either way.
// It is undefined (false) when the divisor is zero.
func attainment(d Definition, v float64) (float64, bool) {
	num, den := v, d.Target
	if d.Direction == "lower" {
		num, den = d.Target, v
	}
	if den == 0 {
		return 0, false
	}
	return num / den, true
}

// state judges a value against the thresholds: a threshold is reached when the value gets
// to it from the good side, so a value exactly at the warning threshold is a warning.
func state(d Definition, v float64) int {
	reached := func(t *float64) bool {
		if t == nil {
			return false
		}
		if d.Direction == "lower" {
			return v >= *t
		}
		return v <= *t
	}
	switch {
	case reached(d.Critical):
		return StateCritical
	case reached(d.Warning):
		return StateWarning
	}
	return StateOK
}
