package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/drift"
)

// Reference types.
const (
	RefRolling  = "rolling"
	RefRange    = "range"
	RefSnapshot = "snapshot"
)

// Rolling reference anchors.
const (
	AnchorBucket = "bucket"
	AnchorRange  = "range"
)

// Drift series outputs.
const (
	OutputStatistic = "statistic"
	OutputPValue    = "p_value"
	OutputDrifted   = "drifted"
)

// Defaults of the options.
const (
	DefaultRollingWindow  = 7 * 24 * time.Hour
	DefaultPositive       = "1"
	DefaultScoreThreshold = 0.5
	DefaultConsecutive    = 3
	maxBins               = 100
)

// options are the validated model options of a query.
type options struct {
	metric    string
	ref       refSpec
	bins      int
	threshold float64 // 0: the statistic's default
	output    string
	positive  string
	// posNum is positive read as a number, for numeric predictions and outcomes;
	// nil when it is not a number (then no numeric value is positive).
	posNum         *float64
	scoreThreshold float64
	segment        string
	retrain        retrainRule
	alertAt        *time.Time
}

// refSpec is a reference window as the query states it.
type refSpec struct {
	kind     string
	from, to time.Time
	window   time.Duration
	anchor   string
	snapshot string
}

// retrainRule is model.retrain, checked.
type retrainRule struct {
	driftMetric    string
	driftThreshold float64 // 0: the statistic's default
	consecutive    int
	perfMetric     string
	perfThreshold  float64
}

func parseOptions(q models.Query, env query.Env) (options, error) {
	o := options{metric: q.Metric, bins: drift.DefaultBins, output: OutputStatistic, positive: DefaultPositive,
		scoreThreshold: DefaultScoreThreshold, ref: refSpec{kind: RefRolling, window: DefaultRollingWindow, anchor: AnchorBucket},
		retrain: retrainRule{driftMetric: PSI, consecutive: DefaultConsecutive}}
	if o.metric == "" {
		o.metric = PSI
	}
	if !slices.Contains(Metrics(), o.metric) {
		return options{}, fmt.Errorf("unknown model metric %q; use one of %s", o.metric, strings.Join(Metrics(), ", "))
	}
	m := q.Model
	if m == nil {
		m = &models.ModelOptions{}
	}
	var err error
	if m.Reference != nil {
		if o.ref, err = parseReference(*m.Reference, env.Now); err != nil {
			return options{}, err
		}
	}
	if m.Bins != 0 {
		if m.Bins < 2 || m.Bins > maxBins {
			return options{}, fmt.Errorf("model.bins %d: use 2 to %d (default %d)", m.Bins, maxBins, drift.DefaultBins)
		}
		o.bins = m.Bins
	}
	if m.Threshold != nil {
		if err := checkThreshold("model.threshold", o.metric, *m.Threshold); err != nil {
			return options{}, err
		}
		o.threshold = *m.Threshold
	}
	switch out := strings.ToLower(strings.TrimSpace(m.Output)); out {
	case "", OutputStatistic:
	case OutputPValue:
		if o.metric != KS && o.metric != ChiSquare {
			return options{}, fmt.Errorf("model.output p_value: only ks and chisquare have a p-value, not %s; use statistic or drifted", o.metric)
		}
		o.output = out
	case OutputDrifted:
		o.output = out
	default:
		return options{}, fmt.Errorf("model.output %q: use statistic, p_value or drifted", m.Output)
	}
	if m.Positive != "" {
		o.positive = m.Positive
	}
	if x, err := strconv.ParseFloat(strings.TrimSpace(o.positive), 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
		o.posNum = &x
	}
	if m.ScoreThreshold != nil {
		t := *m.ScoreThreshold
		if !(t > 0 && t <= 1) {
			return options{}, fmt.Errorf("model.scoreThreshold %v: a score threshold lies in (0, 1]", t)
		}
		o.scoreThreshold = t
	}
	o.segment = strings.TrimSpace(m.Segment)
	if o.segment != "" && dimensions[o.segment] != "" {
		return options{}, fmt.Errorf("model.segment %q is a dimension of its own; name a segment label (such as region)", o.segment)
	}
	if (isFairness(o.metric) || o.metric == Fairness) && o.segment == "" {
		return options{}, fmt.Errorf("%s compares segments: set model.segment to the segment label to compare (such as region)", o.metric)
	}
	if m.Retrain != nil {
		if o.retrain, err = parseRetrain(*m.Retrain); err != nil {
			return options{}, err
		}
	}
	if m.AlertAt != "" {
		t, err := parseTime(m.AlertAt, env.Now)
		if err != nil {
			return options{}, fmt.Errorf("model.alertAt: %w", err)
		}
		o.alertAt = &t
	}
	return o, nil
}

func parseReference(r models.ModelReference, now time.Time) (refSpec, error) {
	s := refSpec{kind: strings.ToLower(strings.TrimSpace(r.Type)), window: DefaultRollingWindow, anchor: AnchorBucket}
	if s.kind == "" {
		s.kind = RefRolling
	}
	switch s.kind {
	case RefRolling:
		if r.Window != "" {
			w, err := query.ParseDuration(r.Window)
			if err != nil {
				return refSpec{}, fmt.Errorf("model.reference.window: %w", err)
			}
			s.window = w
		}
		switch a := strings.ToLower(strings.TrimSpace(r.Anchor)); a {
		case "", AnchorBucket:
		case AnchorRange:
			s.anchor = a
		default:
			return refSpec{}, fmt.Errorf("model.reference.anchor %q: use bucket (the window before each bucket) or range (the window before the dashboard range)", r.Anchor)
		}
	case RefRange:
		if r.From == "" || r.To == "" {
			return refSpec{}, fmt.Errorf("model.reference: a range reference needs from and to (RFC 3339 or now-<duration>)")
		}
		var err error
		if s.from, err = parseTime(r.From, now); err != nil {
			return refSpec{}, fmt.Errorf("model.reference.from: %w", err)
		}
		if s.to, err = parseTime(r.To, now); err != nil {
			return refSpec{}, fmt.Errorf("model.reference.to: %w", err)
		}
		if !s.to.After(s.from) {
			return refSpec{}, fmt.Errorf("model.reference: from %s is not before to %s", s.from.Format(time.RFC3339), s.to.Format(time.RFC3339))
		}
	case RefSnapshot:
		s.snapshot = strings.TrimSpace(r.Snapshot)
		if s.snapshot == "" {
			return refSpec{}, fmt.Errorf("model.reference.snapshot is missing: name a snapshot (GET model/snapshots lists them)")
		}
	default:
		return refSpec{}, fmt.Errorf("model.reference.type %q: use rolling, range or snapshot", r.Type)
	}
	return s, nil
}

func parseRetrain(r models.ModelRetrain) (retrainRule, error) {
	out := retrainRule{driftMetric: PSI, consecutive: DefaultConsecutive}
	if r.DriftMetric != "" {
		out.driftMetric = strings.ToLower(strings.TrimSpace(r.DriftMetric))
		if !isDrift(out.driftMetric) {
			return retrainRule{}, fmt.Errorf("model.retrain.driftMetric %q: use one of %s", r.DriftMetric, strings.Join(driftMetrics, ", "))
		}
	}
	if r.DriftThreshold != nil {
		if err := checkThreshold("model.retrain.driftThreshold", out.driftMetric, *r.DriftThreshold); err != nil {
			return retrainRule{}, err
		}
		out.driftThreshold = *r.DriftThreshold
	}
	if r.Consecutive != 0 {
		if r.Consecutive < 1 || r.Consecutive > 1000 {
			return retrainRule{}, fmt.Errorf("model.retrain.consecutive %d: use 1 to 1000 buckets", r.Consecutive)
		}
		out.consecutive = r.Consecutive
	}
	if r.PerformanceMetric != "" {
		out.perfMetric = strings.ToLower(strings.TrimSpace(r.PerformanceMetric))
		if !slices.Contains([]string{Accuracy, Precision, Recall, F1, MAE, RMSE}, out.perfMetric) {
			return retrainRule{}, fmt.Errorf("model.retrain.performanceMetric %q: use accuracy, precision, recall, f1, mae or rmse", r.PerformanceMetric)
		}
		if r.PerformanceThreshold == nil {
			return retrainRule{}, fmt.Errorf("model.retrain.performanceThreshold is missing: the %s a bucket must not fall %s", out.perfMetric, map[bool]string{true: "above", false: "below"}[lowerIsBetter(out.perfMetric)])
		}
		t := *r.PerformanceThreshold
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return retrainRule{}, fmt.Errorf("model.retrain.performanceThreshold %v: want a finite number, 0 or more", t)
		}
		out.perfThreshold = t
	} else if r.PerformanceThreshold != nil {
		return retrainRule{}, fmt.Errorf("model.retrain.performanceThreshold is set without performanceMetric: name the metric it applies to")
	}
	return out, nil
}

// checkThreshold: alphas lie in (0, 1); distances are positive.
func checkThreshold(path, metric string, t float64) error {
	if math.IsNaN(t) || math.IsInf(t, 0) || t <= 0 {
		return fmt.Errorf("%s %v: want a positive number", path, t)
	}
	if (metric == KS || metric == ChiSquare) && t >= 1 {
		return fmt.Errorf("%s %v: for %s it is alpha (drifted when p < alpha), below 1", path, t, metric)
	}
	return nil
}

// parseTime reads RFC 3339 or a time relative to now: "now", "now-30d", "now-12h".
func parseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "now" {
		return now, nil
	}
	if rest, ok := strings.CutPrefix(s, "now-"); ok {
		d, err := query.ParseDuration(rest)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: use now, now-<duration> such as now-30d, or an RFC 3339 time", s)
		}
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time with zone (2024-05-01T00:00:00Z) or a relative time such as now-30d", s)
	}
	return t.UTC(), nil
}
