package spc

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFlagsOnly: with Options.FlagsOnly every point carries the same rules as in
// a full computation, and no violation list is built, on every chart kind, with
// every run rule selected.
func TestFlagsOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	values := make([]float64, 3000)
	sizes := make([]float64, len(values))
	for i := range values {
		// noise, with drifts and spikes so that every rule fires somewhere
		values[i] = 20 + rng.NormFloat64()*2
		if i%500 > 420 {
			values[i] += 4
		}
		if i%97 == 0 {
			values[i] += 12
		}
		sizes[i] = 100
	}
	all := []string{"nelson", "westernelectric"}
	b := 200
	for _, c := range []struct {
		name string
		in   Input
		opt  Options
	}{
		{"xmr", Input{Values: values}, Options{Chart: XmR, Rules: all, Baseline: Baseline{Points: &b}}},
		{"xbar-r", Input{Values: values}, Options{Chart: XbarR, Subgroup: 5, Rules: all}},
		{"p", Input{Values: values, Sizes: sizes}, Options{Chart: P, Rules: all}},
		{"ewma", Input{Values: values}, Options{Chart: EWMA, Baseline: Baseline{Points: &b}}},
		{"cusum", Input{Values: values}, Options{Chart: CUSUM, Baseline: Baseline{Points: &b}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			full, err := Compute(c.in, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			c.opt.FlagsOnly = true
			flags, err := Compute(c.in, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Violations) < 10 {
				t.Fatalf("only %d violations in the full chart: the test data fires too little", len(full.Violations))
			}
			marked := 0
			for _, v := range full.Points.Violations {
				if v != 0 {
					marked++
				}
			}
			if !slices.Equal(flags.Points.Violations, full.Points.Violations) {
				t.Fatalf("per-point rules differ with FlagsOnly")
			}
			if len(flags.Violations) != 0 || (flags.Dispersion != nil && len(flags.Dispersion.Violations) != 0) {
				t.Fatalf("FlagsOnly listed %d violations", len(flags.Violations))
			}
			// Every rule of the full list is marked at its point.
			for _, v := range full.Violations {
				if !flags.Points.Violations[v.Index].Has(v.Rule) {
					t.Fatalf("%s at %d is not marked", v.Rule, v.Index)
				}
			}
			t.Logf("%d violations at %d points", len(full.Violations), marked)
		})
	}
}
