package spc

import (
	"errors"
	"math"
	"testing"
	"time"
)

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.15g, want %.15g", what, got, want)
	}
}

// Hand-computed charts.
func TestHandComputed(t *testing.T) {
	k2, _ := Constants(2)
	num := func(v float64) func(*Result) float64 { return func(*Result) float64 { return v } }
	for _, c := range []struct {
		name   string
		in     Input
		opt    Options
		checks map[string][2]func(*Result) float64
	}{
		{"xmr signed: LCL below 0", Input{Values: []float64{1, 3, 2, 4}}, Options{Chart: XmR}, map[string][2]func(*Result) float64{
			"center": {func(r *Result) float64 { return r.Center }, num(2.5)},
			"sigma":  {func(r *Result) float64 { return *r.Sigma }, num(5.0 / 3 / 1.128)},
			"ucl":    {func(r *Result) float64 { return *r.UCL }, num(2.5 + 3*5.0/3/1.128)},
			"lcl":    {func(r *Result) float64 { return *r.LCL }, num(2.5 - 3*5.0/3/1.128)},
			"mr ucl": {func(r *Result) float64 { return r.Dispersion.UCL }, num(k2.LD4 * 5.0 / 3)},
			"+2σ":    {func(r *Result) float64 { return r.Line(2)[3] }, num(2.5 + 2*5.0/3/1.128)},
		}},
		{"c chart: LCL clipped at 0", Input{Values: []float64{2, 4, 0, 2}}, Options{Chart: C}, map[string][2]func(*Result) float64{
			"ucl": {func(r *Result) float64 { return *r.UCL }, num(2 + 3*math.Sqrt2)},
			"lcl": {func(r *Result) float64 { return *r.LCL }, num(0)},
		}},
		{"p chart: limits vary with n", Input{Values: []float64{1, 2}, Sizes: []float64{10, 40}}, Options{Chart: P}, map[string][2]func(*Result) float64{
			"center": {func(r *Result) float64 { return r.Center }, num(0.06)},
			"ucl[0]": {func(r *Result) float64 { return r.Points.UCL[0] }, num(0.06 + 3*math.Sqrt(0.06*0.94/10))},
			"ucl[1]": {func(r *Result) float64 { return r.Points.UCL[1] }, num(0.06 + 3*math.Sqrt(0.06*0.94/40))},
			"value":  {func(r *Result) float64 { return r.Points.Value[0] }, num(0.1)},
		}},
		{"xbar-r n=2: A2 Rbar", Input{Values: []float64{1, 3, 2, 2, 4, 6}}, Options{Chart: XbarR, Subgroup: 2}, map[string][2]func(*Result) float64{
			"center": {func(r *Result) float64 { return r.Center }, num(3)},
			"ucl":    {func(r *Result) float64 { return *r.UCL }, num(3 + k2.A2*4.0/3)},
			"r ucl":  {func(r *Result) float64 { return r.Dispersion.UCL }, num(k2.LD4 * 4.0 / 3)},
		}},
		{"cusum", Input{Values: []float64{1, 1, 1, -3}}, Options{Chart: CUSUM, Frozen: unit, H: new(1.0)}, map[string][2]func(*Result) float64{
			"C+[2]":   {func(r *Result) float64 { return r.Points.CPlus[2] }, num(1.5)},
			"C-[3]":   {func(r *Result) float64 { return r.Points.CMinus[3] }, num(2.5)},
			"C+[3]":   {func(r *Result) float64 { return r.Points.Value[3] }, num(0)},
			"signals": {func(r *Result) float64 { return float64(len(r.Violations)) }, num(2)},
		}},
		{"ewma lambda 1 is a Shewhart chart", Input{Values: []float64{0.5, 4}}, Options{Chart: EWMA, Frozen: unit, Lambda: new(1.0)}, map[string][2]func(*Result) float64{
			"ucl":   {func(r *Result) float64 { return *r.UCL }, num(3)},
			"value": {func(r *Result) float64 { return r.Points.Value[1] }, num(4)},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Compute(c.in, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			for what, f := range c.checks {
				near(t, what, f[0](res), f[1](res))
			}
		})
	}
}

func TestCUSUMPoints(t *testing.T) {
	res, _ := Compute(Input{Values: []float64{1, 1, 1, -3}}, Options{Chart: CUSUM, Frozen: unit, H: new(1.0)})
	v := res.Violations
	if len(v) != 2 || v[0].Rule != CUSUMUpper || v[0].Index != 2 || len(v[0].Points) != 3 || v[1].Rule != CUSUMLower || v[1].Index != 3 {
		t.Errorf("%+v", v)
	}
}

func TestBaselineByTime(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var ts []time.Time
	for i := range 6 {
		ts = append(ts, t0.Add(time.Duration(i)*time.Hour))
	}
	from, to := ts[1], ts[3]
	res, err := Compute(Input{Values: []float64{9, 1, 2, 3, 9, 9}, Times: ts},
		Options{Chart: XmR, Rules: []string{"nelson-1"}, Baseline: Baseline{From: &from, To: &to}})
	if err != nil {
		t.Fatal(err)
	}
	if b := res.Baseline; b.First != 1 || b.Last != 3 || !b.From.Equal(from) || !b.To.Equal(to) {
		t.Errorf("baseline %+v", b)
	}
	near(t, "center", res.Center, 2)
	if res.Points.Baseline[0] || !res.Points.Baseline[1] || res.Points.Baseline[4] {
		t.Errorf("baseline column %v", res.Points.Baseline)
	}
	if len(res.Violations) != 3 || !res.Violations[0].Time.Equal(ts[0]) {
		t.Errorf("violations %+v", res.Violations)
	}
	if p := res.At(4); !p.Violations.Has(Nelson1) || !p.Time.Equal(ts[4]) {
		t.Errorf("At(4) = %+v", p)
	}
}

func TestErrors(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		in     Input
		opt    Options
		field  string
		inData bool
	}{
		{"empty", Input{}, Options{Chart: XmR}, "values", true},
		{"NaN", Input{Values: []float64{1, nan}}, Options{Chart: XmR}, "values[1]", true},
		{"Inf", Input{Values: []float64{math.Inf(1), 1}}, Options{Chart: C}, "values[0]", true},
		{"too few for xmr", Input{Values: []float64{1}}, Options{Chart: XmR}, "values", true},
		{"subgroup 1", Input{Values: []float64{1, 2}}, Options{Chart: XbarR, Subgroup: 1}, "subgroup", false},
		{"subgroup 26", Input{Values: repeat(1, 26)}, Options{Chart: XbarS, Subgroup: 26}, "subgroup", false},
		{"n = 0", Input{Values: []float64{0}, Sizes: []float64{0}}, Options{Chart: P}, "sizes[0]", true},
		{"defectives > n", Input{Values: []float64{3}, Sizes: []float64{2}}, Options{Chart: NP}, "values[0]", true},
		{"np varying n", Input{Values: []float64{1, 1}, Sizes: []float64{2, 3}}, Options{Chart: NP}, "sizes", true},
		{"unknown rule", Input{Values: []float64{1, 2}}, Options{Chart: XmR, Rules: []string{"nelson-0"}}, "rules", false},
		{"lambda 0", Input{Values: []float64{1, 2}}, Options{Chart: EWMA, Lambda: new(0.0)}, "lambda", false},
		{"L NaN", Input{Values: []float64{1, 2}}, Options{Chart: EWMA, L: new(nan)}, "L", false},
		{"k < 0", Input{Values: []float64{1, 2}}, Options{Chart: CUSUM, K: new(-1.0)}, "k", false},
		{"h on ewma", Input{Values: []float64{1, 2}}, Options{Chart: EWMA, H: new(4.0)}, "h", false},
		{"chart", Input{Values: []float64{1, 2}}, Options{Chart: "pareto"}, "chart", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compute(c.in, c.opt)
			var e *Error
			if !errors.As(err, &e) || e.Field != c.field || e.InData() != c.inData {
				t.Fatalf("got %v, want an error on %s (in data: %v)", err, c.field, c.inData)
			}
		})
	}
}
