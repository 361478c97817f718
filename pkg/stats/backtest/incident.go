package backtest

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Incident is the part of an incident a backtest needs.
type Incident struct {
	ID         string
	StartedAt  time.Time
	ResolvedAt time.Time // zero: still open, its window never closes
}

// window is an incident's catch window [from, to] in Unix nanoseconds.
type window struct {
	from, to int64
	started  int64
}

// windows validates the incidents and returns their catch windows sorted by
// opening time, plus the merged union of those windows (for precision).
func windows(incidents []Incident, lead time.Duration) (ws, union []window, err error) {
	ws = make([]window, len(incidents))
	for i, inc := range incidents {
		if inc.StartedAt.IsZero() {
			return nil, nil, fmt.Errorf("incident %q: started_at is missing", inc.ID)
		}
		to := int64(math.MaxInt64)
		if !inc.ResolvedAt.IsZero() {
			if inc.ResolvedAt.Before(inc.StartedAt) {
				return nil, nil, fmt.Errorf("incident %q: resolved_at %s is before started_at %s",
					inc.ID, inc.ResolvedAt.Format(time.RFC3339), inc.StartedAt.Format(time.RFC3339))
			}
			to = inc.ResolvedAt.UnixNano()
		}
		s := inc.StartedAt.UnixNano()
		ws[i] = window{from: s - int64(lead), to: to, started: s}
	}
	slices.SortFunc(ws, func(a, b window) int {
		switch {
		case a.from < b.from:
			return -1
		case a.from > b.from:
			return 1
		}
		return 0
	})
	for _, w := range ws {
		if n := len(union); n > 0 && w.from <= union[n-1].to {
			union[n-1].to = max(union[n-1].to, w.to)
			continue
		}
		union = append(union, w)
	}
	return ws, union, nil
}
