package modelperf

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestUndefinedIsNaNNotZero(t *testing.T) {
	tests := []struct {
		name                  string
		c                     Confusion
		precision, recall, f1 bool // defined?
	}{
		{"no predicted positives", Confusion{FN: 2, TN: 3}, false, true, true},
		{"no actual positives", Confusion{FP: 2, TN: 3}, true, false, true},
		{"no positives at all", Confusion{TN: 5}, false, false, false},
		{"everything", Confusion{TP: 1, FP: 1, FN: 1, TN: 1}, true, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.c.Metrics()
			for _, v := range []struct {
				what    string
				x       float64
				defined bool
			}{{"precision", m.Precision, tc.precision}, {"recall", m.Recall, tc.recall}, {"f1", m.F1, tc.f1}} {
				if math.IsNaN(v.x) == v.defined {
					t.Errorf("%s = %v, defined should be %v", v.what, v.x, v.defined)
				}
			}
			if !math.IsNaN(m.MeanConfidence) {
				t.Errorf("mean confidence without scores = %v", m.MeanConfidence)
			}
		})
	}
	// With positives but no hits F1 is a real 0.
	if f1 := (Confusion{FP: 1, FN: 1}).F1(); f1 != 0 {
		t.Fatalf("f1 = %v, want 0", f1)
	}
}

func TestClassifyScoresByHand(t *testing.T) {
	pairs := []ScorePair{{0.9, true}, {0.6, false}, {0.4, true}, {0.1, false}, {0.5, true}}
	m, err := ClassifyScores(pairs, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	// >= 0.5 is positive: TP = {0.9, 0.5}, FP = {0.6}, FN = {0.4}, TN = {0.1}.
	if m.Confusion != (Confusion{TP: 2, FP: 1, FN: 1, TN: 1}) {
		t.Fatalf("%+v", m.Confusion)
	}
	wantConf := (0.9 + 0.6 + 0.6 + 0.9 + 0.5) / 5
	if math.Abs(m.MeanConfidence-wantConf) > 1e-15 || m.Accuracy != 0.6 || m.Precision != 2.0/3 || m.Recall != 2.0/3 {
		t.Fatalf("%+v", m)
	}
}

func TestClassificationErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"no labels", func() error { _, err := ClassifyLabels(nil, "x"); return err }, ErrEmpty},
		{"no scores", func() error { _, err := ClassifyScores(nil, 0.5); return err }, ErrEmpty},
		{"score above 1", func() error { _, err := ClassifyScores([]ScorePair{{1.2, true}}, 0.5); return err }, ErrBadValue},
		{"NaN score", func() error { _, err := ClassifyScores([]ScorePair{{math.NaN(), true}}, 0.5); return err }, ErrBadValue},
		{"threshold 0", func() error { _, err := ClassifyScores([]ScorePair{{0.2, true}}, 0); return err }, ErrBadOption},
		{"no pairs", func() error { _, err := Regress(nil); return err }, ErrEmpty},
		{"Inf prediction", func() error { _, err := Regress([]RegressionPair{{math.Inf(1), 1}}); return err }, ErrBadValue},
		{"confidence 2", func() error { _, err := MeanConfidence([]float64{0.5, 2}); return err }, ErrBadValue},
		{"no segments", func() error { _, err := FairnessBySegment(nil); return err }, ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRegressionByHand(t *testing.T) {
	r, err := Regress([]RegressionPair{{1, 2}, {4, 2}, {3, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if r.MAE != 1 || math.Abs(r.RMSE-math.Sqrt(5.0/3)) > 1e-15 || r.N != 3 {
		t.Fatalf("%+v", r)
	}
	var empty RegressionErrors
	if !math.IsNaN(empty.MAE()) || !math.IsNaN(empty.RMSE()) {
		t.Fatal("empty accumulator must be undefined")
	}
}

func TestFairnessByHand(t *testing.T) {
	seg := func(s string, pred, act bool, n int) []SegmentOutcome {
		out := make([]SegmentOutcome, n)
		for i := range out {
			out[i] = SegmentOutcome{s, pred, act}
		}
		return out
	}
	var obs []SegmentOutcome
	// a: 4 TP, 1 FN, 1 FP, 4 TN -> selection 0.5, TPR 0.8, FPR 0.2
	obs = append(obs, seg("a", true, true, 4)...)
	obs = append(obs, seg("a", false, true, 1)...)
	obs = append(obs, seg("a", true, false, 1)...)
	obs = append(obs, seg("a", false, false, 4)...)
	// b: 1 TP, 1 FN, 0 FP, 8 TN -> selection 0.1, TPR 0.5, FPR 0
	obs = append(obs, seg("b", true, true, 1)...)
	obs = append(obs, seg("b", false, true, 1)...)
	obs = append(obs, seg("b", false, false, 8)...)
	f, err := FairnessBySegment(obs)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-15 }
	if !near(f.DemographicParityDifference, 0.4) || !near(f.DisparateImpactRatio, 0.2) ||
		!near(f.TPRDifference, 0.3) || !near(f.FPRDifference, 0.2) || !near(f.EqualizedOddsDifference, 0.3) {
		t.Fatalf("%+v", f)
	}
	if f.Segments[0].Segment != "a" || f.Segments[1].Segment != "b" || len(f.Notes) != 0 {
		t.Fatalf("%+v", f.Segments)
	}
}

func TestFairnessLeavesUndefinedRatesOut(t *testing.T) {
	f, err := FairnessFromConfusions(map[string]Confusion{
		"a": {TP: 3, FN: 1, FP: 1, TN: 5},
		"b": {FP: 2, TN: 8}, // no actual positives: TPR undefined
	})
	if err != nil {
		t.Fatal(err)
	}
	// TPR only defined for a: difference 0; FPR 1/6 vs 2/10.
	if f.TPRDifference != 0 || math.Abs(f.FPRDifference-(0.2-1.0/6)) > 1e-15 ||
		len(f.Notes) != 1 || !strings.Contains(f.Notes[0], `["b"]`) {
		t.Fatalf("%+v", f)
	}
	none, _ := FairnessFromConfusions(map[string]Confusion{"a": {TN: 3}, "b": {FN: 2}})
	if !math.IsNaN(none.DisparateImpactRatio) || none.DemographicParityDifference != 0 {
		t.Fatalf("nobody selected: %+v", none)
	}
}

func series(start time.Time, step time.Duration, vals ...float64) []Point {
	ps := make([]Point, len(vals))
	for i, v := range vals {
		ps[i] = Point{At: start.Add(time.Duration(i) * step), Value: v}
	}
	return ps
}

func TestRetrainTrigger(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	h := time.Hour
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * h) }
	nan := math.NaN()
	tests := []struct {
		name        string
		drift, perf []Point
		rule        TriggerRule
		want        TriggerDecision
	}{
		{
			name:  "drift run of three",
			drift: series(t0, h, 0.05, 0.25, 0.3, 0.1, 0.22, 0.21, 0.4, 0.3),
			perf:  series(t0, h, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9),
			rule:  TriggerRule{DriftThreshold: 0.2, Consecutive: 3, PerformanceThreshold: 0.8},
			want:  TriggerDecision{Trigger: true, FiredAt: at(6), Conditions: []Condition{ConditionDrift}, DriftRunStart: at(4)},
		},
		{
			name:  "missing bucket breaks the run",
			drift: series(t0, h, 0.3, nan, 0.3, 0.3),
			rule:  TriggerRule{DriftThreshold: 0.2, Consecutive: 3},
			want:  TriggerDecision{},
		},
		{
			name:  "performance first",
			drift: series(t0, h, 0.3, 0.3, 0.3),
			perf:  series(t0, h, 0.9, 0.7, 0.9),
			rule:  TriggerRule{DriftThreshold: 0.2, Consecutive: 3, PerformanceThreshold: 0.8},
			want:  TriggerDecision{Trigger: true, FiredAt: at(1), Conditions: []Condition{ConditionPerformance}},
		},
		{
			name:  "both at once",
			drift: series(t0, h, 0.3, 0.3),
			perf:  series(t0, h, 0.9, 0.7),
			rule:  TriggerRule{DriftThreshold: 0.2, Consecutive: 2, PerformanceThreshold: 0.8},
			want:  TriggerDecision{Trigger: true, FiredAt: at(1), Conditions: []Condition{ConditionDrift, ConditionPerformance}, DriftRunStart: at(0)},
		},
		{
			name: "RMSE is bad above its threshold",
			perf: series(t0, h, 1.0, 1.4, 2.5),
			rule: TriggerRule{Consecutive: 1, PerformanceThreshold: 2, LowerIsBetter: true},
			want: TriggerDecision{Trigger: true, FiredAt: at(2), Conditions: []Condition{ConditionPerformance}},
		},
		{
			name:  "p-value series",
			drift: series(t0, h, 0.5, 0.01, 0.001),
			rule:  TriggerRule{DriftThreshold: 0.05, DriftIsPValue: true, Consecutive: 2},
			want:  TriggerDecision{Trigger: true, FiredAt: at(2), Conditions: []Condition{ConditionDrift}, DriftRunStart: at(1)},
		},
		{
			name:  "quiet",
			drift: series(t0, h, 0.01, 0.02),
			perf:  series(t0, h, 0.95, nan),
			rule:  TriggerRule{DriftThreshold: 0.2, Consecutive: 1, PerformanceThreshold: 0.8},
			want:  TriggerDecision{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := EvaluateRetrainTrigger(tc.drift, tc.perf, tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			if got.Trigger != tc.want.Trigger || !got.FiredAt.Equal(tc.want.FiredAt) ||
				!got.DriftRunStart.Equal(tc.want.DriftRunStart) || len(got.Conditions) != len(tc.want.Conditions) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got.Conditions {
				if got.Conditions[i] != tc.want.Conditions[i] {
					t.Fatalf("conditions %v, want %v", got.Conditions, tc.want.Conditions)
				}
			}
		})
	}
}

func TestRetrainTriggerErrors(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := EvaluateRetrainTrigger(nil, nil, TriggerRule{}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("consecutive 0: %v", err)
	}
	unsorted := []Point{{t0.Add(time.Hour), 1}, {t0, 1}}
	if _, err := EvaluateRetrainTrigger(unsorted, nil, TriggerRule{Consecutive: 1}); !errors.Is(err, ErrBadValue) ||
		!strings.Contains(err.Error(), "drift series, bucket 2") {
		t.Fatalf("unsorted: %v", err)
	}
}

func TestDriftDetectionLag(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	s := series(t0, time.Hour, 0.05, 0.1, 0.25, 0.3, 0.4)
	tests := []struct {
		name    string
		alertAt time.Time
		lag     time.Duration
		ok      bool
	}{
		{"alert three hours after drift began", t0.Add(5 * time.Hour), 3 * time.Hour, true},
		{"alert in the first drifted bucket", t0.Add(2 * time.Hour), 0, true},
		{"alert before any drift", t0.Add(time.Hour), 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lag, ok := DriftDetectionLag(s, 0.2, false, tc.alertAt)
			if lag != tc.lag || ok != tc.ok {
				t.Fatalf("lag %v ok %v, want %v %v", lag, ok, tc.lag, tc.ok)
			}
		})
	}
}
