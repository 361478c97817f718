package backtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// naiveRun is the definition written out directly, O(points × incidents):
// the state machine as a per-sample loop over the raw values, and every
// (alert, incident) pair checked. The sweep in Run must agree with it.
func naiveRun(times []time.Time, values []float64, incidents []Incident, c Candidate, lead time.Duration) Row {
	type al struct{ start, end time.Time }
	var alerts []al
	pendingSince := time.Time{}
	pending, firing := false, false
	th := c.Condition.(Threshold)
	for i, t := range times {
		v := values[i]
		holds := !math.IsNaN(v) && ((th.Op == Above && v > th.Value) || (th.Op == Below && v < th.Value))
		switch {
		case !holds:
			if firing {
				alerts[len(alerts)-1].end = t
			}
			pending, firing = false, false
		case firing:
		case !pending:
			pending, pendingSince = true, t
			fallthrough
		default:
			if t.Sub(pendingSince) >= c.For {
				firing, pending = true, false
				alerts = append(alerts, al{start: t})
			}
		}
	}
	if firing {
		alerts[len(alerts)-1].end = times[len(times)-1]
	}
	r := Row{Alerts: len(alerts)}
	useful := make([]bool, len(alerts))
	var delays []float64
	for _, inc := range incidents {
		from := inc.StartedAt.Add(-lead)
		first := -1
		for k, a := range alerts {
			if !a.start.Before(from) && (inc.ResolvedAt.IsZero() || !a.start.After(inc.ResolvedAt)) {
				useful[k] = true
				if first < 0 || a.start.Before(alerts[first].start) {
					first = k
				}
			}
		}
		if first >= 0 {
			r.IncidentsCaught++
			delays = append(delays, alerts[first].start.Sub(inc.StartedAt).Seconds())
		}
	}
	for k, a := range alerts {
		r.AlertMinutes += a.end.Sub(a.start).Minutes()
		if useful[k] {
			r.UsefulAlerts++
		}
	}
	r.IncidentsMissed = len(incidents) - r.IncidentsCaught
	r.MedianDetectionDelay = median(delays)
	r.Precision = ratio(r.UsefulAlerts, r.Alerts)
	r.Recall = ratio(r.IncidentsCaught, len(incidents))
	return r
}

func TestRunAgreesWithNaiveDefinition(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 99))
		n := 50 + rng.IntN(400)
		times := make([]time.Time, n)
		values := make([]float64, n)
		at := t0
		for i := range times {
			at = at.Add(time.Duration(1+rng.IntN(3)) * time.Minute) // irregular
			times[i] = at
			values[i] = float64(rng.IntN(10))
			if rng.IntN(30) == 0 {
				values[i] = math.NaN()
			}
		}
		var incidents []Incident
		for k := range rng.IntN(30) {
			start := times[0].Add(time.Duration(rng.IntN(3*n)) * time.Minute)
			inc := Incident{ID: fmt.Sprint(k), StartedAt: start}
			if rng.IntN(8) != 0 {
				inc.ResolvedAt = start.Add(time.Duration(rng.IntN(40)) * time.Minute)
			}
			incidents = append(incidents, inc)
		}
		lead := time.Duration(rng.IntN(10)) * time.Minute
		var cands []Candidate
		for _, v := range []float64{2, 5, 7} {
			for _, f := range []time.Duration{0, 2 * time.Minute, 5 * time.Minute} {
				cands = append(cands, Candidate{Name: fmt.Sprint(v, f), For: f, Condition: Threshold{Op: Above, Value: v}},
					Candidate{Name: fmt.Sprint(-v, f), For: f, Condition: Threshold{Op: Below, Value: v}})
			}
		}
		// Shuffle the input order: NewSeries sorts.
		perm := rng.Perm(n)
		st, sv := make([]time.Time, n), make([]float64, n)
		for i, p := range perm {
			st[i], sv[i] = times[p], values[p]
		}
		s, err := NewSeries(st, sv)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := Run(s, slices.Clone(incidents), cands, Options{Lead: lead})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cands {
			want := naiveRun(times, values, incidents, c, lead)
			got := rows[i]
			got.Candidate, got.Condition = "", ""
			if !rowsEqual(got, want) {
				t.Fatalf("seed %d candidate %s:\n sweep %+v\n naive %+v", seed, c.Name, got, want)
			}
		}
	}
}

func rowsEqual(a, b Row) bool {
	return a.Alerts == b.Alerts && a.UsefulAlerts == b.UsefulAlerts && a.IncidentsCaught == b.IncidentsCaught &&
		a.IncidentsMissed == b.IncidentsMissed && sameFloat(a.AlertMinutes, b.AlertMinutes) &&
		sameFloat(a.MedianDetectionDelay, b.MedianDetectionDelay) && sameFloat(a.Precision, b.Precision) && sameFloat(a.Recall, b.Recall)
}

func FuzzParseCandidates(f *testing.F) {
	f.Add(`[{"name":"a","type":"threshold","op":"above","value":1,"for":"5m"}]`)
	f.Add(`[{"type":"burn_rate","objective":99.9,"long":"3d","short":"6h","factor":1}]`)
	f.Add(`[{"type":"control","baseline_points":20,"rules":["nelson-1"]}]`)
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := ParseCandidates([]byte(s))
		if err != nil {
			return
		}
		// Whatever parses must replay without panicking.
		series := perMinuteFuzz(t)
		for _, c := range cs {
			_, _ = Replay(series, c)
		}
	})
}

func perMinuteFuzz(t *testing.T) Series {
	v := []float64{0.99, 0.5, 1, math.NaN(), 0.2, 0.999, 1, 1, 0.9, 0.95}
	times := make([]time.Time, len(v))
	for i := range v {
		times[i] = minute(float64(i))
	}
	s, err := NewSeries(times, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
