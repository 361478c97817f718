package backtest

import (
	"fmt"
	"time"
)

// Options tune a backtest.
type Options struct {
	// Lead lets an alert that fires up to Lead before started_at catch the
	// incident (monitoring often sees trouble before impact is declared).
	Lead time.Duration
}

// Run replays every candidate over the series and scores it against the
// incidents: one Row per candidate, in the candidates' order.
func Run(s Series, incidents []Incident, candidates []Candidate, opt Options) ([]Row, error) {
	if s.Len() == 0 {
		return nil, fmt.Errorf("backtest: %w", errEmptySeries)
	}
	if opt.Lead < 0 {
		return nil, fmt.Errorf("backtest: lead %s is negative", opt.Lead)
	}
	ws, union, err := windows(incidents, opt.Lead)
	if err != nil {
		return nil, fmt.Errorf("backtest: %w", err)
	}
	holds := make([]bool, s.Len())
	var spans []span
	var delays []float64
	rows := make([]Row, len(candidates))
	for i, c := range candidates {
		spans, err = replay(s, c, holds, spans)
		if err != nil {
			return nil, fmt.Errorf("backtest: candidate %d (%s): %w", i+1, c.Name, err)
		}
		rows[i], delays = score(spans, ws, union, delays)
		rows[i].Candidate = c.Name
		rows[i].Condition = c.Condition.Describe()
	}
	return rows, nil
}
