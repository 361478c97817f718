package model_test

import (
	"math"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/stats/modelperf"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked predictions (positive class "churn"), range May 1 to May 4:
//
//	id  day  version region predicted confidence  outcome on the row  outcome sent later  counts as
//	p1  May1 v1      eu     churn     0.9         churn                                  TP
//	p2  May1 v1      eu     churn     0.6                             stay               FP
//	p3  May1 v1      us     stay      0.8         stay                churn (wins)       FN
//	p4  May1 v2      us     stay                                                         no outcome
//	p5  May1 v2      us     stay                                      stay               TN
//	p6  May1 v2      eu     churn                                     churn              TP
//	p9  May1 v2      us     churn     0.7         churn                                  TP
//	p7  May2 v2      eu     churn                                                        no outcome yet
//	p8  May2 v2      us     stay                                                         no outcome yet
//
// May 3 has no predictions.
const churnPredictions = `{"model":"churn","model_version":"v1","feature":"__prediction__","observed_at":"2024-05-01T01:00:00Z","prediction_id":"p1","category":"churn","confidence":0.9,"label":"churn","segment":{"region":"eu"}}
{"model":"churn","model_version":"v1","feature":"__prediction__","observed_at":"2024-05-01T02:00:00Z","prediction_id":"p2","category":"churn","confidence":0.6,"segment":{"region":"eu"}}
{"model":"churn","model_version":"v1","feature":"__prediction__","observed_at":"2024-05-01T03:00:00Z","prediction_id":"p3","category":"stay","confidence":0.8,"label":"stay","segment":{"region":"us"}}
{"model":"churn","model_version":"v2","feature":"__prediction__","observed_at":"2024-05-01T04:00:00Z","prediction_id":"p4","category":"stay","segment":{"region":"us"}}
{"model":"churn","model_version":"v2","feature":"__prediction__","observed_at":"2024-05-01T05:00:00Z","prediction_id":"p5","category":"stay","segment":{"region":"us"}}
{"model":"churn","model_version":"v2","feature":"__prediction__","observed_at":"2024-05-01T06:00:00Z","prediction_id":"p6","category":"churn","segment":{"region":"eu"}}
{"model":"churn","model_version":"v2","feature":"__prediction__","observed_at":"2024-05-01T07:00:00Z","prediction_id":"p9","category":"churn","confidence":0.7,"label":"churn","segment":{"region":"us"}}
{"model":"churn","model_version":"v2","feature":"__prediction__","observed_at":"2024-05-02T01:00:00Z","prediction_id":"p7","category":"churn","segment":{"region":"eu"}}
{"model":"churn","model_version":"v2","feature":"__prediction__","observed_at":"2024-05-02T02:00:00Z","prediction_id":"p8","category":"stay","segment":{"region":"us"}}
`

const churnOutcomes = `{"model":"churn","prediction_id":"p2","label":"stay","observed_at":"2024-05-20T00:00:00Z"}
{"model":"churn","prediction_id":"p3","label":"churn"}
{"model":"churn","prediction_id":"p5","label":"stay"}
{"model":"churn","prediction_id":"p6","label":"churn"}
`

func churnQuery(metric string) models.Query {
	return models.Query{Metric: metric, Bucket: "1d", Filters: map[string][]string{"model": {"churn"}},
		Model: &models.ModelOptions{Positive: "churn", Segment: ""}}
}

func TestOutcomesThatArriveLater(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestNDJSON(t, st, "observations", churnPredictions)
		// Before the late outcomes only p1 (TP), p3 (stay/stay: TN) and p9 (TP) have one:
		// accuracy 3/3 on May 1; May 2's predictions have no outcome yet: null, not 0.
		before := compute(t, st, day(0), day(3), churnQuery(model.Accuracy))
		sameValues(t, "accuracy before", seriesOf(t, before, "churn").Values, []*float64{fp(1), nil, nil})
		sameValues(t, "labelled before", seriesOf(t, compute(t, st, day(0), day(3), churnQuery(model.Labelled)), "churn").Values, []*float64{fp(3), fp(0), fp(0)})
		fs := frames(t, st, day(0), day(3), churnQuery(model.Accuracy))
		if n := notices(fs); n != "1 windows have predictions but no outcomes yet: accuracy is null there, not zero" {
			t.Fatalf("notices %q", n)
		}

		ingestNDJSON(t, st, "outcomes", churnOutcomes)
		// TP p1 p6 p9 = 3, FP p2 = 1, FN p3 = 1 (its late outcome replaces the logged one), TN p5 = 1.
		cases := []struct {
			metric string
			want   []*float64
		}{
			{model.Accuracy, []*float64{fp(4.0 / 6), nil, nil}},    // (3 + 1) / 6
			{model.Precision, []*float64{fp(3.0 / 4), nil, nil}},   // 3 / (3 + 1)
			{model.Recall, []*float64{fp(3.0 / 4), nil, nil}},      // 3 / (3 + 1)
			{model.F1, []*float64{fp(6.0 / 8), nil, nil}},          // 2·3 / (2·3 + 1 + 1)
			{model.Predictions, []*float64{fp(7), fp(2), fp(0)}},   // every prediction, outcome or not
			{model.Labelled, []*float64{fp(6), fp(0), fp(0)}},      // p4 never gets one
			{model.MeanConfidence, []*float64{fp(0.75), nil, nil}}, // (0.9 + 0.6 + 0.8 + 0.7) / 4
		}
		for _, c := range cases {
			res := compute(t, st, day(0), day(3), churnQuery(c.metric))
			sameValues(t, c.metric, seriesOf(t, res, "churn").Values, c.want)
		}
		// The same pairs through modelperf.
		pairs := []modelperf.LabelPair{lp("churn", "churn"), lp("churn", "stay"), lp("stay", "churn"), lp("stay", "stay"), lp("churn", "churn"), lp("churn", "churn")}
		m, err := modelperf.ClassifyLabels(pairs, "churn")
		if err != nil {
			t.Fatal(err)
		}
		res := compute(t, st, day(0), day(1), models.Query{Metric: model.F1, Bucket: "none", Model: &models.ModelOptions{Positive: "churn"}})
		sameValues(t, "f1 vs modelperf", seriesOf(t, res, "churn").Values, []*float64{fp(m.F1)})
		conf, _ := modelperf.MeanConfidence([]float64{0.9, 0.6, 0.8, 0.7})
		res = compute(t, st, day(0), day(1), models.Query{Metric: model.MeanConfidence, Bucket: "none"})
		sameValues(t, "confidence vs modelperf", seriesOf(t, res, "churn").Values, []*float64{fp(conf)})
	})
}

func TestPerformanceByVersionAndSegment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestNDJSON(t, st, "observations", churnPredictions)
		ingestNDJSON(t, st, "outcomes", churnOutcomes)
		q := churnQuery(model.Accuracy)
		q.Bucket, q.GroupBy = "none", []string{"model_version"}
		res := compute(t, st, day(0), day(1), q)
		// v1: p1 TP, p2 FP, p3 FN: 1/3. v2: p5 TN, p6 TP, p9 TP (p4 has none): 3/3.
		sameValues(t, "v1", seriesOf(t, res, "churn", "v1").Values, []*float64{fp(1.0 / 3)})
		sameValues(t, "v2", seriesOf(t, res, "churn", "v2").Values, []*float64{fp(1)})
		q.GroupBy, q.Model.Segment = nil, "region"
		res = compute(t, st, day(0), day(1), q)
		if strings.Join(res.GroupBy, ",") != "model,region" {
			t.Fatalf("group by %v", res.GroupBy)
		}
		// eu: p1 TP, p2 FP, p6 TP: 2/3. us: p3 FN, p5 TN, p9 TP: 2/3.
		sameValues(t, "eu", seriesOf(t, res, "churn", "eu").Values, []*float64{fp(2.0 / 3)})
		sameValues(t, "us", seriesOf(t, res, "churn", "us").Values, []*float64{fp(2.0 / 3)})
		// Filtered to v1 and grouped by both.
		q.GroupBy, q.Filters = []string{"model_version"}, map[string][]string{"model_version": {"v1"}}
		res = compute(t, st, day(0), day(1), q)
		sameValues(t, "v1 eu", seriesOf(t, res, "churn", "v1", "eu").Values, []*float64{fp(0.5)}) // p1 TP, p2 FP
		sameValues(t, "v1 us", seriesOf(t, res, "churn", "v1", "us").Values, []*float64{fp(0)})   // p3 FN
	})
}

func TestScoredPredictions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		// Scores of the positive class with 0/1 outcomes; f5 sits exactly on 0.5.
		ingestNDJSON(t, st, "observations", `{"model":"fraud","feature":"__prediction__","observed_at":"2024-05-01T01:00:00Z","prediction_id":"f1","score":0.9,"outcome":1}
{"model":"fraud","feature":"__prediction__","observed_at":"2024-05-01T02:00:00Z","prediction_id":"f2","score":0.7,"outcome":0}
{"model":"fraud","feature":"__prediction__","observed_at":"2024-05-01T03:00:00Z","prediction_id":"f3","score":0.2,"outcome":1}
{"model":"fraud","feature":"__prediction__","observed_at":"2024-05-01T04:00:00Z","prediction_id":"f4","score":0.1,"outcome":0}
{"model":"fraud","feature":"__prediction__","observed_at":"2024-05-01T05:00:00Z","prediction_id":"f5","score":0.5}
`)
		ingestNDJSON(t, st, "outcomes", `{"model":"fraud","prediction_id":"f5","outcome":1}`)
		pairs := []modelperf.ScorePair{sp(0.9, true), sp(0.7, false), sp(0.2, true), sp(0.1, false), sp(0.5, true)}
		for _, thr := range []float64{0.5, 0.8} {
			want, err := modelperf.ClassifyScores(pairs, thr)
			if err != nil {
				t.Fatal(err)
			}
			for metric, v := range map[string]float64{model.Accuracy: want.Accuracy, model.Precision: want.Precision, model.Recall: want.Recall,
				model.F1: want.F1, model.MeanConfidence: want.MeanConfidence} {
				res := compute(t, st, day(0), day(1), models.Query{Metric: metric, Bucket: "none", Model: &models.ModelOptions{ScoreThreshold: &thr}})
				sameValues(t, metric, seriesOf(t, res, "fraud").Values, []*float64{fp(v)})
			}
		}
		// By hand at 0.5: TP f1 f5, FP f2, FN f3, TN f4: accuracy 3/5; mean confidence
		// (0.9 + 0.7 + 0.8 + 0.9 + 0.5) / 5 = 0.76.
		res := compute(t, st, day(0), day(1), models.Query{Metric: model.Accuracy, Bucket: "none"})
		sameValues(t, "accuracy", res.Series[0].Values, []*float64{fp(0.6)})
		res = compute(t, st, day(0), day(1), models.Query{Metric: model.MeanConfidence, Bucket: "none"})
		sameValues(t, "mean confidence", res.Series[0].Values, []*float64{fp(0.76)})
	})
}

func TestRegressionErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestNDJSON(t, st, "observations", `{"model":"eta","feature":"__prediction__","observed_at":"2024-05-01T01:00:00Z","prediction_id":"e1","value":10,"outcome":12}
{"model":"eta","feature":"__prediction__","observed_at":"2024-05-01T02:00:00Z","prediction_id":"e2","value":20}
{"model":"eta","feature":"__prediction__","observed_at":"2024-05-01T03:00:00Z","prediction_id":"e3","value":30}
{"model":"eta","feature":"__prediction__","observed_at":"2024-05-01T04:00:00Z","prediction_id":"e4","value":5,"outcome":5}
{"model":"eta","feature":"__prediction__","observed_at":"2024-05-02T04:00:00Z","prediction_id":"e5","value":5}
`)
		ingestNDJSON(t, st, "outcomes", `{"model":"eta","prediction_id":"e2","outcome":18}`)
		// Errors 2, 2 and 0 (e3 and e5 have no outcome): MAE 4/3, RMSE sqrt(8/3); May 2 null.
		want, err := modelperf.Regress([]modelperf.RegressionPair{rp(10, 12), rp(20, 18), rp(5, 5)})
		if err != nil {
			t.Fatal(err)
		}
		if !near(want.MAE, 4.0/3) || !near(want.RMSE, math.Sqrt(8.0/3)) {
			t.Fatalf("modelperf %+v", want)
		}
		for metric, v := range map[string]float64{model.MAE: want.MAE, model.RMSE: want.RMSE} {
			res := compute(t, st, day(0), day(2), models.Query{Metric: metric, Bucket: "1d"})
			sameValues(t, metric, seriesOf(t, res, "eta").Values, []*float64{fp(v), nil})
		}
	})
}

func TestFairnessBySegment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestNDJSON(t, st, "observations", churnPredictions)
		ingestNDJSON(t, st, "outcomes", churnOutcomes)
		// eu: p1 TP, p2 FP, p6 TP: selection 3/3, TPR 2/2, FPR 1/1.
		// us: p3 FN, p5 TN, p9 TP: selection 1/3, TPR 1/2, FPR 0/1.
		// DPD 1 − 1/3; DIR (1/3) / 1; EOD max(1 − 1/2, 1 − 0) = 1.
		want, err := modelperf.FairnessBySegment([]modelperf.SegmentOutcome{
			so("eu", true, true), so("eu", true, false), so("eu", true, true),
			so("us", false, true), so("us", false, false), so("us", true, true),
		})
		if err != nil {
			t.Fatal(err)
		}
		if !near(want.DemographicParityDifference, 2.0/3) || !near(want.DisparateImpactRatio, 1.0/3) || want.EqualizedOddsDifference != 1 {
			t.Fatalf("modelperf %+v", want)
		}
		opts := &models.ModelOptions{Positive: "churn", Segment: "region"}
		for metric, v := range map[string]float64{model.DemographicParity: want.DemographicParityDifference,
			model.DisparateImpact: want.DisparateImpactRatio, model.EqualizedOdds: want.EqualizedOddsDifference} {
			res := compute(t, st, day(0), day(3), models.Query{Metric: metric, Bucket: "1d", Model: opts})
			// May 2 has predictions but no outcomes: no fairness either.
			sameValues(t, metric, seriesOf(t, res, "churn").Values, []*float64{fp(v), nil, nil})
		}
		fs := frames(t, st, day(0), day(3), models.Query{Metric: model.Fairness, Bucket: "none", Model: opts})
		f := fs[0]
		if field(t, f, "region").At(0) != "eu" || field(t, f, "region").At(1) != "us" || f.Rows() != 2 {
			t.Fatalf("segments %v %v (%d rows)", field(t, f, "region").At(0), field(t, f, "region").At(1), f.Rows())
		}
		for i, s := range want.Segments {
			if got := *field(t, f, "selection_rate").At(i).(*float64); !near(got, s.SelectionRate) {
				t.Errorf("%s selection rate %v, want %v", s.Segment, got, s.SelectionRate)
			}
			if got := *field(t, f, "true_positive_rate").At(i).(*float64); !near(got, s.TruePositiveRate) {
				t.Errorf("%s TPR %v, want %v", s.Segment, got, s.TruePositiveRate)
			}
			if got := field(t, f, "predictions").At(i).(int64); got != 3 {
				t.Errorf("%s n %d", s.Segment, got)
			}
		}
		if got := *field(t, f, "equalized_odds_difference").At(0).(*float64); got != 1 {
			t.Errorf("EOD column %v", got)
		}
		if _, err := computeErr(st, day(0), day(3), models.Query{Metric: model.Fairness}); err == nil {
			t.Fatal("the fairness table was accepted as a series")
		}
	})
}

func TestFairnessLeavesUndefinedRatesOut(t *testing.T) {
	st := storetest.OpenSQLite(t)
	// Segment b has no actual negatives: its false positive rate is undefined, left out
	// of the FPR difference (fairlearn would read 0), and the notice says so.
	ingestNDJSON(t, st, "observations", `{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T01:00:00Z","prediction_id":"1","value":1,"outcome":0,"segment":{"g":"a"}}
{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T02:00:00Z","prediction_id":"2","value":0,"outcome":1,"segment":{"g":"a"}}
{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T03:00:00Z","prediction_id":"3","value":1,"outcome":1,"segment":{"g":"b"}}
{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T04:00:00Z","prediction_id":"4","value":1,"outcome":1}
`)
	q := models.Query{Metric: model.EqualizedOdds, Bucket: "none", Model: &models.ModelOptions{Segment: "g"}}
	// a: TPR 0/1, FPR 1/1; b: TPR 1/1, FPR undefined. EOD = max(1 − 0, FPR diff of a alone = 0) = 1.
	fs := frames(t, st, day(0), day(1), q)
	sameValues(t, "eod", []*float64{fs[0].Fields[0].At(0).(*float64)}, []*float64{fp(1)})
	n := notices(fs)
	if !strings.Contains(n, `false positive rate undefined for segments ["b"]`) || !strings.Contains(n, `1 predictions have no "g" segment label and are left out`) {
		t.Fatalf("notices %q", n)
	}
}

func lp(predicted, actual string) modelperf.LabelPair {
	return modelperf.LabelPair{Predicted: predicted, Actual: actual}
}

func sp(score float64, actual bool) modelperf.ScorePair {
	return modelperf.ScorePair{Score: score, Actual: actual}
}

func rp(predicted, actual float64) modelperf.RegressionPair {
	return modelperf.RegressionPair{Predicted: predicted, Actual: actual}
}

func so(segment string, predicted, actual bool) modelperf.SegmentOutcome {
	return modelperf.SegmentOutcome{Segment: segment, Predicted: predicted, Actual: actual}
}
