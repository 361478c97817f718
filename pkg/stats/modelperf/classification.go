package modelperf

import (
	"errors"
	"fmt"
	"math"
)

// Errors, wrapped with the position they concern.
var (
	ErrEmpty     = errors.New("no observations")
	ErrBadValue  = errors.New("invalid value")
	ErrBadOption = errors.New("invalid option")
)

// Confusion counts binary outcomes; the zero value is ready to use.
type Confusion struct {
	TP, FP, TN, FN int64
}

// Add counts one prediction against its outcome.
func (c *Confusion) Add(predicted, actual bool) {
	switch {
	case predicted && actual:
		c.TP++
	case predicted:
		c.FP++
	case actual:
		c.FN++
	default:
		c.TN++
	}
}

// N is the number of pairs counted.
func (c Confusion) N() int64 { return c.TP + c.FP + c.TN + c.FN }

// ratio is num/den, NaN when den is 0 (undefined, not zero).
func ratio(num, den int64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// Accuracy is (TP+TN)/N.
func (c Confusion) Accuracy() float64 { return ratio(c.TP+c.TN, c.N()) }

// Precision is TP/(TP+FP); NaN with no predicted positives.
func (c Confusion) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall (true positive rate) is TP/(TP+FN); NaN with no actual positives.
func (c Confusion) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall, 2TP/(2TP+FP+FN); NaN
// only when there are no positives at all, predicted or actual (with
// positives but no hits it is a true 0).
func (c Confusion) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// FalsePositiveRate is FP/(FP+TN); NaN with no actual negatives.
func (c Confusion) FalsePositiveRate() float64 { return ratio(c.FP, c.FP+c.TN) }

// SelectionRate is the share predicted positive, (TP+FP)/N.
func (c Confusion) SelectionRate() float64 { return ratio(c.TP+c.FP, c.N()) }

// Classification is a set of binary classification metrics.
type Classification struct {
	Confusion
	Accuracy, Precision, Recall, F1 float64
	// MeanConfidence is the mean probability the model gave its own
	// prediction, max(s, 1-s) for a score s; NaN for label pairs.
	MeanConfidence float64
}

// Metrics derives the metrics from the counts.
func (c Confusion) Metrics() Classification {
	return Classification{
		Confusion: c,
		Accuracy:  c.Accuracy(), Precision: c.Precision(), Recall: c.Recall(), F1: c.F1(),
		MeanConfidence: math.NaN(),
	}
}

// LabelPair is a predicted label with the label that came true.
type LabelPair struct {
	Predicted, Actual string
}

// ClassifyLabels scores label predictions with one label as the positive
// class (every other label is negative).
func ClassifyLabels(pairs []LabelPair, positive string) (Classification, error) {
	if len(pairs) == 0 {
		return Classification{}, fmt.Errorf("classification: %w", ErrEmpty)
	}
	var c Confusion
	for _, p := range pairs {
		c.Add(p.Predicted == positive, p.Actual == positive)
	}
	return c.Metrics(), nil
}

// ScorePair is a positive-class probability with the outcome.
type ScorePair struct {
	Score  float64 // in [0, 1]
	Actual bool
}

// ClassifyScores predicts positive when Score >= threshold (threshold in
// (0, 1]; 0.5 is the usual choice) and adds the mean confidence.
func ClassifyScores(pairs []ScorePair, threshold float64) (Classification, error) {
	if !(threshold > 0 && threshold <= 1) {
		return Classification{}, fmt.Errorf("classification: threshold %v not in (0, 1]: %w", threshold, ErrBadOption)
	}
	if len(pairs) == 0 {
		return Classification{}, fmt.Errorf("classification: %w", ErrEmpty)
	}
	var c Confusion
	conf := 0.0
	for i, p := range pairs {
		if !(p.Score >= 0 && p.Score <= 1) {
			return Classification{}, fmt.Errorf("classification: pair %d: score %v not in [0, 1]: %w", i+1, p.Score, ErrBadValue)
		}
		c.Add(p.Score >= threshold, p.Actual)
		conf += max(p.Score, 1-p.Score)
	}
	m := c.Metrics()
	m.MeanConfidence = conf / float64(len(pairs))
	return m, nil
}

// MeanConfidence averages per-prediction confidences (for multi-class
// models, the probability of the predicted class), each in [0, 1].
func MeanConfidence(confidences []float64) (float64, error) {
	if len(confidences) == 0 {
		return math.NaN(), fmt.Errorf("mean confidence: %w", ErrEmpty)
	}
	sum := 0.0
	for i, c := range confidences {
		if !(c >= 0 && c <= 1) {
			return math.NaN(), fmt.Errorf("mean confidence: value %d (%v) not in [0, 1]: %w", i+1, c, ErrBadValue)
		}
		sum += c
	}
	return sum / float64(len(confidences)), nil
}
