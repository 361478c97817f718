package impact

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// goldenCase is one file written by scripts/golden/impact.py.
type goldenCase struct {
	Name     string    `json:"name"`
	Better   Direction `json:"better"`
	Alpha    float64   `json:"alpha"`
	MinN     int       `json:"min_n"`
	Before   []float64 `json:"before"`
	After    []float64 `json:"after"`
	Expected struct {
		Before, After struct {
			N      int     `json:"n"`
			Median float64 `json:"median"`
			Mean   float64 `json:"mean"`
		}
		Change            float64   `json:"change"`
		RelativeChange    *float64  `json:"relative_change"`
		InBetterDirection bool      `json:"in_better_direction"`
		U                 *float64  `json:"u"`
		PValue            *float64  `json:"p_value"`
		CI95Reference     []float64 `json:"ci95_reference"`
		SPC               *struct {
			Before, After  goldenLimits
			BetterRun      Run  `json:"longest_better_run"`
			WorseRun       Run  `json:"longest_worse_run"`
			SustainedShift bool `json:"sustained_shift"`
			ShiftedWorse   bool `json:"shifted_worse"`
		} `json:"spc"`
		Verdict Verdict `json:"verdict"`
		Needed  struct {
			Before int `json:"before"`
			After  int `json:"after"`
		} `json:"needed"`
	} `json:"expected"`
}

type goldenLimits struct {
	Center float64 `json:"center"`
	MRBar  float64 `json:"mr_bar"`
	UCL    float64 `json:"ucl"`
	LCL    float64 `json:"lcl"`
}

const goldenTol = 1e-9

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "impact", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden vectors in testdata/impact (run python3 scripts/golden/impact.py): %v", err)
	}
	var cases []goldenCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c goldenCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// relClose compares to 1e-9 relative, with an absolute floor of 1e-300 so
// exact zeros compare equal.
func relClose(got, want float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= goldenTol*math.Max(math.Abs(want), 1e-300)
}

func TestGoldenSciPy(t *testing.T) {
	for _, c := range loadGolden(t) {
		t.Run(c.Name, func(t *testing.T) {
			e := c.Expected
			r, err := Analyze(c.Before, c.After, Options{Better: c.Better, Alpha: c.Alpha, MinN: c.MinN, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, got, want float64) {
				t.Helper()
				if !relClose(got, want) {
					t.Errorf("%s = %.17g, SciPy/NumPy %.17g", what, got, want)
				}
			}
			if r.Before.N != e.Before.N || r.After.N != e.After.N {
				t.Errorf("n = %d/%d, want %d/%d", r.Before.N, r.After.N, e.Before.N, e.After.N)
			}
			check("before median", r.Before.Median, e.Before.Median)
			check("before mean", r.Before.Mean, e.Before.Mean)
			check("after median", r.After.Median, e.After.Median)
			check("after mean", r.After.Mean, e.After.Mean)
			check("change", r.Change, e.Change)
			if e.RelativeChange == nil {
				if !math.IsNaN(r.RelativeChange) {
					t.Errorf("relative change = %v, want undefined (NaN)", r.RelativeChange)
				}
			} else {
				check("relative change", r.RelativeChange, *e.RelativeChange)
			}
			if r.InBetterDirection != e.InBetterDirection {
				t.Errorf("in better direction = %v, want %v", r.InBetterDirection, e.InBetterDirection)
			}
			if r.Verdict != e.Verdict {
				t.Errorf("verdict = %s, want %s", r.Verdict, e.Verdict)
			}
			if r.Needed.Before != e.Needed.Before || r.Needed.After != e.Needed.After {
				t.Errorf("needed = %+v, want %+v", r.Needed, e.Needed)
			}
			if e.U == nil {
				if r.Test != nil || r.CI95 != nil {
					t.Errorf("test/interval computed for insufficient data: %+v %+v", r.Test, r.CI95)
				}
				return
			}
			if r.Test == nil {
				t.Fatal("no test result")
			}
			check("U", r.Test.U, *e.U)
			check("p", r.Test.P, *e.PValue)
			if e.SPC != nil {
				p := r.Phases
				for _, ph := range []struct {
					name string
					got  Limits
					want goldenLimits
				}{{"before", p.Before, e.SPC.Before}, {"after", p.After, e.SPC.After}} {
					check(ph.name+" center", ph.got.Center, ph.want.Center)
					check(ph.name+" mr_bar", ph.got.MRBar, ph.want.MRBar)
					check(ph.name+" ucl", ph.got.UCL, ph.want.UCL)
					check(ph.name+" lcl", ph.got.LCL, ph.want.LCL)
				}
				if p.BetterRun != e.SPC.BetterRun || p.WorseRun != e.SPC.WorseRun ||
					p.SustainedShift != e.SPC.SustainedShift || p.ShiftedWorse != e.SPC.ShiftedWorse {
					t.Errorf("spc runs %+v %+v %v %v, want %+v", p.BetterRun, p.WorseRun, p.SustainedShift, p.ShiftedWorse, *e.SPC)
				}
			}
			if ref := e.CI95Reference; ref != nil {
				// Different PRNGs: agree within a tenth of the interval's width.
				tol := 0.1 * (ref[1] - ref[0])
				if math.Abs(r.CI95.Lo-ref[0]) > tol || math.Abs(r.CI95.Hi-ref[1]) > tol {
					t.Errorf("ci95 = [%g, %g], NumPy bootstrap [%g, %g] (tolerance %g)", r.CI95.Lo, r.CI95.Hi, ref[0], ref[1], tol)
				}
			}
		})
	}
}

// TestMannWhitneyUDirect covers the exported test function on the golden
// vectors too, including sizes below min-n (where Analyze skips the test).
func TestMannWhitneyUDirect(t *testing.T) {
	for _, c := range loadGolden(t) {
		if c.Expected.U == nil {
			continue
		}
		mw, err := MannWhitneyU(c.After, c.Before)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if !relClose(mw.U, *c.Expected.U) || !relClose(mw.P, *c.Expected.PValue) {
			t.Errorf("%s: U, p = %v, %v; SciPy %v, %v", c.Name, mw.U, mw.P, *c.Expected.U, *c.Expected.PValue)
		}
	}
}
