package models

// SPCOptions are the options of control chart (SPC) queries: a chart drawn over
// every series another query produces (pkg/metrics/spc). The query's metric
// picks the output: "chart" (value, limits, zones, violations per point) or
// "violations" (how many rule violations each series has in the range, for
// alert rules).
type SPCOptions struct {
	// Chart is xmr (default), xbar-r, xbar-s, p, np, u, c, ewma or cusum.
	Chart string `json:"chart,omitempty"`
	// Rules are run-rule ids (nelson-1..nelson-8, we-1..we-4) or groups
	// (nelson, westernelectric); "none" or an empty list turns them off.
	// Missing: nelson, except for ewma and cusum (which have their own limits).
	Rules []string `json:"rules,omitempty"`
	// Baseline (phase I) the limits are estimated from; missing: every point.
	Baseline *SPCBaseline `json:"baseline,omitempty"`
	// Frozen replaces estimates with known values (center and/or sigma, or
	// center with ucl and lcl).
	Frozen *SPCFrozen `json:"frozen,omitempty"`
	// Subgroup is the subgroup size of xbar-r and xbar-s (2..25): consecutive
	// points of the source series form one subgroup.
	Subgroup int `json:"subgroup,omitempty"`
	// EWMA: weight (0, 1], default 0.2; limit width in sigmas, default 3;
	// limits "exact" (default, narrower at the start) or "asymptotic".
	Lambda     *float64 `json:"lambda,omitempty"`
	L          *float64 `json:"L,omitempty"`
	EWMALimits string   `json:"ewmaLimits,omitempty"`
	// CUSUM: allowance k and decision interval h in sigmas (defaults 0.5 and 5).
	K *float64 `json:"k,omitempty"`
	H *float64 `json:"h,omitempty"`
	// N is a constant sample size for p, np and u charts (the source gives the
	// defectives or defect counts); SizeSource gives one per bucket instead.
	N          *float64 `json:"n,omitempty"`
	SizeSource *Query   `json:"sizeSource,omitempty"`
	// Source is the query whose series are charted: any series-producing
	// query type, bucketed in time.
	Source *Query `json:"source,omitempty"`
}

// SPCBaseline picks the phase I points: the first Points points of each
// series, or those from From to To (RFC 3339, or relative to now such as
// "now-30d"; either end may be left open). A range that starts before the
// dashboard's range is fetched too, so limits from last month apply today.
type SPCBaseline struct {
	Points *int   `json:"points,omitempty"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
}

// SPCFrozen holds limits known in advance (phase II): the process center
// and/or sigma of individual observations, or center with ucl and lcl.
type SPCFrozen struct {
	Center *float64 `json:"center,omitempty"`
	Sigma  *float64 `json:"sigma,omitempty"`
	UCL    *float64 `json:"ucl,omitempty"`
	LCL    *float64 `json:"lcl,omitempty"`
}
