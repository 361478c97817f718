package spc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	spcstats "github.com/kaizenops/suite/pkg/stats/spc"
)

// Handler returns the spc query type's handler. series runs the source
// queries; the registry passes Engine.Series, so any series-producing query
// type can be charted without this package knowing it.
func Handler(series query.SeriesFunc) query.Handler {
	return func(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
		c, err := Compute(ctx, series, env, q)
		if err != nil {
			return nil, err
		}
		if c.Metric == Violations {
			return c.ViolationFrames(q.Format), nil
		}
		return c.ChartFrames(q.Format), nil
	}
}

// Charts is an spc query's result: one chart per source series.
type Charts struct {
	Metric string
	Chart  spcstats.Chart
	// Rules are the run rules checked, in canonical order.
	Rules []spcstats.Rule
	// Name and Unit describe the source ("MTTR (mean)", "s").
	Name     string
	Unit     string
	Decimals *uint16
	GroupBy  []string
	Series   []Series
	// Notices say what was left out and why (empty series, incomplete subgroups).
	Notices []string
}

// Series is the chart of one source series.
type Series struct {
	Group []string
	// Name is the source series' display name ("MTTR (mean) · api").
	Name string
	// Result holds every point fetched, including a baseline before the range.
	Result *spcstats.Result
	// First is the first point inside the dashboard's time range.
	First int
}

// Visible returns the rule violations at points inside the time range.
func (s Series) Visible() []spcstats.Violation {
	out := []spcstats.Violation{}
	for _, v := range s.Result.Violations {
		if v.Index >= s.First {
			out = append(out, v)
		}
	}
	return out
}

// Compute runs the source query and charts each of its series.
func Compute(ctx context.Context, series query.SeriesFunc, env query.Env, q models.Query) (*Charts, error) {
	r, err := parseRequest(env, q)
	if err != nil {
		return nil, err
	}
	srcEnv := env
	if r.fetchFrom.Before(env.From) {
		srcEnv.From = r.fetchFrom
		// Keep "auto" buckets as wide as the dashboard's over the longer span.
		if env.MaxDataPoints > 0 {
			grow := float64(env.To.Sub(r.fetchFrom)) / float64(env.To.Sub(env.From))
			srcEnv.MaxDataPoints = int64(math.Ceil(float64(env.MaxDataPoints) * grow))
		}
	}
	src, err := series(ctx, srcEnv, r.source)
	if err != nil {
		return nil, fmt.Errorf("spc.source (%s query): %w", r.source.QueryType, err)
	}
	if !src.Bucketed {
		return nil, fmt.Errorf("spc.source (%s query) gives one value per series; a control chart needs a series over time: set spc.source.bucket to auto or a duration", r.source.QueryType)
	}
	sizes, err := r.sizeLookup(ctx, series, srcEnv)
	if err != nil {
		return nil, err
	}
	c := &Charts{Metric: r.metric, Chart: r.opts.Chart, Rules: r.rules.Rules(), Name: src.Name, Unit: unitOf(r.opts.Chart, src.Unit),
		Decimals: src.Decimals, GroupBy: src.GroupBy}
	if r.opts.Chart == spcstats.P {
		c.Decimals = nil // a proportion of counts: let Grafana pick
	}
	sortSeries(src.Series)
	var failures []error
	for _, s := range src.Series {
		name := displayName(src, s.Group)
		in, note := r.input(s, sizes)
		if note != "" {
			c.Notices = append(c.Notices, name+": "+note)
		}
		if len(in.Values) == 0 {
			c.Notices = append(c.Notices, name+": no values in the time range; no chart")
			continue
		}
		res, err := spcstats.Compute(in, r.opts)
		if err != nil {
			failures = append(failures, explain(err, name, in))
			continue
		}
		first := sort.Search(res.Len(), func(i int) bool { return !res.Points.Time[i].Before(env.From) })
		if first >= res.Len() {
			c.Notices = append(c.Notices, name+": every point is in the baseline before the time range; no chart")
			continue
		}
		c.Series = append(c.Series, Series{Group: s.Group, Name: name, Result: res, First: first})
	}
	if len(failures) > 0 {
		// One failing series of many is reported beside the others; when none
		// can be charted the query fails with the reason.
		if len(c.Series) == 0 {
			return nil, failures[0]
		}
		for _, f := range failures {
			c.Notices = append(c.Notices, f.Error()+"; left out")
		}
	}
	return c, nil
}

// input turns a source series into engine input: null buckets are left out
// (an empty bucket has no value to chart), sized charts get n per point, and
// subgroup charts drop a trailing incomplete subgroup (it is still filling).
func (r *request) input(s query.Series, sizes sizeLookup) (spcstats.Input, string) {
	var in spcstats.Input
	missingN := 0
	for i, v := range s.Values {
		if v == nil || math.IsNaN(*v) {
			continue
		}
		if r.n != nil || sizes != nil {
			n := 0.0
			if r.n != nil {
				n = *r.n
			} else if sv := sizes.at(s.Group, s.Times[i]); sv != nil {
				n = *sv
			}
			if !(n > 0) {
				missingN++
				continue
			}
			in.Sizes = append(in.Sizes, n)
		}
		in.Values = append(in.Values, *v)
		in.Times = append(in.Times, s.Times[i])
	}
	var notes []string
	if missingN > 0 {
		notes = append(notes, fmt.Sprintf("%s without a sample size (n = 0 or no value in spc.sizeSource) left out", plural(missingN, "bucket")))
	}
	if sub := r.opts.Subgroup; (r.opts.Chart == spcstats.XbarR || r.opts.Chart == spcstats.XbarS) &&
		sub >= spcstats.MinSubgroup && sub <= spcstats.MaxSubgroup {
		if extra := len(in.Values) % sub; extra > 0 {
			keep := len(in.Values) - extra
			in.Values, in.Times = in.Values[:keep], in.Times[:keep]
			what := "the newest value is"
			if extra > 1 {
				what = fmt.Sprintf("the newest %d values are", extra)
			}
			notes = append(notes, fmt.Sprintf("%s left out: an incomplete subgroup of %d", what, sub))
		}
	}
	return in, strings.Join(notes, "; ")
}

// sizeLookup finds a bucket's sample size by group and bucket start.
type sizeLookup map[string]map[int64]*float64

func (l sizeLookup) at(group []string, t time.Time) *float64 {
	return l[groupKey(group)][t.UnixMilli()]
}

func (r *request) sizeLookup(ctx context.Context, series query.SeriesFunc, env query.Env) (sizeLookup, error) {
	if r.sizeSource == nil {
		return nil, nil
	}
	res, err := series(ctx, env, *r.sizeSource)
	if err != nil {
		return nil, fmt.Errorf("spc.sizeSource (%s query): %w", r.sizeSource.QueryType, err)
	}
	if !res.Bucketed {
		return nil, fmt.Errorf("spc.sizeSource (%s query) gives one value per series; it needs the same buckets as spc.source", r.sizeSource.QueryType)
	}
	out := sizeLookup{}
	for _, s := range res.Series {
		byTime := map[int64]*float64{}
		for i, t := range s.Times {
			byTime[t.UnixMilli()] = s.Values[i]
		}
		out[groupKey(s.Group)] = byTime
	}
	return out, nil
}

func groupKey(g []string) string { return strings.Join(g, "\x1f") }

// unitOf is the unit of the plotted statistic: p charts plot proportions, u
// charts defects per unit; every other chart keeps the source's unit.
func unitOf(c spcstats.Chart, source string) string {
	switch c {
	case spcstats.P:
		return "percentunit"
	case spcstats.U, spcstats.NP, spcstats.C:
		if source == "" {
			return "short"
		}
	}
	return source
}

// explain words an engine error for the series it came from: data errors name
// the point by time, option errors name the spc option.
func explain(err error, name string, in spcstats.Input) error {
	var e *spcstats.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", name, err)
	}
	field, index, hasIndex := strings.Cut(e.Field, "[")
	if hasIndex {
		var i int
		if _, scanErr := fmt.Sscanf(index, "%d]", &i); scanErr == nil && i >= 0 && i < len(in.Times) {
			what := "value"
			if field == "sizes" {
				what = "sample size"
			}
			return fmt.Errorf("%s: %s at %s: %s", name, what, in.Times[i].Format(time.RFC3339), e.Msg)
		}
	}
	switch field {
	case "values", "baseline":
		msg := strings.Replace(e.Msg, "no points in the time range", "no points of the series fall in the baseline's time range", 1)
		if strings.Contains(msg, "at least") {
			msg += fmt.Sprintf(" (the series has %s in the range: widen the time range or use a smaller bucket)", plural(len(in.Values), "point"))
		}
		if field == "baseline" {
			return fmt.Errorf("%s: spc.baseline: %s", name, msg)
		}
		return fmt.Errorf("%s: %s", name, msg)
	case "sizes", "times":
		return fmt.Errorf("%s: %s", name, e.Msg)
	}
	return fmt.Errorf("spc.%s: %s", e.Field, e.Msg)
}

func sortSeries(s []query.Series) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Group, s[j].Group
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
}

// displayName reads like the source's own legend: "MTTR (mean) · api".
func displayName(r query.Result, group []string) string {
	return r.Name + groupSuffix(r.GroupBy, group)
}

// groupSuffix is " · api / core" for a group, "" without one.
func groupSuffix(groupBy, group []string) string {
	if len(group) == 0 {
		return ""
	}
	parts := make([]string, len(group))
	for i, g := range group {
		if g == "" {
			g = fmt.Sprintf("(no %s)", groupBy[i])
		}
		parts[i] = g
	}
	return " · " + strings.Join(parts, " / ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
