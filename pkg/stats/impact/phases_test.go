package impact

import (
	"math"
	"testing"
)

func TestPhaseViewHandComputed(t *testing.T) {
	before := []float64{10, 12, 11, 13, 12, 14, 10, 11} // mean 93/8; moving ranges 2,1,2,1,2,4,1
	after := []float64{9, 10, 9, 11, 8, 9, 10, 9, 10, 12, 9}
	p, err := PhaseView(before, after, LowerIsBetter)
	if err != nil {
		t.Fatal(err)
	}
	center, mr := 93.0/8, 13.0/7
	sigma := mr / 1.128
	want := Limits{N: 8, Center: center, MRBar: mr, Sigma: sigma, UCL: center + 3*sigma, LCL: center - 3*sigma}
	if !limitsClose(p.Before, want) {
		t.Errorf("before limits %+v, want %+v", p.Before, want)
	}
	if p.After.N != 11 || math.Abs(p.After.Center-106.0/11) > 1e-12 || math.Abs(p.After.MRBar-16.0/10) > 1e-12 {
		t.Errorf("after limits %+v", p.After)
	}
	// Points 0..8 are below 11.625 (better), point 9 above, point 10 below.
	if p.BetterRun != (Run{0, 9}) || p.WorseRun != (Run{9, 1}) || !p.SustainedShift || p.ShiftedWorse {
		t.Errorf("runs %+v / %+v, shift %v / %v", p.BetterRun, p.WorseRun, p.SustainedShift, p.ShiftedWorse)
	}
}

func TestSideRuns(t *testing.T) {
	tests := []struct {
		name        string
		xs          []float64
		better      Direction
		best, worst Run
	}{
		{"point on the line breaks a run", []float64{1, 1, 1, 5, 1, 1}, LowerIsBetter, Run{0, 3}, Run{}},
		{"higher is better flips sides", []float64{6, 7, 1, 2, 3}, HigherIsBetter, Run{0, 2}, Run{2, 3}},
		{"first of equal runs", []float64{1, 9, 1}, LowerIsBetter, Run{0, 1}, Run{1, 1}},
		{"empty", nil, LowerIsBetter, Run{}, Run{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best, worst := sideRuns(tt.xs, 5, tt.better)
			if best != tt.best || worst != tt.worst {
				t.Errorf("runs %+v / %+v, want %+v / %+v", best, worst, tt.best, tt.worst)
			}
		})
	}
}

func TestPhaseViewErrors(t *testing.T) {
	if _, err := PhaseView([]float64{1}, []float64{1, 2}, LowerIsBetter); err == nil {
		t.Error("one-point phase accepted")
	}
	if _, err := PhaseView([]float64{1, 2}, []float64{1, 2}, ""); err == nil {
		t.Error("missing direction accepted")
	}
}

func limitsClose(a, b Limits) bool {
	c := func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y)) }
	return a.N == b.N && c(a.Center, b.Center) && c(a.MRBar, b.MRBar) && c(a.Sigma, b.Sigma) && c(a.UCL, b.UCL) && c(a.LCL, b.LCL)
}
