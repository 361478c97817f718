package impact

import (
	"testing"
	"time"
)

// A baseline around 100 (mean 100, median 100); lower is better.
var sustainBaseline = []float64{98, 103, 99, 101, 97, 102, 100, 104, 96, 100, 101, 99, 103, 97, 100, 102, 98, 101, 99, 100}

func TestSustain(t *testing.T) {
	tests := []struct {
		name        string
		review      []float64
		want        SustainState
		wantVerdict Verdict
		worseRun    int
	}{
		{
			name:        "gain held",
			review:      []float64{80, 82, 79, 81, 83, 78, 80, 82, 81, 79, 80, 84, 78, 81, 80, 82, 79, 83, 80, 81},
			want:        Sustained,
			wantVerdict: Improved,
		},
		{
			// Median 99.5 < 100, but well inside the baseline's noise.
			name:        "gain no longer significant",
			review:      []float64{99, 102, 98, 100, 97, 101, 99, 103, 96, 100, 101, 98, 102, 97, 99, 101, 98, 100, 99, 100},
			want:        Eroding,
			wantVerdict: NoEvidence,
			worseRun:    1,
		},
		{
			// Fifteen points far better, then nine in a row back above the baseline
			// mean of 100: still significant (SciPy p = 0.01196), but drifting back.
			name: "run back across the baseline centre line",
			review: []float64{70, 72, 71, 69, 70, 73, 71, 70, 72, 71, 70, 71, 70, 72, 71,
				101, 102, 101, 103, 101, 102, 101, 102, 101},
			want:        Eroding,
			wantVerdict: Improved,
			worseRun:    9,
		},
		{
			name:        "gain gone",
			review:      []float64{104, 101, 106, 103, 105, 102, 104, 107, 103, 105, 104, 102, 106, 103, 105, 104, 101, 106, 103, 104},
			want:        Lost,
			wantVerdict: Worsened,
			worseRun:    20,
		},
		{
			name:        "median back to baseline",
			review:      sustainBaseline,
			want:        Lost,
			wantVerdict: NoEvidence,
			worseRun:    1,
		},
		{
			name:        "too few review points",
			review:      []float64{80, 81, 79},
			want:        SustainInsufficientData,
			wantVerdict: InsufficientData,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Sustain(sustainBaseline, tt.review, Options{Better: LowerIsBetter})
			if err != nil {
				t.Fatal(err)
			}
			if s.State != tt.want || s.Review.Verdict != tt.wantVerdict || s.WorseRun.Length != tt.worseRun {
				p := -1.0
				if s.Review.Test != nil {
					p = s.Review.Test.P
				}
				t.Errorf("state %s (verdict %s, p %v, worse run %+v), want %s (verdict %s, worse run %d)",
					s.State, s.Review.Verdict, p, s.WorseRun, tt.want, tt.wantVerdict, tt.worseRun)
			}
		})
	}
	if s, _ := Sustain(sustainBaseline, []float64{80}, Options{Better: LowerIsBetter}); s.Review.Needed.After != 7 {
		t.Errorf("needed %+v, want 7 more after", s.Review.Needed)
	}
}

func TestReviewWindow(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 3, 1+d, 12, 0, 0, 0, time.UTC) }
	times := []time.Time{day(0), day(10), day(20), day(29), day(30), day(31)}
	values := []float64{0, 10, 20, 29, 30, 31}
	got, err := ReviewWindow(times, values, day(30), 20*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// (day 10, day 30]: day 10 is out, day 30 is in.
	want := []float64{20, 29, 30}
	if len(got) != len(want) {
		t.Fatalf("window %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("window %v, want %v", got, want)
		}
	}
	if _, err := ReviewWindow(times, values[:2], day(30), time.Hour); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := ReviewWindow(times, values, day(30), 0); err == nil {
		t.Error("zero length accepted")
	}
}
