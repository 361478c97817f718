package model

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/modelperf"
)

// predKey is one group of predictions in one bucket (0 when unbucketed).
type predKey struct {
	model, version, segment string
	bucket                  int64
}

// predAgg holds what the performance and fairness metrics need of a group's
// predictions in a bucket: counts and a confusion matrix summed by SQL, and the
// regression errors of its (prediction, outcome) pairs.
type predAgg struct {
	predictions, labelled int64
	conf                  modelperf.Confusion
	confSum               float64
	confN                 int64
	reg                   modelperf.RegressionErrors
}

// predictionReader reads predictions joined with their outcomes. An outcome sent
// later (model_outcomes, by prediction id) wins over one logged on the prediction.
type predictionReader struct {
	p          *plan
	byVersion  bool
	segmentKey string // "" when not split by segment
	segments   map[string]string
	// unlabelled counts predictions whose segment labels lack segmentKey.
	unlabelled int64
}

// actualSQL is the effective outcome (numeric, or the label) of a joined prediction.
const (
	actualOutcome = "CASE WHEN o.prediction_id IS NOT NULL THEN o.outcome ELSE p.outcome END"
	actualLabel   = "CASE WHEN o.prediction_id IS NOT NULL THEN o.label ELSE p.label END"
	hasOutcome    = "(o.prediction_id IS NOT NULL OR p.outcome IS NOT NULL OR p.label <> '')"
)

// from is the FROM and WHERE of the plan's predictions, and the select list's head.
func (r *predictionReader) from(a *sqlArgs) (head, from string) {
	bucket := "0"
	if r.p.buckets.Width > 0 {
		bucket = r.p.buckets.SQL("p.observed_at")
	}
	version := "''"
	if r.byVersion {
		version = "p.model_version"
	}
	head = bucket + " AS bucket, p.model AS model, " + version + " AS model_version, p.segment AS segment"
	var b strings.Builder
	b.WriteString(" FROM model_observations p LEFT JOIN model_outcomes o ON o.model = p.model AND o.prediction_id = p.prediction_id")
	b.WriteString(" WHERE p.model " + a.in(r.p.models) + " AND p.feature = " + a.p(PredictionFeature))
	b.WriteString(" AND p.observed_at >= " + a.p(r.p.env.From.UnixMilli()) + " AND p.observed_at < " + a.p(r.p.env.To.UnixMilli()))
	if len(r.p.versions) > 0 {
		b.WriteString(" AND p.model_version " + a.in(r.p.versions))
	}
	return head, b.String()
}

// counts sums, per group and bucket, the predictions, those with an outcome, the
// confusion matrix of the labelled ones and the confidences. Predicted positive: a
// score at or above the threshold, else a category equal to the positive class, else
// a value equal to it read as a number; actual positive likewise from the label or
// the numeric outcome. The mean confidence is the confidence given, else max(s, 1-s)
// of the score (modelperf.ClassifyScores).
func (r *predictionReader) counts(ctx context.Context, aggs map[predKey]*predAgg) error {
	if len(r.p.models) == 0 {
		return nil
	}
	a := &sqlArgs{}
	thr, pos := a.p(r.p.opts.scoreThreshold), a.p(r.p.opts.positive)
	var posNum any
	if r.p.opts.posNum != nil {
		posNum = *r.p.opts.posNum
	}
	num := a.p(posNum)
	head, from := r.from(a)
	inner := "SELECT " + head + ", CASE WHEN " + hasOutcome + " THEN 1 ELSE 0 END AS has" +
		", CASE WHEN (CASE WHEN p.score IS NOT NULL THEN p.score >= " + thr + " WHEN p.category <> '' THEN p.category = " + pos + " ELSE p.value = " + num + " END) THEN 1 ELSE 0 END AS pp" +
		", CASE WHEN (CASE WHEN (" + actualLabel + ") <> '' THEN (" + actualLabel + ") = " + pos + " ELSE (" + actualOutcome + ") = " + num + " END) THEN 1 ELSE 0 END AS ap" +
		", CASE WHEN p.confidence IS NOT NULL THEN p.confidence WHEN p.score IS NOT NULL THEN (CASE WHEN p.score >= 0.5 THEN p.score ELSE 1 - p.score END) END AS conf" +
		from
	sqlText := "SELECT bucket, model, model_version, segment, COUNT(*), SUM(has), SUM(has * pp * ap), SUM(has * pp * (1 - ap))," +
		" SUM(has * (1 - pp) * ap), SUM(has * (1 - pp) * (1 - ap)), COUNT(conf), SUM(conf) FROM (" + inner + ") j" +
		" GROUP BY bucket, model, model_version, segment"
	rows, err := r.p.env.Store.QueryContext(ctx, sqlText, a.list...)
	if err != nil {
		return fmt.Errorf("reading predictions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k predKey
		var seg string
		var c modelperf.Confusion
		var n, labelled, confN int64
		var confSum sql.NullFloat64
		if err := rows.Scan(&k.bucket, &k.model, &k.version, &seg, &n, &labelled, &c.TP, &c.FP, &c.FN, &c.TN, &confN, &confSum); err != nil {
			return fmt.Errorf("reading predictions: %w", err)
		}
		agg := r.agg(aggs, k, seg, n)
		agg.predictions += n
		agg.labelled += labelled
		agg.conf.TP, agg.conf.FP, agg.conf.FN, agg.conf.TN = agg.conf.TP+c.TP, agg.conf.FP+c.FP, agg.conf.FN+c.FN, agg.conf.TN+c.TN
		agg.confN += confN
		agg.confSum += confSum.Float64
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading predictions: %w", err)
	}
	return nil
}

// regression streams (prediction, outcome) pairs of numeric predictions with a
// numeric outcome into O(1) accumulators, one per group and bucket.
func (r *predictionReader) regression(ctx context.Context, aggs map[predKey]*predAgg) error {
	if len(r.p.models) == 0 {
		return nil
	}
	a := &sqlArgs{}
	head, from := r.from(a)
	sqlText := "SELECT " + head + ", p.value, " + actualOutcome + from + " AND p.value IS NOT NULL"
	rows, err := r.p.env.Store.QueryContext(ctx, sqlText, a.list...)
	if err != nil {
		return fmt.Errorf("reading predictions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k predKey
		var seg string
		var pred float64
		var actual sql.NullFloat64
		if err := rows.Scan(&k.bucket, &k.model, &k.version, &seg, &pred, &actual); err != nil {
			return fmt.Errorf("reading predictions: %w", err)
		}
		agg := r.agg(aggs, k, seg, 0)
		if !actual.Valid {
			continue
		}
		if err := agg.reg.Add(pred, actual.Float64); err != nil {
			return fmt.Errorf("model %s: %w", k.model, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading predictions: %w", err)
	}
	return nil
}

// agg returns the accumulator of a row's group, reading its segment label.
func (r *predictionReader) agg(aggs map[predKey]*predAgg, k predKey, segmentJSON string, n int64) *predAgg {
	if r.segmentKey != "" {
		v, ok := r.segments[segmentJSON]
		if !ok {
			var labels map[string]string
			_ = json.Unmarshal([]byte(segmentJSON), &labels) // stored canonical by the ingest
			v = labels[r.segmentKey]
			r.segments[segmentJSON] = v
		}
		k.segment = v
		if v == "" {
			r.unlabelled += n
		}
	}
	a, ok := aggs[k]
	if !ok {
		a = &predAgg{}
		aggs[k] = a
	}
	return a
}

func (p *plan) predictionReader(byVersion bool, segmentKey string) *predictionReader {
	return &predictionReader{p: p, byVersion: byVersion, segmentKey: segmentKey, segments: map[string]string{}}
}

// perfNames are the legend names and units of the performance metrics.
var perfNames = map[string][2]string{
	Accuracy:       {"Accuracy", "percentunit"},
	Precision:      {"Precision", "percentunit"},
	Recall:         {"Recall", "percentunit"},
	F1:             {"F1", "percentunit"},
	MAE:            {"MAE", "none"},
	RMSE:           {"RMSE", "none"},
	MeanConfidence: {"Mean confidence", "percentunit"},
	Predictions:    {"Predictions", "short"},
	Labelled:       {"Predictions with an outcome", "short"},
}

// readPerformance reads the aggregates a performance metric needs.
func (p *plan) readPerformance(ctx context.Context, metric string, byVersion bool, segmentKey string) (map[predKey]*predAgg, *predictionReader, error) {
	r := p.predictionReader(byVersion, segmentKey)
	aggs := map[predKey]*predAgg{}
	var err error
	if metric == MAE || metric == RMSE {
		err = r.regression(ctx, aggs)
	} else {
		err = r.counts(ctx, aggs)
	}
	return aggs, r, err
}

// performance is a performance metric per model (and model_version, segment) and
// bucket, by prediction time. A bucket whose predictions have no outcome yet is
// null, not zero; only the prediction counts read 0 for an empty bucket.
func (p *plan) performance(ctx context.Context, metric string) (query.Result, []string, error) {
	byVersion := slices.Contains(p.groupBy, "model_version")
	aggs, r, err := p.readPerformance(ctx, metric, byVersion, p.opts.segment)
	if err != nil {
		return query.Result{}, nil, err
	}
	groupBy := []string{"model"}
	if byVersion {
		groupBy = append(groupBy, "model_version")
	}
	if p.opts.segment != "" {
		groupBy = append(groupBy, p.opts.segment)
	}
	names := perfNames[metric]
	res := query.Result{Name: names[0], FieldName: metric, Unit: names[1], GroupBy: groupBy, Bucketed: p.buckets.Width > 0}
	groups := map[predKey][]string{}
	for k := range aggs {
		g := predKey{model: k.model, version: k.version, segment: k.segment}
		if _, ok := groups[g]; !ok {
			vals := []string{k.model}
			if byVersion {
				vals = append(vals, k.version)
			}
			if p.opts.segment != "" {
				vals = append(vals, k.segment)
			}
			groups[g] = vals
		}
	}
	if !byVersion && p.opts.segment == "" {
		for _, m := range p.models { // a model without predictions in the range still has its series
			if _, ok := groups[predKey{model: m}]; !ok {
				groups[predKey{model: m}] = []string{m}
			}
		}
	}
	pending := 0
	for g, vals := range groups {
		s := query.Series{Group: vals, Times: p.times(), Values: make([]*float64, len(p.spans))}
		for i, sp := range p.spans {
			k := g
			k.bucket = sp.at.UnixMilli()
			if p.buckets.Width == 0 {
				k.bucket = 0
			}
			a := aggs[k]
			s.Values[i] = perfValue(metric, a)
			if a != nil && a.predictions > 0 && a.labelled == 0 && needsOutcomes(metric) {
				pending++
			}
		}
		res.Series = append(res.Series, s)
	}
	var notices []string
	if pending > 0 {
		notices = append(notices, fmt.Sprintf("%d windows have predictions but no outcomes yet: %s is null there, not zero", pending, metric))
	}
	if r.unlabelled > 0 {
		notices = append(notices, fmt.Sprintf("%d predictions have no %q segment label: they form the (no %s) series", r.unlabelled, p.opts.segment, p.opts.segment))
	}
	return res, notices, nil
}

func needsOutcomes(metric string) bool {
	return metric != Predictions && metric != Labelled && metric != MeanConfidence
}

// perfValue is a metric of one group's bucket; nil when undefined (NaN in modelperf).
func perfValue(metric string, a *predAgg) *float64 {
	if a == nil {
		if metric == Predictions || metric == Labelled {
			zero := 0.0
			return &zero
		}
		return nil
	}
	var v float64
	switch metric {
	case Predictions:
		v = float64(a.predictions)
	case Labelled:
		v = float64(a.labelled)
	case MeanConfidence:
		v = math.NaN()
		if a.confN > 0 {
			v = a.confSum / float64(a.confN)
		}
	case MAE:
		v = a.reg.MAE()
	case RMSE:
		v = a.reg.RMSE()
	default:
		m := a.conf.Metrics()
		v = map[string]float64{Accuracy: m.Accuracy, Precision: m.Precision, Recall: m.Recall, F1: m.F1}[metric]
	}
	if math.IsNaN(v) {
		return nil
	}
	return &v
}
