package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// loadShift stores age for model churn: N(40, 10) on days 0 to 2, N(55, 10) on days 3
// to 6; and two predictions a day on days 1 and 2: both right on day 1, one of two on day 2.
func loadShift(t *testing.T, st store.Store) {
	t.Helper()
	for i := 0; i <= 6; i++ {
		mean := 40.0
		if i >= 3 {
			mean = 55
		}
		loadValues(t, st, "churn", "age", day(i), numbers(uint64(100+i), 400, mean, 10))
	}
	ingestNDJSON(t, st, "observations", `{"model":"churn","feature":"__prediction__","observed_at":"2024-05-02T01:00:00Z","prediction_id":"a","category":"churn","label":"churn"}
{"model":"churn","feature":"__prediction__","observed_at":"2024-05-02T02:00:00Z","prediction_id":"b","category":"stay","label":"stay"}
{"model":"churn","feature":"__prediction__","observed_at":"2024-05-03T01:00:00Z","prediction_id":"c","category":"churn","label":"churn"}
{"model":"churn","feature":"__prediction__","observed_at":"2024-05-03T02:00:00Z","prediction_id":"d","category":"churn","label":"stay"}
`)
}

func shiftQuery(metric string, o models.ModelOptions) models.Query {
	o.Reference = &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}
	o.Positive = "churn"
	return models.Query{Metric: metric, Bucket: "1d", Filters: map[string][]string{"model": {"churn"}, "feature": {"age"}}, Model: &o}
}

func TestRetrainingTriggerOnDrift(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadShift(t, st)
		// PSI against day 0 drifts from day 3 on (days 1..7: no, no, yes, yes, yes, yes, empty).
		drifted := compute(t, st, day(1), day(8), shiftQuery(model.PSI, models.ModelOptions{Output: "drifted"}))
		sameValues(t, "drifted", seriesOf(t, drifted, "churn", "age").Values, []*float64{fp(0), fp(0), fp(1), fp(1), fp(1), fp(1), nil})
		// Two drifted buckets in a row fire on day 4; the state holds from there.
		q := shiftQuery(model.Retrain, models.ModelOptions{Retrain: &models.ModelRetrain{Consecutive: 2}})
		res := compute(t, st, day(1), day(8), q)
		sameValues(t, "retrain", seriesOf(t, res, "churn").Values, []*float64{fp(0), fp(0), fp(0), fp(1), fp(1), fp(1), fp(1)})
		q.Format = "table"
		f := frames(t, st, day(1), day(8), q)[0]
		if field(t, f, "retrain").At(0).(float64) != 1 || !field(t, f, "fired_at").At(0).(*time.Time).Equal(day(4)) ||
			field(t, f, "conditions").At(0) != "drift" || field(t, f, "feature").At(0) != "age" {
			t.Fatalf("row: %v %v %v %v", field(t, f, "retrain").At(0), field(t, f, "fired_at").At(0), field(t, f, "conditions").At(0), field(t, f, "feature").At(0))
		}
		if r := field(t, f, "reason").At(0).(string); r != "drift: psi of feature age drifted in 2 consecutive buckets from 2024-05-04T00:00:00Z" {
			t.Fatalf("reason %q", r)
		}
		// Five in a row never happen in the range.
		q = shiftQuery(model.Retrain, models.ModelOptions{Retrain: &models.ModelRetrain{Consecutive: 5}})
		q.Format = "table"
		f = frames(t, st, day(1), day(8), q)[0]
		if field(t, f, "retrain").At(0).(float64) != 0 || field(t, f, "fired_at").At(0).(*time.Time) != nil ||
			field(t, f, "reason").At(0) != "not triggered: no feature drifted (psi) in 5 consecutive buckets" {
			t.Fatalf("row: %v %v %q", field(t, f, "retrain").At(0), field(t, f, "fired_at").At(0), field(t, f, "reason").At(0))
		}
	})
}

func TestRetrainingTriggerOnPerformance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadShift(t, st)
		// Accuracy: day 1 2/2, day 2 1/2; below 0.8 on day 2, before any drift run.
		thr := 0.8
		q := shiftQuery(model.Retrain, models.ModelOptions{Retrain: &models.ModelRetrain{Consecutive: 2, PerformanceMetric: "accuracy", PerformanceThreshold: &thr}})
		res := compute(t, st, day(1), day(8), q)
		sameValues(t, "retrain", seriesOf(t, res, "churn").Values, []*float64{fp(0), fp(1), fp(1), fp(1), fp(1), fp(1), fp(1)})
		q.Format = "table"
		f := frames(t, st, day(1), day(8), q)[0]
		if field(t, f, "conditions").At(0) != "performance" || field(t, f, "feature").At(0) != "" {
			t.Fatalf("conditions %v feature %v", field(t, f, "conditions").At(0), field(t, f, "feature").At(0))
		}
		if r := field(t, f, "reason").At(0).(string); r != "performance: accuracy 0.5 below 0.8 in the bucket of 2024-05-03T00:00:00Z" {
			t.Fatalf("reason %q", r)
		}
	})
}

func TestDriftDetectionLag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadShift(t, st)
		// First drifted bucket: day 3 (May 4). With two in a row the trigger fires on day 4,
		// whose data is complete at its end (May 6 00:00): lag 2 days.
		q := shiftQuery(model.DriftLag, models.ModelOptions{Retrain: &models.ModelRetrain{Consecutive: 2}})
		res := compute(t, st, day(1), day(8), q)
		if res.Bucketed || res.Unit != "s" {
			t.Fatalf("result %+v", res)
		}
		sameValues(t, "lag", seriesOf(t, res, "churn", "age").Values, []*float64{fp(2 * 86400)})
		// A given alert time: May 6 12:00, 2.5 days after May 4.
		q = shiftQuery(model.DriftLag, models.ModelOptions{AlertAt: "2024-05-06T12:00:00Z"})
		q.Format = "table"
		f := frames(t, st, day(1), day(8), q)[0]
		if got := *field(t, f, "lag").At(0).(*float64); got != 2.5*86400 {
			t.Fatalf("lag %v", got)
		}
		if !field(t, f, "first_drifted").At(0).(*time.Time).Equal(day(3)) || field(t, f, "alert").At(0) != "given" {
			t.Fatalf("first %v alert %v", field(t, f, "first_drifted").At(0), field(t, f, "alert").At(0))
		}
		// An alert before any drift is a false alarm, not a lag.
		q = shiftQuery(model.DriftLag, models.ModelOptions{AlertAt: "2024-05-03T00:00:00Z"})
		sameValues(t, "false alarm", seriesOf(t, compute(t, st, day(1), day(8), q), "churn", "age").Values, []*float64{nil})
	})
}

func TestQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadValues(t, st, "churn", "age", day(0), []float64{1, 2, 3})
	neg, big := -1.0, 1.5
	cases := []struct {
		name string
		q    models.Query
		has  string
	}{
		{"unknown metric", models.Query{Metric: "auc"}, `unknown model metric "auc"`},
		{"filter not allowed", models.Query{Metric: "psi", Filters: map[string][]string{"service": {"x"}}}, `cannot filter on "service"`},
		{"group drift by version", models.Query{Metric: "psi", GroupBy: []string{"model_version"}}, "its series are per model and feature"},
		{"group by segment", models.Query{Metric: "accuracy", GroupBy: []string{"segment"}}, "model.segment"},
		{"group by team", models.Query{Metric: "accuracy", GroupBy: []string{"team"}}, `cannot group accuracy by "team"`},
		{"bad reference type", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "baseline"}}}, "use rolling, range or snapshot"},
		{"range without to", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: "now-7d"}}}, "needs from and to"},
		{"range backwards", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: "now-1d", To: "now-7d"}}}, "is not before"},
		{"bad time", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: "yesterday", To: "now"}}}, "model.reference.from"},
		{"snapshot unnamed", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "snapshot"}}}, "model.reference.snapshot is missing"},
		{"bad window", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Window: "a week"}}}, "model.reference.window"},
		{"bad anchor", models.Query{Metric: "psi", Model: &models.ModelOptions{Reference: &models.ModelReference{Anchor: "end"}}}, "model.reference.anchor"},
		{"bins", models.Query{Metric: "psi", Model: &models.ModelOptions{Bins: 1}}, "model.bins 1"},
		{"negative threshold", models.Query{Metric: "psi", Model: &models.ModelOptions{Threshold: &neg}}, "model.threshold -1"},
		{"alpha of 1.5", models.Query{Metric: "ks", Model: &models.ModelOptions{Threshold: &big}}, "alpha"},
		{"p-value of psi", models.Query{Metric: "psi", Model: &models.ModelOptions{Output: "p_value"}}, "only ks and chisquare have a p-value"},
		{"bad output", models.Query{Metric: "psi", Model: &models.ModelOptions{Output: "value"}}, "use statistic, p_value or drifted"},
		{"score threshold", models.Query{Metric: "f1", Model: &models.ModelOptions{ScoreThreshold: &big}}, "model.scoreThreshold"},
		{"fairness without segment", models.Query{Metric: "demographic_parity_difference"}, "set model.segment"},
		{"segment named like a dimension", models.Query{Metric: "accuracy", Model: &models.ModelOptions{Segment: "model_version"}}, "is a dimension of its own"},
		{"retrain without buckets", models.Query{Metric: "retrain", Bucket: "none"}, "bucket none gives one window"},
		{"retrain drift metric", models.Query{Metric: "retrain", Model: &models.ModelOptions{Retrain: &models.ModelRetrain{DriftMetric: "auc"}}}, "model.retrain.driftMetric"},
		{"retrain performance without threshold", models.Query{Metric: "retrain", Model: &models.ModelOptions{Retrain: &models.ModelRetrain{PerformanceMetric: "f1"}}}, "performanceThreshold is missing"},
		{"retrain threshold without metric", models.Query{Metric: "retrain", Model: &models.ModelOptions{Retrain: &models.ModelRetrain{PerformanceThreshold: &big}}}, "without performanceMetric"},
		{"retrain consecutive", models.Query{Metric: "retrain", Model: &models.ModelOptions{Retrain: &models.ModelRetrain{Consecutive: -2}}}, "consecutive -2"},
		{"alert time", models.Query{Metric: "drift_lag", Model: &models.ModelOptions{AlertAt: "soon"}}, "model.alertAt"},
		{"tiny bucket", models.Query{Metric: "psi", Bucket: "1s"}, "1m minimum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := computeErr(st, day(0), day(1), c.q)
			if err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one with %q", err, c.has)
			}
		})
	}
}
