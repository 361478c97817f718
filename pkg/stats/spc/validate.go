package spc

import (
	"fmt"
	"math"
	"time"
)

// plan is a validated request: everything the chart code needs to know.
type plan struct {
	chart       Chart
	sub         int // subgroup size; 1 for individual and attribute charts
	m           int // plotted points
	rules       RuleSet
	times       []time.Time // per plotted point, or nil
	frozen      Frozen
	full        bool // nothing left to estimate
	first, last int  // baseline, inclusive
	lambda, l   float64
	k, h        float64
	asymptotic  bool
	flagsOnly   bool // mark points, list no violations
}

func finite(field string, xs []float64) error {
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errf(fmt.Sprintf("%s[%d]", field, i), "%v is not a finite number", v)
		}
	}
	return nil
}

func validate(in Input, opt Options) (*plan, error) {
	pl := &plan{chart: opt.Chart, sub: 1}
	if !opt.Chart.valid() {
		return nil, errf("chart", "unknown chart %q (known: xmr, xbar-r, xbar-s, p, np, u, c, ewma, cusum)", opt.Chart)
	}
	n := len(in.Values)
	if n == 0 {
		return nil, errf("values", "no values")
	}
	if err := finite("values", in.Values); err != nil {
		return nil, err
	}
	if opt.Chart.subgrouped() {
		if opt.Subgroup < MinSubgroup || opt.Subgroup > MaxSubgroup {
			return nil, errf("subgroup", "the %s chart needs a subgroup size between 2 and 25, got %d", opt.Chart, opt.Subgroup)
		}
		if n%opt.Subgroup != 0 {
			return nil, errf("values", "%d values do not split into subgroups of %d", n, opt.Subgroup)
		}
		pl.sub = opt.Subgroup
	} else if opt.Subgroup != 0 && opt.Subgroup != 1 {
		return nil, errf("subgroup", "only xbar-r and xbar-s take a subgroup size")
	}
	pl.m = n / pl.sub
	if err := pl.params(opt); err != nil {
		return nil, err
	}
	if err := pl.sizes(in); err != nil {
		return nil, err
	}
	if err := pl.timesOf(in.Times, n); err != nil {
		return nil, err
	}
	rules, err := ParseRules(opt.Rules)
	if err != nil {
		return nil, err
	}
	if rules != 0 && (opt.Chart == EWMA || opt.Chart == CUSUM) {
		return nil, errf("rules", "run rules do not apply to the %s chart (its points are autocorrelated; it reports its own limit violations)", opt.Chart)
	}
	pl.rules = rules
	pl.flagsOnly = opt.FlagsOnly
	if err := pl.frozenOf(opt.Frozen, in.Sizes); err != nil {
		return nil, err
	}
	if err := pl.baseline(opt.Baseline); err != nil {
		return nil, err
	}
	return pl, nil
}

func (pl *plan) params(opt Options) error {
	type param struct {
		name  string
		v     *float64
		ok    func(float64) bool
		want  string
		owner Chart
		def   float64
		dst   *float64
	}
	for _, p := range []param{
		{"lambda", opt.Lambda, func(v float64) bool { return v > 0 && v <= 1 }, "in (0, 1]", EWMA, 0.2, &pl.lambda},
		{"L", opt.L, func(v float64) bool { return v > 0 }, "> 0", EWMA, 3, &pl.l},
		{"k", opt.K, func(v float64) bool { return v >= 0 }, ">= 0", CUSUM, 0.5, &pl.k},
		{"h", opt.H, func(v float64) bool { return v > 0 }, "> 0", CUSUM, 5, &pl.h},
	} {
		*p.dst = p.def
		if p.v == nil {
			continue
		}
		if v := *p.v; math.IsNaN(v) || math.IsInf(v, 0) || !p.ok(v) {
			return errf(p.name, "must be %s, got %v", p.want, v)
		}
		if opt.Chart != p.owner {
			return errf(p.name, "only the %s chart takes %s", p.owner, p.name)
		}
		*p.dst = *p.v
	}
	switch opt.EWMALimits {
	case "", "exact":
	case "asymptotic":
		pl.asymptotic = true
	default:
		return errf("ewmaLimits", "must be exact or asymptotic, got %q", opt.EWMALimits)
	}
	if opt.EWMALimits != "" && opt.Chart != EWMA {
		return errf("ewmaLimits", "only the ewma chart takes ewmaLimits")
	}
	return nil
}

func (pl *plan) sizes(in Input) error {
	c := pl.chart
	if in.Sizes == nil {
		if c.sized() {
			return errf("sizes", "the %s chart needs a sample size per value", c)
		}
	} else {
		if !c.sized() {
			return errf("sizes", "the %s chart takes no sample sizes", c)
		}
		if len(in.Sizes) != len(in.Values) {
			return errf("sizes", "%d sizes for %d values; give one per value", len(in.Sizes), len(in.Values))
		}
		if err := finite("sizes", in.Sizes); err != nil {
			return err
		}
		for i, s := range in.Sizes {
			if s <= 0 {
				return errf(fmt.Sprintf("sizes[%d]", i), "sample size must be > 0, got %v", s)
			}
		}
	}
	if !c.attribute() {
		return nil
	}
	for i, v := range in.Values {
		if v < 0 {
			return errf(fmt.Sprintf("values[%d]", i), "counts must be >= 0, got %v", v)
		}
		if (c == P || c == NP) && v > in.Sizes[i] {
			return errf(fmt.Sprintf("values[%d]", i), "%v defectives exceed the sample size %v", v, in.Sizes[i])
		}
	}
	if c == NP {
		for i, s := range in.Sizes {
			if s != in.Sizes[0] {
				return errf("sizes", "the np chart needs a constant sample size (sizes[0] = %v, sizes[%d] = %v); use a p chart", in.Sizes[0], i, s)
			}
		}
	}
	return nil
}

func (pl *plan) timesOf(ts []time.Time, n int) error {
	if ts == nil {
		return nil
	}
	if len(ts) != n {
		return errf("times", "%d times for %d values; give one per value", len(ts), n)
	}
	for i := 1; i < n; i++ {
		if ts[i].Before(ts[i-1]) {
			return errf(fmt.Sprintf("times[%d]", i), "times must not decrease (%s is before %s)", ts[i].Format(time.RFC3339), ts[i-1].Format(time.RFC3339))
		}
	}
	// A subgroup is stamped with the time of its last value (when it is complete).
	pl.times = make([]time.Time, pl.m)
	for j := range pl.times {
		pl.times[j] = ts[(j+1)*pl.sub-1]
	}
	return nil
}

func (pl *plan) frozenOf(f Frozen, sizes []float64) error {
	for _, p := range []struct {
		name string
		v    *float64
	}{{"center", f.Center}, {"sigma", f.Sigma}, {"ucl", f.UCL}, {"lcl", f.LCL}} {
		if p.v != nil && (math.IsNaN(*p.v) || math.IsInf(*p.v, 0)) {
			return errf("frozen."+p.name, "must be a finite number")
		}
	}
	c := pl.chart
	if f.Sigma != nil {
		if *f.Sigma <= 0 {
			return errf("frozen.sigma", "must be > 0, got %v", *f.Sigma)
		}
		if c.attribute() {
			return errf("frozen.sigma", "the %s chart's sigma follows from its center; give the center only", c)
		}
	}
	if (f.UCL == nil) != (f.LCL == nil) {
		return errf("frozen", "give both ucl and lcl")
	}
	if f.UCL != nil {
		if c == EWMA || c == CUSUM {
			return errf("frozen", "the %s chart computes its own limits; give center and sigma", c)
		}
		if f.Center == nil || f.Sigma != nil {
			return errf("frozen", "ucl and lcl need a center and no sigma")
		}
		if !(*f.LCL <= *f.Center && *f.Center <= *f.UCL && *f.LCL < *f.UCL) {
			return errf("frozen", "need lcl <= center <= ucl and lcl < ucl, got %v, %v, %v", *f.LCL, *f.Center, *f.UCL)
		}
	}
	if f.Center != nil && c.attribute() {
		switch v := *f.Center; {
		case v < 0:
			return errf("frozen.center", "must be >= 0, got %v", v)
		case c == P && v > 1:
			return errf("frozen.center", "a proportion must be <= 1, got %v", v)
		case c == NP && v > sizes[0]:
			return errf("frozen.center", "must be <= n = %v, got %v", sizes[0], v)
		}
	}
	pl.frozen = f
	pl.full = f.Center != nil && (f.Sigma != nil || f.UCL != nil || c.attribute())
	return nil
}

func (pl *plan) baseline(b Baseline) error {
	pl.first, pl.last = 0, pl.m-1
	switch {
	case b.isZero():
	case pl.full:
		return errf("baseline", "nothing to estimate: center and sigma are frozen")
	case b.Points != nil && (b.From != nil || b.To != nil):
		return errf("baseline", "give points or a time range, not both")
	case b.Points != nil:
		if *b.Points < 1 || *b.Points > pl.m {
			return errf("baseline", "points must be between 1 and %d (the points plotted), got %d", pl.m, *b.Points)
		}
		pl.last = *b.Points - 1
	default:
		if pl.times == nil {
			return errf("baseline", "a time range needs times")
		}
		if b.From != nil && b.To != nil && b.From.After(*b.To) {
			return errf("baseline", "from %s is after to %s", b.From.Format(time.RFC3339), b.To.Format(time.RFC3339))
		}
		first, last := -1, -1
		for i, t := range pl.times {
			if (b.From == nil || !t.Before(*b.From)) && (b.To == nil || !t.After(*b.To)) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			return errf("baseline", "no points in the time range")
		}
		pl.first, pl.last = first, last
	}
	f := pl.frozen
	if pl.chart.individual() && f.Sigma == nil && f.UCL == nil && pl.last-pl.first+1 < 2 {
		field := "values"
		if !b.isZero() {
			field = "baseline"
		}
		return errf(field, "the %s chart needs at least 2 points to estimate sigma from moving ranges, got %d", pl.chart, pl.last-pl.first+1)
	}
	return nil
}
