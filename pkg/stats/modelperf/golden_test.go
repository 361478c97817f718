package modelperf

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Vectors from scripts/golden/drift.py (scikit-learn, fairlearn); read only.

// jnum reads the script's numbers; null is NaN (undefined).
type jnum float64

func (j *jnum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*j = jnum(math.NaN())
		return nil
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*j = jnum(f)
	return err
}

func check(t *testing.T, what string, got float64, want jnum) {
	t.Helper()
	w := float64(want)
	switch {
	case math.IsNaN(w):
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want undefined (NaN)", what, got)
		}
	case w == 0:
		if got != 0 {
			t.Errorf("%s = %v, want 0", what, got)
		}
	case math.Abs(got-w) > 1e-9*math.Abs(w):
		t.Errorf("%s = %.17g, want %.17g", what, got, w)
	}
}

type goldenFile struct {
	Classification []struct {
		Name           string
		Kind           string
		Positive       string
		Actual         []string
		Predicted      []string
		Threshold      float64
		ActualBool     []bool `json:"actual_bool"`
		Scores         []float64
		Accuracy       jnum
		Precision      jnum
		Recall         jnum
		F1             jnum
		MeanConfidence jnum `json:"mean_confidence"`
	}
	Regression []struct {
		Name      string
		Actual    []float64
		Predicted []float64
		MAE, RMSE jnum
	}
	Fairness []struct {
		Name       string
		Segments   []string
		Actual     []bool
		Predicted  []bool
		DPD        jnum `json:"demographic_parity_difference"`
		DIR        jnum `json:"disparate_impact_ratio"`
		EOD        jnum `json:"equalized_odds_difference"`
		PerSegment map[string]struct {
			SelectionRate jnum `json:"selection_rate"`
			TPR, FPR      jnum
		} `json:"per_segment"`
	}
}

func loadGolden(t *testing.T) goldenFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "drift", "modelperf.json"))
	if err != nil {
		t.Fatalf("read golden vectors (run scripts/golden/drift.py): %v", err)
	}
	var f goldenFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestGoldenClassification(t *testing.T) {
	for _, c := range loadGolden(t).Classification {
		t.Run(c.Name, func(t *testing.T) {
			var got Classification
			var err error
			switch c.Kind {
			case "labels":
				pairs := make([]LabelPair, len(c.Actual))
				for i := range pairs {
					pairs[i] = LabelPair{Predicted: c.Predicted[i], Actual: c.Actual[i]}
				}
				got, err = ClassifyLabels(pairs, c.Positive)
			case "scores":
				pairs := make([]ScorePair, len(c.Scores))
				for i := range pairs {
					pairs[i] = ScorePair{Score: c.Scores[i], Actual: c.ActualBool[i]}
				}
				got, err = ClassifyScores(pairs, c.Threshold)
				check(t, "mean confidence", got.MeanConfidence, c.MeanConfidence)
			default:
				t.Fatalf("unknown kind %q", c.Kind)
			}
			if err != nil {
				t.Fatal(err)
			}
			check(t, "accuracy", got.Accuracy, c.Accuracy)
			check(t, "precision", got.Precision, c.Precision)
			check(t, "recall", got.Recall, c.Recall)
			check(t, "f1", got.F1, c.F1)
		})
	}
}

func TestGoldenRegression(t *testing.T) {
	for _, c := range loadGolden(t).Regression {
		t.Run(c.Name, func(t *testing.T) {
			pairs := make([]RegressionPair, len(c.Actual))
			for i := range pairs {
				pairs[i] = RegressionPair{Predicted: c.Predicted[i], Actual: c.Actual[i]}
			}
			got, err := Regress(pairs)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "mae", got.MAE, c.MAE)
			check(t, "rmse", got.RMSE, c.RMSE)
		})
	}
}

func TestGoldenFairness(t *testing.T) {
	for _, c := range loadGolden(t).Fairness {
		t.Run(c.Name, func(t *testing.T) {
			obs := make([]SegmentOutcome, len(c.Segments))
			for i := range obs {
				obs[i] = SegmentOutcome{Segment: c.Segments[i], Predicted: c.Predicted[i], Actual: c.Actual[i]}
			}
			got, err := FairnessBySegment(obs)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "demographic parity difference", got.DemographicParityDifference, c.DPD)
			check(t, "disparate impact ratio", got.DisparateImpactRatio, c.DIR)
			check(t, "equalized odds difference", got.EqualizedOddsDifference, c.EOD)
			if len(got.Segments) != len(c.PerSegment) {
				t.Fatalf("%d segments, want %d", len(got.Segments), len(c.PerSegment))
			}
			for _, s := range got.Segments {
				want := c.PerSegment[s.Segment]
				check(t, s.Segment+" selection rate", s.SelectionRate, want.SelectionRate)
				check(t, s.Segment+" tpr", s.TruePositiveRate, want.TPR)
				check(t, s.Segment+" fpr", s.FalsePositiveRate, want.FPR)
			}
		})
	}
}
