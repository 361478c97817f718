package model

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/modelperf"
)

// trigger is the retraining decision of one model over the range.
type trigger struct {
	model    string
	decision modelperf.TriggerDecision
	feature  string // whose drift fired the drift condition
	reason   string
}

// driftPoints turns a feature's cells into a 1/0 drifted series (NaN: no value), so
// the trigger follows each statistic's own rule (>= threshold, or p < alpha).
func (p *plan) driftPoints(fd featureDrift) []modelperf.Point {
	out := make([]modelperf.Point, len(fd.cells))
	for i, c := range fd.cells {
		v := math.NaN()
		if c.ok {
			v = 0
			if c.result.Drifted {
				v = 1
			}
		}
		out[i] = modelperf.Point{At: p.spans[i].at, Value: v}
	}
	return out
}

// retrain evaluates modelperf.EvaluateRetrainTrigger per model: drift of any feature
// for rule.consecutive buckets in a row, or the performance metric past its threshold.
func (p *plan) retrain(ctx context.Context) ([]trigger, []string, error) {
	rule := p.opts.retrain
	fds, notices, err := p.computeDrift(ctx, rule.driftMetric, rule.driftThreshold)
	if err != nil {
		return nil, nil, err
	}
	perf := map[string][]modelperf.Point{}
	if rule.perfMetric != "" {
		aggs, _, err := p.readPerformance(ctx, rule.perfMetric, false, "")
		if err != nil {
			return nil, nil, err
		}
		for _, m := range p.models {
			pts := make([]modelperf.Point, len(p.spans))
			for i, sp := range p.spans {
				v := math.NaN()
				if x := perfValue(rule.perfMetric, aggs[predKey{model: m, bucket: sp.at.UnixMilli()}]); x != nil {
					v = *x
				}
				pts[i] = modelperf.Point{At: sp.at, Value: v}
			}
			perf[m] = pts
		}
	}
	tr := modelperf.TriggerRule{DriftThreshold: 1, Consecutive: rule.consecutive,
		PerformanceThreshold: rule.perfThreshold, LowerIsBetter: lowerIsBetter(rule.perfMetric)}
	var out []trigger
	for _, m := range p.models {
		t := trigger{model: m}
		evaluated := false
		for _, fd := range fds {
			if fd.model != m {
				continue
			}
			d, err := modelperf.EvaluateRetrainTrigger(p.driftPoints(fd), perf[m], tr)
			if err != nil {
				return nil, nil, fmt.Errorf("retraining trigger of model %s: %w", m, err)
			}
			evaluated = true
			if d.Trigger && (!t.decision.Trigger || d.FiredAt.Before(t.decision.FiredAt)) {
				t.decision, t.feature = d, fd.feature
			}
		}
		if !evaluated { // no feature to watch: performance alone
			d, err := modelperf.EvaluateRetrainTrigger(nil, perf[m], tr)
			if err != nil {
				return nil, nil, fmt.Errorf("retraining trigger of model %s: %w", m, err)
			}
			t.decision = d
		}
		if !hasCondition(t.decision, modelperf.ConditionDrift) {
			t.feature = ""
		}
		t.reason = p.reason(t, perf[m])
		out = append(out, t)
	}
	return out, notices, nil
}

func hasCondition(d modelperf.TriggerDecision, c modelperf.Condition) bool {
	for _, x := range d.Conditions {
		if x == c {
			return true
		}
	}
	return false
}

// reason says in a sentence why the trigger fired, or what it watched.
func (p *plan) reason(t trigger, perf []modelperf.Point) string {
	rule := p.opts.retrain
	d := t.decision
	var parts []string
	if hasCondition(d, modelperf.ConditionDrift) {
		parts = append(parts, fmt.Sprintf("drift: %s of feature %s drifted in %d consecutive buckets from %s", rule.driftMetric, t.feature,
			rule.consecutive, d.DriftRunStart.Format(time.RFC3339)))
	}
	if hasCondition(d, modelperf.ConditionPerformance) {
		v := math.NaN()
		for _, pt := range perf {
			if pt.At.Equal(d.FiredAt) {
				v = pt.Value
			}
		}
		side := "below"
		if lowerIsBetter(rule.perfMetric) {
			side = "above"
		}
		parts = append(parts, fmt.Sprintf("performance: %s %s %s %s in the bucket of %s", rule.perfMetric, strconv.FormatFloat(v, 'g', 4, 64), side,
			strconv.FormatFloat(rule.perfThreshold, 'g', -1, 64), d.FiredAt.Format(time.RFC3339)))
	}
	if d.Trigger {
		return strings.Join(parts, "; ")
	}
	watch := fmt.Sprintf("no feature drifted (%s) in %d consecutive buckets", rule.driftMetric, rule.consecutive)
	if rule.perfMetric != "" {
		side := "below"
		if lowerIsBetter(rule.perfMetric) {
			side = "above"
		}
		watch += fmt.Sprintf(", and no bucket's %s was %s %s", rule.perfMetric, side, strconv.FormatFloat(rule.perfThreshold, 'g', -1, 64))
	}
	return "not triggered: " + watch
}

// retrainResult is the trigger state per model and bucket: 0 until the bucket where
// it fires, 1 from there on, so an alert rule on the last value fires with it.
func (p *plan) retrainResult(ts []trigger) query.Result {
	res := query.Result{Name: "Retraining trigger", FieldName: Retrain, Unit: "none", GroupBy: []string{"model"}, Bucketed: true}
	for _, t := range ts {
		s := query.Series{Group: []string{t.model}, Times: p.times(), Values: make([]*float64, len(p.spans))}
		for i, sp := range p.spans {
			v := 0.0
			if t.decision.Trigger && !sp.at.Before(t.decision.FiredAt) {
				v = 1
			}
			s.Values[i] = &v
		}
		res.Series = append(res.Series, s)
	}
	return res
}

// retrainTable has one row per model: the state, when and why it fired.
func (p *plan) retrainTable(ts []trigger) *data.Frame {
	n := len(ts)
	model, conds, feature, reason := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	state := make([]float64, 0, n)
	fired, runStart := make([]*time.Time, 0, n), make([]*time.Time, 0, n)
	for _, t := range ts {
		d := t.decision
		model, feature, reason = append(model, t.model), append(feature, t.feature), append(reason, t.reason)
		var cs []string
		for _, c := range d.Conditions {
			cs = append(cs, string(c))
		}
		conds = append(conds, strings.Join(cs, ", "))
		if d.Trigger {
			state, fired = append(state, 1), append(fired, &d.FiredAt)
		} else {
			state, fired = append(state, 0), append(fired, nil)
		}
		if d.DriftRunStart.IsZero() {
			runStart = append(runStart, nil)
		} else {
			runStart = append(runStart, &d.DriftRunStart)
		}
	}
	return data.NewFrame(Retrain,
		data.NewField("model", nil, model),
		data.NewField("retrain", nil, state),
		data.NewField("fired_at", nil, fired),
		data.NewField("conditions", nil, conds),
		data.NewField("feature", nil, feature),
		data.NewField("drift_run_start", nil, runStart),
		data.NewField("reason", nil, reason),
	)
}

// lag is the drift detection lag of one feature.
type lag struct {
	model, feature string
	firstDrifted   *time.Time
	alertAt        *time.Time
	alert          string // "given" or "retraining trigger"; "" without an alert
	seconds        *float64
}

// driftLags measures, per feature, the time from the first drifted bucket to its
// alert: model.alertAt when given, else the end of the bucket where the retraining
// trigger's drift condition fires for the feature (its data is complete only then).
func (p *plan) driftLags(ctx context.Context) ([]lag, []string, error) {
	rule := p.opts.retrain
	fds, notices, err := p.computeDrift(ctx, rule.driftMetric, rule.driftThreshold)
	if err != nil {
		return nil, nil, err
	}
	out := make([]lag, 0, len(fds))
	for _, fd := range fds {
		pts := p.driftPoints(fd)
		l := lag{model: fd.model, feature: fd.feature}
		var alert time.Time
		switch {
		case p.opts.alertAt != nil:
			alert, l.alert = *p.opts.alertAt, "given"
		default:
			d, err := modelperf.EvaluateRetrainTrigger(pts, nil, modelperf.TriggerRule{DriftThreshold: 1, Consecutive: rule.consecutive})
			if err != nil {
				return nil, nil, fmt.Errorf("drift lag of %s of model %s: %w", fd.feature, fd.model, err)
			}
			if d.Trigger {
				alert, l.alert = d.FiredAt.Add(p.buckets.Width), "retraining trigger"
			}
		}
		if l.alert != "" {
			l.alertAt = &alert
			if d, ok := modelperf.DriftDetectionLag(pts, 1, false, alert); ok {
				s := d.Seconds()
				first := alert.Add(-d)
				l.seconds, l.firstDrifted = &s, &first
			}
		}
		if l.firstDrifted == nil {
			for _, pt := range pts {
				if pt.Value == 1 {
					at := pt.At
					l.firstDrifted = &at
					break
				}
			}
		}
		out = append(out, l)
	}
	return out, notices, nil
}

func lagResult(ls []lag) query.Result {
	res := query.Result{Name: "Drift detection lag", FieldName: DriftLag, Unit: "s", GroupBy: []string{"model", "feature"}}
	for _, l := range ls {
		res.Series = append(res.Series, query.Series{Group: []string{l.model, l.feature}, Values: []*float64{l.seconds}})
	}
	return res
}

func lagTable(ls []lag) *data.Frame {
	n := len(ls)
	model, feature, alert := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	first, at := make([]*time.Time, 0, n), make([]*time.Time, 0, n)
	secs := make([]*float64, 0, n)
	for _, l := range ls {
		model, feature, alert = append(model, l.model), append(feature, l.feature), append(alert, l.alert)
		first, at, secs = append(first, l.firstDrifted), append(at, l.alertAt), append(secs, l.seconds)
	}
	lagField := data.NewField("lag", nil, secs)
	lagField.Config = &data.FieldConfig{Unit: "s", DisplayNameFromDS: "Drift detection lag"}
	return data.NewFrame(DriftLag,
		data.NewField("model", nil, model),
		data.NewField("feature", nil, feature),
		data.NewField("first_drifted", nil, first),
		data.NewField("alert_at", nil, at),
		data.NewField("alert", nil, alert),
		lagField,
	)
}
