package model

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
)

// driftNames are the legend names of the drift statistics.
var driftNames = map[string]string{
	PSI:               "PSI",
	KS:                "KS statistic",
	Wasserstein:       "Wasserstein distance",
	WassersteinNormed: "Wasserstein / reference std",
	JSD:               "Jensen-Shannon distance",
	ChiSquare:         "Chi-square statistic",
}

// driftResult is one series per model and feature, labelled by both, carrying the
// query's output (statistic, p-value or drifted 0/1).
func (p *plan) driftResult(metric string, fds []featureDrift) query.Result {
	name, field, unit := driftNames[metric], metric, "none"
	switch p.opts.output {
	case OutputPValue:
		name, field = strings.TrimSuffix(name, " statistic")+" p-value", metric+"_p_value"
	case OutputDrifted:
		name, field, unit = "Drifted ("+driftNames[metric]+")", metric+"_drifted", "bool_yes_no"
	}
	res := query.Result{Name: name, FieldName: field, Unit: unit, GroupBy: []string{"model", "feature"}, Bucketed: p.buckets.Width > 0}
	for _, fd := range fds {
		s := query.Series{Group: []string{fd.model, fd.feature}, Times: p.times(), Values: make([]*float64, len(fd.cells))}
		for i, c := range fd.cells {
			s.Values[i] = c.value(p.opts.output)
		}
		res.Series = append(res.Series, s)
	}
	return res
}

// driftTable has one row per feature and current window, with the statistic, its
// p-value and threshold, whether it drifted, and why a row has no value.
func (p *plan) driftTable(metric string, fds []featureDrift) *data.Frame {
	var (
		times                                   []time.Time
		model, feature, kind, method, sev, note []string
		stat, pval, thr                         []*float64
		drifted                                 []*bool
		refN, curN                              []int64
	)
	for _, fd := range fds {
		for i, c := range fd.cells {
			times = append(times, p.spans[i].at)
			model, feature, kind, method = append(model, fd.model), append(feature, fd.feature), append(kind, fd.kind), append(method, metric)
			refN, curN = append(refN, c.refN), append(curN, c.curN)
			if !c.ok {
				stat, pval, thr, drifted, sev = append(stat, nil), append(pval, nil), append(thr, nil), append(drifted, nil), append(sev, "")
				note = append(note, c.note)
				continue
			}
			r := c.result
			d := r.Drifted
			stat, pval, thr = append(stat, number(r.Statistic)), append(pval, finiteOrNil(r.PValue)), append(thr, finiteOrNil(r.Threshold))
			drifted, sev = append(drifted, &d), append(sev, string(r.Severity))
			note = append(note, strings.Join(r.Notes, "; "))
		}
	}
	var fields []*data.Field
	if p.buckets.Width > 0 {
		fields = append(fields, data.NewField("time", nil, nonNil(times)))
	}
	statField := data.NewField("statistic", nil, nonNil(stat))
	statField.Config = &data.FieldConfig{DisplayNameFromDS: driftNames[metric]}
	fields = append(fields,
		data.NewField("model", nil, nonNil(model)),
		data.NewField("feature", nil, nonNil(feature)),
		data.NewField("kind", nil, nonNil(kind)),
		data.NewField("method", nil, nonNil(method)),
		statField,
		data.NewField("p_value", nil, nonNil(pval)),
		data.NewField("threshold", nil, nonNil(thr)),
		data.NewField("drifted", nil, nonNil(drifted)),
		data.NewField("severity", nil, nonNil(sev)),
		data.NewField("reference_n", nil, nonNil(refN)),
		data.NewField("current_n", nil, nonNil(curN)),
		data.NewField("note", nil, nonNil(note)),
	)
	return data.NewFrame(metric, fields...)
}

// cellNotices says, per feature, why windows have no value (the first reason, and
// how many more windows lack one).
func cellNotices(fds []featureDrift) []string {
	var out []string
	for _, fd := range fds {
		first, missing := "", 0
		for _, c := range fd.cells {
			if !c.ok {
				if missing == 0 {
					first = c.note
				}
				missing++
			}
		}
		switch {
		case missing == 1:
			out = append(out, fmt.Sprintf("%s / %s: %s", fd.model, fd.feature, first))
		case missing > 1:
			out = append(out, fmt.Sprintf("%s / %s: %s; %d more windows have no value", fd.model, fd.feature, first, missing-1))
		}
	}
	return out
}

// number keeps +Inf (a constant reference moved: infinitely many deviations, and
// drift) and drops NaN.
func number(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// nonNil turns a nil slice into an empty one: a field needs a typed vector.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
