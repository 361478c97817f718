package backtest

import (
	"math"
	"slices"
)

// Row scores one candidate against the incident history.
type Row struct {
	Candidate string // the candidate's Name
	Condition string // its condition's Describe
	Alerts    int
	// AlertMinutes sums each alert's End − Start; an open alert counts up to
	// the last sample.
	AlertMinutes float64
	// UsefulAlerts fired inside at least one incident's catch window.
	UsefulAlerts    int
	IncidentsCaught int
	IncidentsMissed int
	// MedianDetectionDelay is the median over caught incidents of (first
	// firing in the window − started_at), in seconds; NaN when none was caught.
	MedianDetectionDelay float64
	Precision            float64 // UsefulAlerts / Alerts; NaN when no alert fired
	Recall               float64 // IncidentsCaught / incidents; NaN when there are none
}

// score merges sorted alerts with sorted incident windows in one pass each.
// delays is scratch space.
func score(spans []span, ws, union []window, delays []float64) (Row, []float64) {
	r := Row{Alerts: len(spans)}
	for _, sp := range spans {
		r.AlertMinutes += float64(sp.end-sp.start) / 6e10
	}
	// Useful alerts: does some window of the union contain the firing time?
	u := 0
	for _, sp := range spans {
		for u < len(union) && union[u].to < sp.start {
			u++
		}
		if u < len(union) && union[u].from <= sp.start {
			r.UsefulAlerts++
		}
	}
	// Caught incidents: the first alert firing at or after the window opens.
	// Windows are sorted by opening time, so that alert index only moves on.
	delays = delays[:0]
	a := 0
	for _, w := range ws {
		for a < len(spans) && spans[a].start < w.from {
			a++
		}
		if a < len(spans) && spans[a].start <= w.to {
			r.IncidentsCaught++
			delays = append(delays, float64(spans[a].start-w.started)/1e9)
		}
	}
	r.IncidentsMissed = len(ws) - r.IncidentsCaught
	r.MedianDetectionDelay = median(delays)
	r.Precision = ratio(r.UsefulAlerts, r.Alerts)
	r.Recall = ratio(r.IncidentsCaught, len(ws))
	return r, delays
}

func ratio(num, den int) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// median sorts xs in place; NaN when empty. Even counts average the middle two.
func median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return xs[n/2-1] + (xs[n/2]-xs[n/2-1])/2
}
