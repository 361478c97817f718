// Package model computes ML model health (DESIGN.md section 3, "Drift" and "Model
// performance"): drift of each feature and of the predictions against a reference
// window (PSI, KS, Wasserstein, Jensen-Shannon, chi-square), drift detection lag,
// performance over time from predictions joined with outcomes that may arrive later
// (accuracy, precision, recall, F1, MAE, RMSE, mean confidence), fairness by segment
// (demographic parity difference, disparate impact ratio, equalized odds difference)
// and a retraining-trigger state. The statistics are pkg/stats/drift and
// pkg/stats/modelperf; this package feeds them from the store. Definitions, query
// fields and frame shapes: docs/model.md.
//
// # Memory
//
// Drift never holds a window's raw values. Sorted values stream from SQL (ORDER BY
// value over the model_observations_value index, or a snapshot's primary key) in
// chunks of 4096 into drift's streaming functions, and bin and category counts are
// computed by SQL (GROUP BY a CASE over the cut points). Memory per query is
// O(buckets x features x bins) plus one chunk per open stream, whatever the number of
// observations; time is O(observations) per reference and current window read, and
// a KS or Wasserstein series reads its reference once per bucket. Performance and
// fairness sum confusion counts in SQL (O(buckets x groups x segments) memory);
// MAE and RMSE stream (prediction, outcome) pairs into O(1) accumulators per group.
package model

import (
	"slices"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	// Drift statistics, per model and feature (numeric: psi, ks, wasserstein,
	// wasserstein_normed, jsd; categorical: psi, jsd, chisquare).
	PSI               = "psi"
	KS                = "ks"
	Wasserstein       = "wasserstein"
	WassersteinNormed = "wasserstein_normed"
	JSD               = "jsd"
	ChiSquare         = "chisquare"
	// DriftLag is the time from the first drifted bucket to its alert.
	DriftLag = "drift_lag"

	// Performance, per model (and model_version, segment), by prediction time.
	Accuracy       = "accuracy"
	Precision      = "precision"
	Recall         = "recall"
	F1             = "f1"
	MAE            = "mae"
	RMSE           = "rmse"
	MeanConfidence = "mean_confidence"
	Predictions    = "predictions"
	Labelled       = "labelled"

	// Fairness between the segments of model.segment.
	DemographicParity = "demographic_parity_difference"
	DisparateImpact   = "disparate_impact_ratio"
	EqualizedOdds     = "equalized_odds_difference"
	// Fairness is the per-segment rates table.
	Fairness = "fairness"

	// Retrain is the retraining-trigger state (0 or 1) per model.
	Retrain = "retrain"
)

// Metrics lists the model metrics in the order editors offer them.
func Metrics() []string {
	return []string{PSI, KS, Wasserstein, WassersteinNormed, JSD, ChiSquare, DriftLag,
		Accuracy, Precision, Recall, F1, MAE, RMSE, MeanConfidence, Predictions, Labelled,
		DemographicParity, DisparateImpact, EqualizedOdds, Fairness, Retrain}
}

var driftMetrics = []string{PSI, KS, Wasserstein, WassersteinNormed, JSD, ChiSquare}

var perfMetrics = []string{Accuracy, Precision, Recall, F1, MAE, RMSE, MeanConfidence, Predictions, Labelled}

var fairnessMetrics = []string{DemographicParity, DisparateImpact, EqualizedOdds}

func isDrift(m string) bool    { return slices.Contains(driftMetrics, m) }
func isPerf(m string) bool     { return slices.Contains(perfMetrics, m) }
func isFairness(m string) bool { return slices.Contains(fairnessMetrics, m) }

// lowerIsBetter: error metrics, for the retraining trigger's performance condition.
func lowerIsBetter(m string) bool { return m == MAE || m == RMSE }

// Kinds of feature: a feature's observations are all numbers or all categories.
const (
	Numeric     = "numeric"
	Categorical = "categorical"
)

// appliesTo says whether a drift statistic is defined for a feature kind.
func appliesTo(metric, kind string) bool {
	switch metric {
	case KS, Wasserstein, WassersteinNormed:
		return kind == Numeric
	case ChiSquare:
		return kind == Categorical
	}
	return true
}

// dimensions: what model queries filter by (model, feature, model_version) and
// group performance and fairness by (model_version; the segment is model.segment).
var dimensions = query.Dimensions{
	"model":         "model",
	"model_version": "model_version",
	"feature":       "feature",
}

// Dimensions lists what model queries can be filtered by.
func Dimensions() []string { return dimensions.Names() }

// PredictionFeature is the feature name of prediction rows.
const PredictionFeature = ingest.PredictionFeature
