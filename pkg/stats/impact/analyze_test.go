package impact

import (
	"math"
	"reflect"
	"testing"
)

func TestOptionsValidation(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	tests := []struct {
		name string
		opts Options
		in   []float64
		ok   bool
	}{
		{"defaults", Options{Better: LowerIsBetter}, x, true},
		{"no direction", Options{}, x, false},
		{"bad direction", Options{Better: "up"}, x, false},
		{"alpha 1", Options{Better: HigherIsBetter, Alpha: 1}, x, false},
		{"alpha negative", Options{Better: HigherIsBetter, Alpha: -0.1}, x, false},
		{"min-n 1", Options{Better: HigherIsBetter, MinN: 1}, x, false},
		{"few resamples", Options{Better: HigherIsBetter, Resamples: 50}, x, false},
		{"NaN value", Options{Better: HigherIsBetter}, []float64{1, math.NaN()}, false},
		{"Inf value", Options{Better: HigherIsBetter}, []float64{math.Inf(1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyze(x, tt.in, tt.opts)
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestParseDirection(t *testing.T) {
	for in, want := range map[string]Direction{"lower": LowerIsBetter, " Higher ": HigherIsBetter} {
		if got, err := ParseDirection(in); err != nil || got != want {
			t.Errorf("ParseDirection(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseDirection("down"); err == nil {
		t.Error("ParseDirection(down) accepted")
	}
}

func TestVerdictRule(t *testing.T) {
	tests := []struct {
		p, change float64
		better    Direction
		want      Verdict
	}{
		{0.01, -2, LowerIsBetter, Improved},
		{0.01, 2, LowerIsBetter, Worsened},
		{0.01, 2, HigherIsBetter, Improved},
		{0.01, -2, HigherIsBetter, Worsened},
		{0.05, -2, LowerIsBetter, NoEvidence}, // p == alpha is not significant
		{0.01, 0, LowerIsBetter, NoEvidence},  // significant but medians equal
		{0.6, -2, LowerIsBetter, NoEvidence},
	}
	for _, tt := range tests {
		if got := verdict(tt.p, 0.05, tt.change, tt.better); got != tt.want {
			t.Errorf("verdict(p=%v, change=%v, %s) = %s, want %s", tt.p, tt.change, tt.better, got, tt.want)
		}
	}
}

func TestAnalyzeDoesNotModifyInput(t *testing.T) {
	before := []float64{5, 3, 4, 1, 2, 9, 8, 7, 6}
	after := []float64{3, 1, 2, 1, 0, 4, 2, 3, 1}
	b0, a0 := append([]float64(nil), before...), append([]float64(nil), after...)
	if _, err := Analyze(before, after, Options{Better: LowerIsBetter}); err != nil {
		t.Fatal(err)
	}
	for i := range before {
		if before[i] != b0[i] {
			t.Fatal("before was modified")
		}
	}
	for i := range after {
		if after[i] != a0[i] {
			t.Fatal("after was modified")
		}
	}
}

// TestNoIntervalSkipsOnlyTheInterval: without the bootstrap the verdict, test, change
// and phases are the same; only CI95 is missing.
func TestNoIntervalSkipsOnlyTheInterval(t *testing.T) {
	before := []float64{30, 32, 29, 35, 31, 33, 30, 34, 36, 31, 32, 30}
	after := []float64{22, 25, 21, 24, 23, 26, 22, 20, 24, 23, 25, 21}
	full, err := Analyze(before, after, Options{Better: LowerIsBetter})
	if err != nil {
		t.Fatal(err)
	}
	quick, err := Analyze(before, after, Options{Better: LowerIsBetter, NoInterval: true})
	if err != nil {
		t.Fatal(err)
	}
	if full.CI95 == nil || quick.CI95 != nil {
		t.Fatalf("CI95: with the interval %v, without %v", full.CI95, quick.CI95)
	}
	full.CI95 = nil
	if !reflect.DeepEqual(full, quick) {
		t.Fatalf("results differ beyond the interval:\n%+v\n%+v", full, quick)
	}
	if quick.Verdict != Improved {
		t.Fatalf("verdict %s, want improved", quick.Verdict)
	}
}
