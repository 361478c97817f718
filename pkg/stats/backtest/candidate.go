package backtest

import "time"

// Condition decides, per sample, whether an alert condition holds.
type Condition interface {
	// Eval sets holds[i] for every sample i of s (len(holds) == s.Len()). It
	// must look only at samples up to i, as a live rule would.
	Eval(s Series, holds []bool) error
	// Describe is a short human label, e.g. "above 90".
	Describe() string
}

// Candidate is one alert rule to replay: a condition and how long it must
// hold before the alert fires (Grafana's "pending period", `for`).
type Candidate struct {
	Name      string
	For       time.Duration
	Condition Condition
}
