package spc

import "time"

// Chart names a control chart.
type Chart string

const (
	XmR   Chart = "xmr"
	XbarR Chart = "xbar-r"
	XbarS Chart = "xbar-s"
	P     Chart = "p"
	NP    Chart = "np"
	U     Chart = "u"
	C     Chart = "c"
	EWMA  Chart = "ewma"
	CUSUM Chart = "cusum"
)

// Charts lists every chart in a stable order.
var Charts = []Chart{XmR, XbarR, XbarS, P, NP, U, C, EWMA, CUSUM}

func (c Chart) valid() bool {
	for _, k := range Charts {
		if c == k {
			return true
		}
	}
	return false
}

func (c Chart) subgrouped() bool { return c == XbarR || c == XbarS }
func (c Chart) attribute() bool  { return c == P || c == NP || c == U || c == C }
func (c Chart) sized() bool      { return c == P || c == NP || c == U }
func (c Chart) individual() bool { return c == XmR || c == EWMA || c == CUSUM }

// Input is the data. For X-bar charts Values are consecutive subgroups of
// Options.Subgroup values; for p/np they are defectives and for u/c defect
// counts, with Sizes the sample size (p, np) or inspection units (u).
type Input struct {
	Values []float64
	Sizes  []float64
	Times  []time.Time // optional, one per value, non-decreasing
}

// Options selects the chart and how its limits are set. Nil pointers take
// defaults: lambda 0.2, L 3, k 0.5, h 5.
type Options struct {
	Chart      Chart    `json:"chart"`
	Subgroup   int      `json:"subgroup,omitempty"`
	Rules      []string `json:"rules,omitempty"` // ids (nelson-1, we-2) or groups (nelson, westernelectric)
	Baseline   Baseline `json:"baseline,omitzero"`
	Frozen     Frozen   `json:"frozen,omitzero"`
	Lambda     *float64 `json:"lambda,omitempty"`
	L          *float64 `json:"L,omitempty"`
	EWMALimits string   `json:"ewmaLimits,omitempty"` // "exact" (default) or "asymptotic"
	K          *float64 `json:"k,omitempty"`
	H          *float64 `json:"h,omitempty"`
	// FlagsOnly marks each point's completed rules in Points.Violations and
	// leaves the violation lists (Result.Violations, Dispersion.Violations)
	// empty, for callers that only ask which points fire: a year of one-minute
	// points can complete a rule 10⁶ times, and building a Violation with its
	// points for each dominated a backtest's time.
	FlagsOnly bool `json:"-"`
}

// Baseline picks the phase I points: the first Points plotted points
// (subgroups for X-bar charts), or those with From <= time <= To (either end
// may be open). The zero value means all points.
type Baseline struct {
	Points *int       `json:"points,omitempty"`
	From   *time.Time `json:"from,omitempty"`
	To     *time.Time `json:"to,omitempty"`
}

func (b Baseline) isZero() bool { return b.Points == nil && b.From == nil && b.To == nil }

// Frozen holds user-given limits: Center and/or Sigma (of individual
// observations; not for attribute charts, whose sigma follows from the
// center), or Center with UCL and LCL. What is not given is estimated from
// the baseline.
type Frozen struct {
	Center *float64 `json:"center,omitempty"`
	Sigma  *float64 `json:"sigma,omitempty"`
	UCL    *float64 `json:"ucl,omitempty"`
	LCL    *float64 `json:"lcl,omitempty"`
}
