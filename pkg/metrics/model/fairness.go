package model

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/modelperf"
)

// fairGroup is one model (and version) in one bucket, with its segments' counts.
type fairGroup struct {
	model, version string
	bucket         int64
	segments       map[string]modelperf.Confusion
}

// fairnessGroups reads the labelled predictions' confusion counts per segment of
// model.segment. As fairlearn needs y_true for every row, predictions without an
// outcome yet are left out, and so are those without the segment label.
func (p *plan) fairnessGroups(ctx context.Context) (map[predKey]*fairGroup, []string, error) {
	byVersion := slices.Contains(p.groupBy, "model_version")
	r := p.predictionReader(byVersion, p.opts.segment)
	aggs := map[predKey]*predAgg{}
	if err := r.counts(ctx, aggs); err != nil {
		return nil, nil, err
	}
	groups := map[predKey]*fairGroup{}
	for k, a := range aggs {
		if k.segment == "" || a.conf.N() == 0 {
			continue
		}
		gk := predKey{model: k.model, version: k.version, bucket: k.bucket}
		g, ok := groups[gk]
		if !ok {
			g = &fairGroup{model: k.model, version: k.version, bucket: k.bucket, segments: map[string]modelperf.Confusion{}}
			groups[gk] = g
		}
		g.segments[k.segment] = a.conf
	}
	var notices []string
	if r.unlabelled > 0 {
		notices = append(notices, fmt.Sprintf("%d predictions have no %q segment label and are left out", r.unlabelled, p.opts.segment))
	}
	return groups, notices, nil
}

var fairnessNames = map[string][2]string{
	DemographicParity: {"Demographic parity difference", "percentunit"},
	DisparateImpact:   {"Disparate impact ratio", "none"},
	EqualizedOdds:     {"Equalized odds difference", "percentunit"},
}

// fairnessSeries is a disparity metric per model (and model_version) and bucket.
func (p *plan) fairnessSeries(ctx context.Context, metric string) (query.Result, []string, error) {
	groups, notices, err := p.fairnessGroups(ctx)
	if err != nil {
		return query.Result{}, nil, err
	}
	byVersion := slices.Contains(p.groupBy, "model_version")
	groupBy := []string{"model"}
	if byVersion {
		groupBy = append(groupBy, "model_version")
	}
	names := fairnessNames[metric]
	res := query.Result{Name: names[0], FieldName: metric, Unit: names[1], GroupBy: groupBy, Bucketed: p.buckets.Width > 0}
	series := map[predKey]*query.Series{}
	seriesOf := func(model, version string) *query.Series {
		k := predKey{model: model, version: version}
		s, ok := series[k]
		if !ok {
			vals := []string{model}
			if byVersion {
				vals = append(vals, version)
			}
			s = &query.Series{Group: vals, Times: p.times(), Values: make([]*float64, len(p.spans))}
			series[k] = s
		}
		return s
	}
	if !byVersion {
		for _, m := range p.models {
			seriesOf(m, "")
		}
	}
	seen := map[string]bool{}
	for _, g := range groups {
		f, err := modelperf.FairnessFromConfusions(g.segments)
		if err != nil {
			return query.Result{}, nil, fmt.Errorf("fairness of model %s: %w", g.model, err)
		}
		for _, n := range f.Notes {
			if !seen[n] {
				seen[n] = true
				notices = append(notices, g.model+": "+n)
			}
		}
		v := map[string]float64{DemographicParity: f.DemographicParityDifference, DisparateImpact: f.DisparateImpactRatio,
			EqualizedOdds: f.EqualizedOddsDifference}[metric]
		if i := p.bucketSpan(g.bucket); i >= 0 && !math.IsNaN(v) {
			seriesOf(g.model, g.version).Values[i] = &v
		}
	}
	for _, s := range series {
		res.Series = append(res.Series, *s)
	}
	return res, notices, nil
}

// bucketSpan maps a bucket key (0 when unbucketed) to its span.
func (p *plan) bucketSpan(bucket int64) int {
	if p.buckets.Width == 0 {
		return 0
	}
	if i, ok := p.spanIdx[bucket]; ok {
		return i
	}
	return -1
}

// fairRow is one segment's rates in one group and bucket.
type fairRow struct {
	at             time.Time
	model, version string
	rates          modelperf.SegmentRates
	f              *modelperf.Fairness
}

// fairnessRows lists every segment's rates, ordered by bucket, model, version, segment.
func (p *plan) fairnessRows(ctx context.Context) ([]fairRow, []string, error) {
	groups, notices, err := p.fairnessGroups(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys := make([]predKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b predKey) int {
		if c := cmp.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		if c := strings.Compare(a.model, b.model); c != 0 {
			return c
		}
		return strings.Compare(a.version, b.version)
	})
	var rows []fairRow
	for _, k := range keys {
		g := groups[k]
		f, err := modelperf.FairnessFromConfusions(g.segments)
		if err != nil {
			return nil, nil, fmt.Errorf("fairness of model %s: %w", g.model, err)
		}
		i := p.bucketSpan(g.bucket)
		if i < 0 {
			continue
		}
		for _, s := range f.Segments {
			rows = append(rows, fairRow{at: p.spans[i].at, model: g.model, version: g.version, rates: s, f: &f})
		}
		for _, n := range f.Notes {
			notices = append(notices, g.model+": "+n)
		}
	}
	return rows, notices, nil
}

// fairnessTable has one row per segment: its counts and rates, and the disparity
// metrics of its model (and bucket) repeated, so a table panel shows both.
func (p *plan) fairnessTable(rows []fairRow) *data.Frame {
	n := len(rows)
	times := make([]time.Time, 0, n)
	model, version, segment := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	count, tp, fp, tn, fn := make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n)
	sel, tpr, fpr, dpd, dir, eod := make([]*float64, 0, n), make([]*float64, 0, n), make([]*float64, 0, n), make([]*float64, 0, n), make([]*float64, 0, n), make([]*float64, 0, n)
	for _, r := range rows {
		times = append(times, r.at)
		model, version, segment = append(model, r.model), append(version, r.version), append(segment, r.rates.Segment)
		c := r.rates.Confusion
		count, tp, fp, tn, fn = append(count, c.N()), append(tp, c.TP), append(fp, c.FP), append(tn, c.TN), append(fn, c.FN)
		sel, tpr, fpr = append(sel, finiteOrNil(r.rates.SelectionRate)), append(tpr, finiteOrNil(r.rates.TruePositiveRate)), append(fpr, finiteOrNil(r.rates.FalsePositiveRate))
		dpd, dir, eod = append(dpd, finiteOrNil(r.f.DemographicParityDifference)), append(dir, finiteOrNil(r.f.DisparateImpactRatio)), append(eod, finiteOrNil(r.f.EqualizedOddsDifference))
	}
	var fields []*data.Field
	if p.buckets.Width > 0 {
		fields = append(fields, data.NewField("time", nil, times))
	}
	fields = append(fields, data.NewField("model", nil, model))
	if slices.Contains(p.groupBy, "model_version") {
		fields = append(fields, data.NewField("model_version", nil, version))
	}
	pct := func(name, display string, v []*float64) *data.Field {
		f := data.NewField(name, nil, v)
		f.Config = &data.FieldConfig{DisplayNameFromDS: display, Unit: "percentunit"}
		return f
	}
	dirField := data.NewField("disparate_impact_ratio", nil, dir)
	dirField.Config = &data.FieldConfig{DisplayNameFromDS: "Disparate impact ratio"}
	fields = append(fields,
		data.NewField(p.opts.segment, nil, segment),
		data.NewField("predictions", nil, count),
		pct("selection_rate", "Selection rate", sel),
		pct("true_positive_rate", "True positive rate", tpr),
		pct("false_positive_rate", "False positive rate", fpr),
		data.NewField("tp", nil, tp), data.NewField("fp", nil, fp), data.NewField("tn", nil, tn), data.NewField("fn", nil, fn),
		pct("demographic_parity_difference", "Demographic parity difference", dpd),
		dirField,
		pct("equalized_odds_difference", "Equalized odds difference", eod),
	)
	return data.NewFrame(Fairness, fields...)
}
