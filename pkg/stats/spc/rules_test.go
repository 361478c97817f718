package spc

import (
	"encoding/json"
	"reflect"
	"testing"
)

// unit freezes center 0 and sigma 1, so zone lines sit at exactly ±1, ±2, ±3.
var unit = Frozen{Center: new(0.0), Sigma: new(1.0)}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func cat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func alternate(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a
		if i%2 == 1 {
			out[i] = b
		}
	}
	return out
}

func TestRuleEdges(t *testing.T) {
	type fire struct {
		index  int
		points []int
	}
	for _, c := range []struct {
		name   string
		rule   Rule
		values []float64
		want   []fire
	}{
		{"8 on one side: no nelson-2", Nelson2, cat([]float64{-1}, repeat(0.5, 8), []float64{-1}), nil},
		{"9 on one side", Nelson2, cat([]float64{-1}, repeat(0.5, 9)), []fire{{9, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}}}},
		{"10 on one side fires twice", Nelson2, repeat(-0.5, 10), []fire{{8, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}}, {9, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}}}},
		{"center line breaks a run", Nelson2, cat(repeat(0.5, 4), []float64{0}, repeat(0.5, 8)), nil},
		{"8 on one side: we-4", WE4, repeat(0.5, 8), []fire{{7, []int{0, 1, 2, 3, 4, 5, 6, 7}}}},
		{"5 rising: no trend", Nelson3, []float64{0.1, 0.2, 0.3, 0.4, 0.5}, nil},
		{"6 rising", Nelson3, []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, []fire{{5, []int{0, 1, 2, 3, 4, 5}}}},
		{"6 falling", Nelson3, []float64{2, 1, 0, -1, -2, -2.5}, []fire{{5, []int{0, 1, 2, 3, 4, 5}}}},
		{"tie breaks a trend", Nelson3, []float64{0.1, 0.2, 0.3, 0.3, 0.4, 0.5}, nil},
		{"13 alternating", Nelson4, alternate(0.5, -0.5, 13), nil},
		{"14 alternating", Nelson4, alternate(0.5, -0.5, 14), []fire{{13, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}}}},
		{"2 of 3 beyond 2σ", Nelson5, []float64{2.5, 0, 2.1}, []fire{{2, []int{0, 2}}}},
		{"2 of 3 at the start", Nelson5, []float64{-2.5, -2.5, 0}, []fire{{1, []int{0, 1}}}},
		{"exactly 2σ is not beyond", Nelson5, repeat(2, 3), nil},
		{"2 of 3 on opposite sides", Nelson5, []float64{2.5, -2.5, 0}, nil},
		{"3 of 5 beyond 1σ", Nelson6, []float64{1.5, 0, 1.5, 0, 1.5}, nil},
		{"4 of 5 beyond 1σ", Nelson6, []float64{1.5, 1.5, 0, 1.5, 1.5}, []fire{{4, []int{0, 1, 3, 4}}}},
		{"14 within 1σ", Nelson7, cat(alternate(0.2, -0.3, 14)), nil},
		{"15 within 1σ", Nelson7, alternate(0.2, 0.3, 15), []fire{{14, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}}}},
		{"7 beyond 1σ", Nelson8, alternate(1.5, -1.5, 7), nil},
		{"8 beyond 1σ either side", Nelson8, alternate(1.5, -1.5, 8), []fire{{7, []int{0, 1, 2, 3, 4, 5, 6, 7}}}},
		{"on the limit is not beyond", Nelson1, []float64{3, -3}, nil},
		{"beyond the limits", Nelson1, []float64{3.001, -4}, []fire{{0, []int{0}}, {1, []int{1}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Compute(Input{Values: c.values}, Options{Chart: XmR, Rules: []string{string(c.rule)}, Frozen: unit})
			if err != nil {
				t.Fatal(err)
			}
			var got []fire
			for _, v := range res.Violations {
				got = append(got, fire{v.Index, v.Points})
				if !res.Points.Violations[v.Index].Has(c.rule) {
					t.Errorf("point %d not marked with %s", v.Index, c.rule)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestParseRules(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
		err  bool
	}{
		{nil, "", false},
		{[]string{"nelson"}, "nelson-1,nelson-2,nelson-3,nelson-4,nelson-5,nelson-6,nelson-7,nelson-8", false},
		{[]string{"westernelectric"}, "we-1,we-2,we-3,we-4", false},
		{[]string{"we-4", " Nelson-1", "nelson-1"}, "nelson-1,we-4", false},
		{[]string{"nelson-9"}, "", true},
		{[]string{"ewma-limit"}, "", true}, // not selectable
		{[]string{""}, "", true},
	} {
		s, err := ParseRules(c.in)
		if (err != nil) != c.err || s.String() != c.want {
			t.Errorf("ParseRules(%q) = %q, %v", c.in, s, err)
		}
	}
	b, _ := json.Marshal([]RuleSet{0, bN1 | bWE4})
	if string(b) != `[[],["nelson-1","we-4"]]` {
		t.Errorf("RuleSet JSON %s", b)
	}
}

// Both Nelson and Western Electric selected: each id fires on its own.
func TestOverlappingGroups(t *testing.T) {
	res, err := Compute(Input{Values: []float64{0, 0, 5}}, Options{Chart: XmR, Rules: []string{"nelson", "westernelectric"}, Frozen: unit})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Points.Violations[2].String(); got != "nelson-1,we-1" {
		t.Errorf("point 2: %s", got)
	}
	if len(res.Violations) != 2 || res.Violations[0].Rule != Nelson1 || res.Violations[1].Rule != WE1 {
		t.Errorf("violations %+v", res.Violations)
	}
}
