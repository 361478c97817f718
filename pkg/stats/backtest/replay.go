package backtest

import (
	"errors"
	"fmt"
	"time"
)

// Alert is one firing of a candidate: from the sample where it fired to the
// sample where it resolved. Open alerts were still firing at the last sample,
// and End is that sample's time.
type Alert struct {
	Start, End time.Time
	Open       bool
}

// span is an Alert in Unix nanoseconds, as scoring uses it.
type span struct {
	start, end int64
	open       bool
}

// Replay runs one candidate over the series and returns its alerts in time
// order, following the state machine in the package comment.
func Replay(s Series, c Candidate) ([]Alert, error) {
	spans, err := replay(s, c, make([]bool, s.Len()), nil)
	if err != nil {
		return nil, err
	}
	out := make([]Alert, len(spans))
	for i, sp := range spans {
		out[i] = Alert{Start: time.Unix(0, sp.start).UTC(), End: time.Unix(0, sp.end).UTC(), Open: sp.open}
	}
	return out, nil
}

// replay reuses holds and spans (scratch from the caller) across candidates.
func replay(s Series, c Candidate, holds []bool, spans []span) ([]span, error) {
	if c.Condition == nil {
		return nil, errors.New("candidate has no condition")
	}
	if c.For < 0 {
		return nil, fmt.Errorf("for %s is negative", c.For)
	}
	if err := c.Condition.Eval(s, holds); err != nil {
		return nil, err
	}
	return fire(s.at, holds, int64(c.For), spans[:0]), nil
}

// fire is the Normal → Pending → Firing → Normal state machine.
func fire(at []int64, holds []bool, forNs int64, spans []span) []span {
	const (
		normal = iota
		pending
		firing
	)
	state := normal
	var activeAt int64
	for i, h := range holds {
		t := at[i]
		if !h {
			if state == firing {
				spans[len(spans)-1].end = t
			}
			state = normal
			continue
		}
		if state == normal {
			state, activeAt = pending, t
		}
		if state == pending && t-activeAt >= forNs {
			state = firing
			spans = append(spans, span{start: t})
		}
	}
	if state == firing {
		spans[len(spans)-1].end = at[len(at)-1]
		spans[len(spans)-1].open = true
	}
	return spans
}
