package model

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/drift"
)

// registerSource lets drift read another query's series instead of stored
// observations (model.source: a PromQL expression, a KPI, MTTR per hour...): the
// values of each source series in the reference window against those in each
// current window. Queries without model.source go to Compute and Frames unchanged.
func registerSource(e *query.Engine) {
	series := e.Series
	e.RegisterSeries(models.QueryTypeModel, func(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
		if q.Model != nil && q.Model.Source != nil {
			d, err := sourceDrift(ctx, series, env, q)
			if err != nil {
				return query.Result{}, err
			}
			return d.result(), nil
		}
		return Compute(ctx, env, q)
	})
	e.Register(models.QueryTypeModel, func(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
		if q.Model != nil && q.Model.Source != nil {
			d, err := sourceDrift(ctx, series, env, q)
			if err != nil {
				return nil, err
			}
			if q.Format == models.FormatTable {
				return withNotices(data.Frames{d.table()}, d.notices()), nil
			}
			return withNotices(d.result().Frames(q.Format), d.notices()), nil
		}
		return Frames(ctx, env, q)
	})
}

// seriesDrift is a drift statistic per source series and current window.
type seriesDrift struct {
	p      *plan
	metric string
	src    query.Result
	cells  [][]driftCell // per source series, per span
}

func sourceDrift(ctx context.Context, series query.SeriesFunc, env query.Env, q models.Query) (*seriesDrift, error) {
	if env.Now.IsZero() {
		env.Now = time.Now().UTC()
	}
	opts, err := parseOptions(q, env)
	if err != nil {
		return nil, err
	}
	numeric := metricsFor(Numeric)
	switch {
	case opts.metric == ChiSquare:
		return nil, fmt.Errorf("chisquare compares categories; the values of model.source are numbers: use %s", strings.Join(numeric, ", "))
	case !isDrift(opts.metric):
		return nil, fmt.Errorf("model metric %s reads stored model observations; with model.source use a drift statistic: %s", opts.metric, strings.Join(numeric, ", "))
	case opts.ref.kind == RefSnapshot:
		return nil, fmt.Errorf("model.reference.type snapshot holds stored observations; with model.source use range or rolling")
	case len(q.GroupBy) > 0 || len(q.Filters) > 0:
		return nil, fmt.Errorf("with model.source, group and filter in the source query; model filters and group by name models and features")
	}
	src := *q.Model.Source
	src.Normalize()
	switch src.QueryType {
	case "":
		return nil, fmt.Errorf("model.source.queryType is missing: name the query whose values drift is measured on (e.g. prometheus)")
	case models.QueryTypeModel, models.QueryTypeSPC:
		return nil, fmt.Errorf("model.source cannot be a %s query; use the series it is built on", src.QueryType)
	}
	if src.Bucket == "none" {
		return nil, fmt.Errorf("model.source.bucket is none, one value per series; drift compares the distributions of a series' values over time: use auto or a duration such as 1m")
	}
	p := &plan{env: env, q: q, opts: opts}
	if p.buckets, err = query.ResolveBuckets(q.Bucket, env); err != nil {
		return nil, err
	}
	p.makeSpans()
	// One fetch covers the references and the current windows, at the step the
	// dashboard's range would have (as spc does for a baseline before the range).
	srcEnv := env
	if earliest := time.UnixMilli(p.earliest()).UTC(); earliest.Before(env.From) {
		srcEnv.From = earliest
		if env.MaxDataPoints > 0 {
			grow := float64(env.To.Sub(earliest)) / float64(env.To.Sub(env.From))
			srcEnv.MaxDataPoints = int64(math.Ceil(float64(env.MaxDataPoints) * grow))
		}
	}
	res, err := series(ctx, srcEnv, src)
	if err != nil {
		return nil, fmt.Errorf("model.source (%s query): %w", src.QueryType, err)
	}
	if !res.Bucketed {
		return nil, fmt.Errorf("model.source (%s query) gives one value per series; drift needs a series over time: set model.source.bucket to auto or a duration", src.QueryType)
	}
	sort.SliceStable(res.Series, func(i, j int) bool {
		return strings.Join(res.Series[i].Group, "\x1f") < strings.Join(res.Series[j].Group, "\x1f")
	})
	d := &seriesDrift{p: p, metric: opts.metric, src: res, cells: make([][]driftCell, len(res.Series))}
	for i, s := range res.Series {
		if d.cells[i], err = d.compute(s); err != nil {
			return nil, fmt.Errorf("%s of %s: %w", opts.metric, d.name(i), err)
		}
	}
	return d, nil
}

// compute fills one source series' cells: for each reference group, its values in
// the reference window against those in each of its spans. Null values are not
// observations and are left out.
func (d *seriesDrift) compute(s query.Series) ([]driftCell, error) {
	cells := make([]driftCell, len(d.p.spans))
	in := func(from, to int64) []float64 {
		var out []float64
		for i, t := range s.Times {
			if ms := t.UnixMilli(); ms >= from && ms < to && s.Values[i] != nil && !math.IsNaN(*s.Values[i]) {
				out = append(out, *s.Values[i])
			}
		}
		return out
	}
	for _, g := range d.p.refGroups() {
		ref := in(g.ref.from, g.ref.to)
		for _, i := range g.spans {
			sp := d.p.spans[i]
			cur := in(sp.from, sp.to)
			c := &cells[i]
			c.refN, c.curN = int64(len(ref)), int64(len(cur))
			switch {
			case len(ref) == 0:
				c.note = fmt.Sprintf("no values in the reference window (%s)", g.ref)
			case len(cur) == 0:
				c.note = fmt.Sprintf("no values in the current window (%s)", window{from: sp.from, to: sp.to})
			default:
				r, err := d.statistic(ref, cur)
				if err != nil {
					return nil, err
				}
				c.result, c.ok = r, true
			}
		}
	}
	return cells, nil
}

// statistic is pkg/stats/drift on the two windows' values, with the options of
// the observation path (bins, threshold).
func (d *seriesDrift) statistic(ref, cur []float64) (drift.Result, error) {
	o := d.p.opts
	switch d.metric {
	case PSI:
		r, err := drift.PSI(ref, cur, drift.PSIOptions{Bins: o.bins, Threshold: o.threshold})
		return r.Result, err
	case JSD:
		r, err := drift.JSD(ref, cur, drift.JSDOptions{Bins: o.bins, Threshold: o.threshold})
		return r.Result, err
	case KS:
		r, err := drift.KS(ref, cur, drift.KSOptions{Alpha: o.threshold})
		return r.Result, err
	}
	st, err := drift.WassersteinOf(ref, cur)
	if err != nil {
		return drift.Result{}, err
	}
	if d.metric == WassersteinNormed {
		return st.NormedResult(o.threshold), nil
	}
	r := st.Raw(o.threshold)
	if o.threshold == 0 {
		r.Notes = append(r.Notes, "raw Wasserstein is in the series' units and has no default threshold: set model.threshold to flag drift, or use wasserstein_normed")
	}
	return r, nil
}

// name is a source series' legend name, as the source would show it.
func (d *seriesDrift) name(i int) string {
	g := d.src.Series[i].Group
	if len(g) == 0 {
		return d.src.Name
	}
	parts := make([]string, len(g))
	for k, v := range g {
		if v == "" {
			v = "(no " + d.src.GroupBy[k] + ")"
		}
		parts[k] = v
	}
	return d.src.Name + " · " + strings.Join(parts, " / ")
}

// result is one series per source series, labelled by the source's groups.
func (d *seriesDrift) result() query.Result {
	name, field, unit := driftNames[d.metric]+" of "+d.src.Name, d.metric, "none"
	switch d.p.opts.output {
	case OutputPValue:
		name, field = strings.TrimSuffix(driftNames[d.metric], " statistic")+" p-value of "+d.src.Name, d.metric+"_p_value"
	case OutputDrifted:
		name, field, unit = "Drifted ("+driftNames[d.metric]+") "+d.src.Name, d.metric+"_drifted", "bool_yes_no"
	}
	res := query.Result{Name: name, FieldName: field, Unit: unit, GroupBy: d.src.GroupBy, Bucketed: d.p.buckets.Width > 0}
	for i, s := range d.src.Series {
		qs := query.Series{Group: s.Group, Times: d.p.times(), Values: make([]*float64, len(d.cells[i]))}
		for j, c := range d.cells[i] {
			qs.Values[j] = c.value(d.p.opts.output)
		}
		res.Series = append(res.Series, qs)
	}
	return res
}

// table has one row per source series and current window, like the observation
// path's table, with the source's group columns instead of model and feature.
func (d *seriesDrift) table() *data.Frame {
	var (
		times           []time.Time
		groups          = make([][]string, len(d.src.GroupBy))
		sev, note       []string
		stat, pval, thr []*float64
		drifted         []*bool
		refN, curN      []int64
	)
	for i, s := range d.src.Series {
		for j, c := range d.cells[i] {
			times = append(times, d.p.spans[j].at)
			for k := range groups {
				groups[k] = append(groups[k], s.Group[k])
			}
			refN, curN = append(refN, c.refN), append(curN, c.curN)
			if !c.ok {
				stat, pval, thr, drifted, sev = append(stat, nil), append(pval, nil), append(thr, nil), append(drifted, nil), append(sev, "")
				note = append(note, c.note)
				continue
			}
			r := c.result
			dr := r.Drifted
			stat, pval, thr = append(stat, number(r.Statistic)), append(pval, finiteOrNil(r.PValue)), append(thr, finiteOrNil(r.Threshold))
			drifted, sev, note = append(drifted, &dr), append(sev, string(r.Severity)), append(note, strings.Join(r.Notes, "; "))
		}
	}
	var fields []*data.Field
	if d.p.buckets.Width > 0 {
		fields = append(fields, data.NewField("time", nil, nonNil(times)))
	}
	for k, g := range d.src.GroupBy {
		fields = append(fields, data.NewField(g, nil, nonNil(groups[k])))
	}
	statField := data.NewField("statistic", nil, nonNil(stat))
	statField.Config = &data.FieldConfig{DisplayNameFromDS: driftNames[d.metric]}
	fields = append(fields, statField,
		data.NewField("p_value", nil, nonNil(pval)),
		data.NewField("threshold", nil, nonNil(thr)),
		data.NewField("drifted", nil, nonNil(drifted)),
		data.NewField("severity", nil, nonNil(sev)),
		data.NewField("reference_n", nil, nonNil(refN)),
		data.NewField("current_n", nil, nonNil(curN)),
		data.NewField("note", nil, nonNil(note)))
	return data.NewFrame(d.metric, fields...)
}

// notices say, per source series, why windows have no value.
func (d *seriesDrift) notices() []string {
	var out []string
	for i := range d.src.Series {
		first, missing := "", 0
		for _, c := range d.cells[i] {
			if !c.ok {
				if missing == 0 {
					first = c.note
				}
				missing++
			}
		}
		switch {
		case missing == 1:
			out = append(out, fmt.Sprintf("%s: %s", d.name(i), first))
		case missing > 1:
			out = append(out, fmt.Sprintf("%s: %s; %d more windows have no value", d.name(i), first, missing-1))
		}
	}
	return out
}
