package spc

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	spcstats "github.com/kaizenops/suite/pkg/stats/spc"
)

// request is a checked spc query: the engine options and the queries to run.
type request struct {
	metric     string
	opts       spcstats.Options
	rules      spcstats.RuleSet
	source     models.Query
	sizeSource *models.Query
	n          *float64
	// fetchFrom is where the source is queried from: the dashboard's from, or
	// the baseline's start when that comes first.
	fetchFrom time.Time
}

// parseRequest checks the options that do not depend on the data, so a
// mistake is reported once, by its JSON path, before any query runs.
func parseRequest(env query.Env, q models.Query) (request, error) {
	metric, err := metricOf(q.Metric)
	if err != nil {
		return request{}, err
	}
	if q.SPC == nil || q.SPC.Source == nil {
		return request{}, fmt.Errorf(`spc.source is missing: give the query to chart, e.g. {"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d"}`)
	}
	o := *q.SPC
	r := request{metric: metric, source: *o.Source, fetchFrom: env.From}
	if err := checkSource("spc.source", &r.source); err != nil {
		return request{}, err
	}
	chart := spcstats.Chart(strings.ToLower(strings.TrimSpace(o.Chart)))
	if chart == "" {
		chart = spcstats.XmR
	}
	if !knownChart(chart) {
		return request{}, fmt.Errorf("spc.chart %q is not a chart; use one of %s", o.Chart, chartNames())
	}
	r.opts = spcstats.Options{Chart: chart, Subgroup: o.Subgroup, Lambda: o.Lambda, L: o.L,
		EWMALimits: o.EWMALimits, K: o.K, H: o.H}
	r.opts.Rules = rulesOf(o.Rules, chart)
	// Checked here too so a typo fails even when the source has no data yet.
	if r.rules, err = spcstats.ParseRules(r.opts.Rules); err != nil {
		return request{}, fmt.Errorf("spc.%w", err)
	}
	if o.Frozen != nil {
		r.opts.Frozen = spcstats.Frozen{Center: o.Frozen.Center, Sigma: o.Frozen.Sigma, UCL: o.Frozen.UCL, LCL: o.Frozen.LCL}
	}
	if o.Baseline != nil {
		if err := r.baseline(*o.Baseline, env); err != nil {
			return request{}, err
		}
	}
	if err := r.sizes(o); err != nil {
		return request{}, err
	}
	return r, nil
}

// checkSource normalizes a nested query and refuses what cannot be a source.
func checkSource(path string, src *models.Query) error {
	src.Normalize()
	switch src.QueryType {
	case "":
		return fmt.Errorf("%s.queryType is missing: name the query type to chart (e.g. incidents)", path)
	case models.QueryTypeSPC:
		return fmt.Errorf("%s cannot be another spc query; chart the series it is built on", path)
	}
	if src.Bucket == "none" {
		return fmt.Errorf("%s.bucket is none, which gives one value per series; a control chart needs a series over time: use auto or a duration such as 1d", path)
	}
	return nil
}

func knownChart(c spcstats.Chart) bool {
	for _, k := range spcstats.Charts {
		if c == k {
			return true
		}
	}
	return false
}

func chartNames() string {
	names := make([]string, len(spcstats.Charts))
	for i, c := range spcstats.Charts {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// rulesOf applies the default (every Nelson rule, none for ewma and cusum,
// whose points are autocorrelated) and turns "none" into no rules.
func rulesOf(rules []string, chart spcstats.Chart) []string {
	if rules == nil {
		if chart == spcstats.EWMA || chart == spcstats.CUSUM {
			return nil
		}
		return []string{"nelson"}
	}
	out := make([]string, 0, len(rules))
	for _, r := range rules {
		if !strings.EqualFold(strings.TrimSpace(r), "none") {
			out = append(out, r)
		}
	}
	return out
}

func (r *request) baseline(b models.SPCBaseline, env query.Env) error {
	if b.Points != nil {
		if b.From != "" || b.To != "" {
			return fmt.Errorf("spc.baseline: give points or from/to, not both")
		}
		r.opts.Baseline.Points = b.Points
		return nil
	}
	for _, end := range []struct {
		name, text string
		dst        **time.Time
	}{{"from", b.From, &r.opts.Baseline.From}, {"to", b.To, &r.opts.Baseline.To}} {
		if strings.TrimSpace(end.text) == "" {
			continue
		}
		t, err := parseTime(end.text, env.Now)
		if err != nil {
			return fmt.Errorf("spc.baseline.%s: %w", end.name, err)
		}
		*end.dst = &t
	}
	if f := r.opts.Baseline.From; f != nil && f.Before(r.fetchFrom) {
		r.fetchFrom = *f
	}
	if t := r.opts.Baseline.To; t != nil && r.opts.Baseline.From == nil && t.Before(env.From) {
		return fmt.Errorf("spc.baseline ends at %s, before the time range starts, and has no from: give baseline.from so the baseline can be fetched", t.Format(time.RFC3339))
	}
	return nil
}

// parseTime reads RFC 3339 or a time relative to now: "now", "now-30d", "now-12h".
func parseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "now"); ok {
		if rest == "" {
			return now, nil
		}
		sign := time.Duration(1)
		switch rest[0] {
		case '-':
			sign = -1
		case '+':
		default:
			return time.Time{}, fmt.Errorf("%q: use now, now-<duration> such as now-30d, or an RFC 3339 time", s)
		}
		d, err := query.ParseDuration(rest[1:])
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: %w", s, err)
		}
		return now.Add(sign * d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time with zone (2026-01-31T00:00:00Z) or a relative time such as now-30d", s)
	}
	return t.UTC(), nil
}

// sizes checks where p, np and u charts get their sample sizes from.
func (r *request) sizes(o models.SPCOptions) error {
	sized := r.opts.Chart == spcstats.P || r.opts.Chart == spcstats.NP || r.opts.Chart == spcstats.U
	given := o.N != nil || o.SizeSource != nil
	switch {
	case !sized && given:
		return fmt.Errorf("spc.n and spc.sizeSource are for p, np and u charts, not %s", r.opts.Chart)
	case !sized:
		return nil
	case o.N != nil && o.SizeSource != nil:
		return fmt.Errorf("spc.n and spc.sizeSource both give sample sizes; use one")
	case o.N != nil:
		if v := *o.N; math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return fmt.Errorf("spc.n must be a sample size > 0, got %v", v)
		}
		r.n = o.N
	case o.SizeSource != nil:
		src := *o.SizeSource
		if err := checkSource("spc.sizeSource", &src); err != nil {
			return err
		}
		if !sameStrings(src.GroupBy, r.source.GroupBy) {
			return fmt.Errorf("spc.sizeSource.groupBy %v differs from spc.source.groupBy %v; group both alike so each series finds its sizes", src.GroupBy, r.source.GroupBy)
		}
		r.sizeSource = &src
	default:
		return fmt.Errorf("the %s chart needs sample sizes: give spc.n (a constant) or spc.sizeSource (a query giving n per bucket, e.g. deployments per week for failed deployments per week)", r.opts.Chart)
	}
	return nil
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
