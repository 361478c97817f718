package backtest

import (
	"math"
	"testing"
	"time"
)

// span in minutes from t0, for readable expectations.
type mspan struct {
	start, end float64
	open       bool
}

func alertsInMinutes(as []Alert) []mspan {
	out := make([]mspan, len(as))
	for i, a := range as {
		out[i] = mspan{a.Start.Sub(t0).Minutes(), a.End.Sub(t0).Minutes(), a.Open}
	}
	return out
}

func TestReplayForDuration(t *testing.T) {
	// Condition (value > 70) holds at minutes 2, 3, 4 exactly: three samples
	// spanning 2 minutes from the first.
	three := set(fill(10, 50), 2, 4, 80)
	tests := []struct {
		name   string
		values []float64
		cand   Candidate
		want   []mspan
	}{
		{"for 0 fires at first sample", three, above(70, 0), []mspan{{2, 5, false}}},
		{"holding exactly the duration fires", three, above(70, 2*time.Minute), []mspan{{4, 5, false}}},
		{"one sample short does not fire", three, above(70, 3*time.Minute), []mspan{}},
		{"for between samples waits for the next sample", three, above(70, 90*time.Second), []mspan{{4, 5, false}}},
		{"threshold is strict", set(fill(10, 50), 2, 4, 70), above(70, 0), []mspan{}},
		{"below", set(fill(6, 50), 1, 2, 10), Candidate{For: 0, Condition: Threshold{Op: Below, Value: 20}}, []mspan{{1, 3, false}}},
		{"open at the end", set(fill(6, 50), 3, 5, 80), above(70, time.Minute), []mspan{{4, 5, true}}},
		{"no data resets pending", []float64{80, 80, math.NaN(), 80, 80, 80, 50}, above(70, 2*time.Minute), []mspan{{5, 6, false}}},
		{"no data resolves firing", []float64{80, 80, math.NaN(), 50}, above(70, 0), []mspan{{0, 2, false}}},
		{"two alerts", []float64{80, 50, 80, 80, 50}, above(70, 0), []mspan{{0, 1, false}, {2, 4, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Replay(perMinute(t, tt.values...), tt.cand)
			if err != nil {
				t.Fatal(err)
			}
			gm := alertsInMinutes(got)
			if len(gm) != len(tt.want) {
				t.Fatalf("alerts %v, want %v", gm, tt.want)
			}
			for i := range gm {
				if gm[i] != tt.want[i] {
					t.Errorf("alert %d = %v, want %v", i, gm[i], tt.want[i])
				}
			}
		})
	}
}

func TestReplayIrregularSeries(t *testing.T) {
	// Samples at 0, 1, 5, 6, 8 minutes, given out of order; a gap does not break
	// a run, and for = 5m is met at the sample 5 minutes after the first.
	times := []time.Time{minute(5), minute(0), minute(8), minute(1), minute(6)}
	values := []float64{80, 80, 50, 80, 80}
	s, err := NewSeries(times, values)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Replay(s, above(70, 5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if gm := alertsInMinutes(got); len(gm) != 1 || gm[0] != (mspan{5, 8, false}) {
		t.Errorf("alerts %v, want [{5 8 false}]", gm)
	}
}

func TestNewSeriesErrors(t *testing.T) {
	if _, err := NewSeries([]time.Time{t0}, nil); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := NewSeries([]time.Time{t0}, []float64{math.Inf(1)}); err == nil {
		t.Error("infinite value accepted")
	}
}

func TestReplayErrors(t *testing.T) {
	s := perMinute(t, 1, 2, 3)
	for name, c := range map[string]Candidate{
		"no condition": {Name: "x"},
		"negative for": {Name: "x", For: -time.Minute, Condition: Threshold{Op: Above, Value: 1}},
		"bad op":       {Name: "x", Condition: Threshold{Op: "over", Value: 1}},
	} {
		if _, err := Replay(s, c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
