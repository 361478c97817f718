package kaizen_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/stats/impact"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// golden is one case of testdata/impact (scripts/golden/impact.py: SciPy and NumPy).
type golden struct {
	Name     string    `json:"name"`
	Better   string    `json:"better"`
	Alpha    float64   `json:"alpha"`
	MinN     int       `json:"min_n"`
	Before   []float64 `json:"before"`
	After    []float64 `json:"after"`
	Expected struct {
		Before, After struct {
			N      int     `json:"n"`
			Median float64 `json:"median"`
		}
		Change  float64  `json:"change"`
		U       *float64 `json:"u"`
		PValue  *float64 `json:"p_value"`
		Verdict string   `json:"verdict"`
		Needed  struct {
			Before int `json:"before"`
			After  int `json:"after"`
		} `json:"needed"`
	} `json:"expected"`
}

func loadGolden(t *testing.T) []golden {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "impact", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden vectors in testdata/impact: %v", err)
	}
	var out []golden
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g golden
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, g)
	}
	return out
}

// deployedAt is where every golden event's windows meet.
var deployedAt = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// storeGolden writes a golden case as a stored event over one point per day: the
// before values on the days before deployedAt, the after values from it, in order.
// Lower-is-better cases target MTTR (the catalog says lower is better); the others
// target a KPI's daily value, whose direction the event's expected_direction gives.
func storeGolden(t *testing.T, st store.Store, g golden, now time.Time) {
	t.Helper()
	first := deployedAt.AddDate(0, 0, -len(g.Before))
	values := append(append([]float64(nil), g.Before...), g.After...)
	id := strings.ReplaceAll(g.Name, "_", "-")
	var target, direction string
	if g.Better == "lower" {
		ingestNDJSON(t, st, "incidents", dailyIncidents(id, first, values), now)
		target = mttrTarget(id)
	} else {
		ingestNDJSON(t, st, "kpi-samples", dailySamples(g.Name, first, values), now)
		target = fmt.Sprintf(`{"queryType":"kpi","metric":"value","stat":"median","bucket":"1d","kpi":{"kpis":["%s"]}}`, g.Name)
		direction = `,"expected_direction":"higher"`
	}
	createEvent(t, st, fmt.Sprintf(`{"id":"%s","name":"%s","target":%s%s,"proposed_at":"2024-01-01T00:00:00Z","deployed_at":"%s","baseline_days":%d,"after_days":%d,"review_days":"none"}`,
		id, g.Name, target, direction, deployedAt.Format(time.RFC3339), len(g.Before), len(g.After)), now)
}

// TestImpactThroughTheStoreMatchesThePureFunctions: every golden vector, stored as
// a daily series and measured by the impact query, gives exactly what
// impact.Analyze gives on the same values (and so what SciPy gives, to 1e-9):
// ties, unequal sizes, lower and higher is better, too little data on one side.
func TestImpactThroughTheStoreMatchesThePureFunctions(t *testing.T) {
	cases := loadGolden(t)
	storetest.Each(t, func(t *testing.T, st store.Store) {
		now := deployedAt.AddDate(0, 0, 400)
		for _, g := range cases {
			storeGolden(t, st, g, now)
		}
		for _, g := range cases {
			t.Run(g.Name, func(t *testing.T) {
				id := strings.ReplaceAll(g.Name, "_", "-")
				q := fmt.Sprintf(`{"queryType":"kaizen","metric":"impact","format":"table","kaizen":{"events":["%s"],"alpha":%v,"minN":%d,"seed":7}}`, id, g.Alpha, g.MinN)
				f := run(t, st, q, deployedAt.AddDate(-2, 0, 0), now, now)[0]
				if f.Rows() != 1 {
					t.Fatalf("%d rows", f.Rows())
				}
				want, err := impact.Analyze(g.Before, g.After, impact.Options{Better: impact.Direction(g.Better), Alpha: g.Alpha, MinN: g.MinN, Seed: 7})
				if err != nil {
					t.Fatal(err)
				}
				same := func(col string, w float64) {
					t.Helper()
					got := cell(t, f, col, 0)
					if math.IsNaN(w) {
						if got != nil {
							t.Errorf("%s = %v, want null", col, got)
						}
						return
					}
					if got == nil || got.(float64) != w {
						t.Errorf("%s = %v, pure impact.Analyze %.17g", col, got, w)
					}
				}
				if got := cell(t, f, "before_n", 0); got != int64(len(g.Before)) {
					t.Fatalf("before_n = %v, want %d (the stored series lost or gained points)", got, len(g.Before))
				}
				if got := cell(t, f, "after_n", 0); got != int64(len(g.After)) {
					t.Fatalf("after_n = %v, want %d", got, len(g.After))
				}
				same("before_median", want.Before.Median)
				same("after_median", want.After.Median)
				same("before_mean", want.Before.Mean)
				same("after_mean", want.After.Mean)
				same("change", want.Change)
				same("relative_change", want.RelativeChange)
				if got := cell(t, f, "verdict", 0); got != string(want.Verdict) || got != g.Expected.Verdict {
					t.Errorf("verdict %v, pure %s, SciPy case %s", got, want.Verdict, g.Expected.Verdict)
				}
				if want.Test == nil {
					if cell(t, f, "p_value", 0) != nil || cell(t, f, "verdict_code", 0) != nil {
						t.Errorf("a test was reported without enough data")
					}
					if cell(t, f, "needed_before", 0) != int64(g.Expected.Needed.Before) || cell(t, f, "needed_after", 0) != int64(g.Expected.Needed.After) {
						t.Errorf("needed %v/%v, want %d/%d", cell(t, f, "needed_before", 0), cell(t, f, "needed_after", 0), g.Expected.Needed.Before, g.Expected.Needed.After)
					}
					if note := cell(t, f, "note", 0).(string); !strings.Contains(note, "for a verdict") {
						t.Errorf("note %q does not say how many points are missing", note)
					}
					return
				}
				same("u", want.Test.U)
				same("p_value", want.Test.P)
				same("ci95_low", want.CI95.Lo)
				same("ci95_high", want.CI95.Hi)
				same("before_cl", want.Phases.Before.Center)
				same("before_ucl", want.Phases.Before.UCL)
				same("after_lcl", want.Phases.After.LCL)
				if cell(t, f, "sustained_shift", 0) != want.Phases.SustainedShift {
					t.Errorf("sustained_shift %v, want %v", cell(t, f, "sustained_shift", 0), want.Phases.SustainedShift)
				}
				// And SciPy's numbers themselves.
				if u, p := cell(t, f, "u", 0).(float64), cell(t, f, "p_value", 0).(float64); !relClose(u, *g.Expected.U) || !relClose(p, *g.Expected.PValue) {
					t.Errorf("U, p = %v, %v; SciPy %v, %v", u, p, *g.Expected.U, *g.Expected.PValue)
				}
				if code := cell(t, f, "verdict_code", 0).(float64); code != map[string]float64{"improved": 1, "no-evidence": 0, "worsened": -1}[g.Expected.Verdict] {
					t.Errorf("verdict_code %v for %s", code, g.Expected.Verdict)
				}
			})
		}
	})
}
