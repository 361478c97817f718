package backtest

import (
	"math"
	"strings"
	"testing"
)

func TestControlLimitsHandComputed(t *testing.T) {
	// Baseline (first 10): 10,12 alternating → centre 11, mean moving range 2,
	// sigma 2/1.128 ≈ 1.773, UCL ≈ 16.32. Then 11, 11 (on the centre line),
	// 20 (beyond UCL: nelson-1 at 12), 11, ten 12s at 14..23 (above the
	// centre: nelson-2 at the 9th and 10th, 22 and 23; we-4 at 21..23), 10.
	v := []float64{10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 11, 11, 20, 11}
	v = append(v, fill(10, 12)...)
	v = append(v, 10, 10)
	tests := []struct {
		name  string
		rules []string
		want  []mspan
	}{
		{"nelson-1", []string{"nelson-1"}, []mspan{{12, 13, false}}},
		{"nelson-1 and 2", []string{"nelson-1", "nelson-2"}, []mspan{{12, 13, false}, {22, 24, false}}},
		{"we-4", []string{"we-4"}, []mspan{{21, 24, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Candidate{Name: tt.name, Condition: ControlLimits{BaselinePoints: 10, Rules: tt.rules}}
			got, err := Replay(perMinute(t, v...), c)
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

	// A sample without data inside the run is left out of the chart: the run
	// goes on, and nelson-2 fires at the 9th sample with data (minute 23).
	withGap := append([]float64(nil), v...)
	withGap[18] = math.NaN()
	got, err := Replay(perMinute(t, withGap...), Candidate{Condition: ControlLimits{BaselinePoints: 10, Rules: []string{"nelson-2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if gm := alertsInMinutes(got); len(gm) != 1 || gm[0] != (mspan{23, 24, false}) {
		t.Errorf("with a gap: alerts %v, want [{23 24 false}]", gm)
	}
}

func TestControlLimitsErrors(t *testing.T) {
	s := perMinute(t, 1, 2, 3, 4)
	tests := []struct {
		c    ControlLimits
		want string
	}{
		{ControlLimits{BaselinePoints: 1, Rules: []string{"nelson-1"}}, "at least 2"},
		{ControlLimits{BaselinePoints: 3}, "choose at least one"},
		{ControlLimits{BaselinePoints: 3, Rules: []string{"nelson-9"}}, "unknown rule"},
		{ControlLimits{BaselinePoints: 5, Rules: []string{"nelson-1"}}, "has 4 samples"},
	}
	for _, tt := range tests {
		err := tt.c.Eval(s, make([]bool, s.Len()))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err %v, want it to mention %q", tt.c, err, tt.want)
		}
	}
}
