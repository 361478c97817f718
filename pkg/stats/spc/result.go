package spc

import "time"

// Result is a computed chart. Per-point data is columnar (Points) so it maps
// straight onto data-frame fields and uPlot series.
type Result struct {
	Chart  Chart   `json:"chart"`
	Center float64 `json:"center"`
	// UCL, LCL and Sigma (of the plotted statistic) are set when every point
	// has the same limits; nil when they vary per point.
	UCL          *float64 `json:"ucl"`
	LCL          *float64 `json:"lcl"`
	Sigma        *float64 `json:"sigma"`
	ProcessSigma *float64 `json:"processSigma,omitempty"` // sigma of individual observations (not attribute charts)
	Target       *float64 `json:"target,omitempty"`       // ewma, cusum: the in-control mean
	Params       Params   `json:"params"`
	// Baseline is the phase I range the estimates came from; nil when
	// everything was frozen by the user.
	Baseline   *BaselineRange `json:"baseline"`
	Points     Points         `json:"points"`
	Violations []Violation    `json:"violations"` // by index, then rule order
	Dispersion *Dispersion    `json:"dispersion,omitempty"`
}

// Params echoes the effective chart parameters.
type Params struct {
	Subgroup   int      `json:"subgroup,omitempty"`
	Lambda     *float64 `json:"lambda,omitempty"`
	L          *float64 `json:"L,omitempty"`
	EWMALimits string   `json:"ewmaLimits,omitempty"`
	K          *float64 `json:"k,omitempty"`
	H          *float64 `json:"h,omitempty"`
}

// BaselineRange is the inclusive index range of the phase I points.
type BaselineRange struct {
	First int        `json:"first"`
	Last  int        `json:"last"`
	From  *time.Time `json:"from,omitempty"`
	To    *time.Time `json:"to,omitempty"`
}

// Points holds one entry per plotted point in each column. Center, UCL, LCL
// and Sigma share the scale of Value.
type Points struct {
	Time        []time.Time `json:"time,omitempty"`
	Value       []float64   `json:"value"`
	Center      []float64   `json:"center"`
	UCL         []float64   `json:"ucl"`
	LCL         []float64   `json:"lcl"`
	Sigma       []float64   `json:"sigma"`
	N           []float64   `json:"n,omitempty"`           // p, np, u: sample size
	Observation []float64   `json:"observation,omitempty"` // ewma, cusum: the raw x_i
	CPlus       []float64   `json:"cplus,omitempty"`       // cusum: C+ (= Value)
	CMinus      []float64   `json:"cminus,omitempty"`      // cusum: C- (>= 0; draw as -C- against LCL)
	Baseline    []bool      `json:"baseline"`
	Violations  []RuleSet   `json:"violations"` // rules completed at this point
}

// Violation is one rule firing at Index (the point that completes it); Points
// are the indices that make it up.
type Violation struct {
	Rule   Rule       `json:"rule"`
	Index  int        `json:"index"`
	Time   *time.Time `json:"time,omitempty"`
	Points []int      `json:"points"`
}

// Dispersion is the companion chart of XmR (mr) and X-bar (r, s). Index maps
// its points to main-chart points (mr starts at 1). Limits are constant.
type Dispersion struct {
	Chart      string      `json:"chart"`
	Center     float64     `json:"center"`
	UCL        float64     `json:"ucl"`
	LCL        float64     `json:"lcl"`
	Index      []int       `json:"index"`
	Value      []float64   `json:"value"`
	Violations []Violation `json:"violations"`
}

// Len is the number of plotted points.
func (r *Result) Len() int { return len(r.Points.Value) }

// Line returns center + k sigma per point: the ±1σ and ±2σ zone lines (k = ±1, ±2).
func (r *Result) Line(k float64) []float64 {
	out := make([]float64, r.Len())
	for i := range out {
		out[i] = r.Points.Center[i] + k*r.Points.Sigma[i]
	}
	return out
}

// Point is one row of Points.
type Point struct {
	Index      int
	Time       *time.Time
	Value      float64
	Center     float64
	UCL        float64
	LCL        float64
	Sigma      float64
	Baseline   bool
	Violations RuleSet
}

// At returns point i as a row.
func (r *Result) At(i int) Point {
	p := &r.Points
	pt := Point{Index: i, Value: p.Value[i], Center: p.Center[i], UCL: p.UCL[i], LCL: p.LCL[i],
		Sigma: p.Sigma[i], Baseline: p.Baseline[i], Violations: p.Violations[i]}
	if p.Time != nil {
		pt.Time = &p.Time[i]
	}
	return pt
}
