package backtest

import (
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// minute is t0 plus m minutes.
func minute(m float64) time.Time { return t0.Add(time.Duration(m * float64(time.Minute))) }

// perMinute builds a series with one sample a minute from t0.
func perMinute(t *testing.T, values ...float64) Series {
	t.Helper()
	times := make([]time.Time, len(values))
	for i := range values {
		times[i] = minute(float64(i))
	}
	s, err := NewSeries(times, values)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fill returns n copies of v.
func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// set writes v at minutes from..to (inclusive).
func set(xs []float64, from, to int, v float64) []float64 {
	for i := from; i <= to; i++ {
		xs[i] = v
	}
	return xs
}

func inc(id string, start, resolved float64) Incident {
	return Incident{ID: id, StartedAt: minute(start), ResolvedAt: minute(resolved)}
}

// sameFloat treats two NaNs as equal, for "undefined" expectations.
func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) < 1e-12
}

func above(v float64, forDur time.Duration) Candidate {
	return Candidate{Name: "above", For: forDur, Condition: Threshold{Op: Above, Value: v}}
}

var nan = math.NaN()

// assertRow compares every scored field (not the names).
func assertRow(t *testing.T, got, want Row) {
	t.Helper()
	if got.Alerts != want.Alerts || got.UsefulAlerts != want.UsefulAlerts ||
		got.IncidentsCaught != want.IncidentsCaught || got.IncidentsMissed != want.IncidentsMissed ||
		!sameFloat(got.AlertMinutes, want.AlertMinutes) || !sameFloat(got.MedianDetectionDelay, want.MedianDetectionDelay) ||
		!sameFloat(got.Precision, want.Precision) || !sameFloat(got.Recall, want.Recall) {
		t.Errorf("row\n got %+v\nwant %+v", got, want)
	}
}
