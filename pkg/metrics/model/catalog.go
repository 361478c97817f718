package model

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the model metrics. Each statistic is computed by pkg/stats/drift
// or pkg/stats/modelperf, which golden vectors hold to the implementation named as
// the source (testdata/drift).
func Catalog() []catalog.Entry {
	entry := func(metric, name, formula, unit, dir, desc, source string, dims []string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeModel, Metric: metric, Name: name, Family: "Model health",
			Formula: formula, Unit: unit, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	drift := []string{"model", "feature", "model_version"}
	perf := []string{"model", "model_version", "segment"}
	return []catalog.Entry{
		entry(PSI, "Population stability index (PSI)", "Σ (c_k − r_k) · ln(c_k / r_k) over the reference's quantile bins (categories for categorical features); an empty bin counts as 1e-4", "none", "lower",
			"How far a feature's distribution moved from the reference. Below 0.1 stable, 0.1–0.2 moderate, 0.2 and above drifted (the default threshold). Bins: model.bins, default 10.",
			"Siddiqi, Credit Risk Scorecards (2006) for the 0.1/0.2 bands; bins at numpy.quantile (linear) cut points; empty-bin epsilon as Evidently", drift),
		entry(KS, "Kolmogorov–Smirnov statistic", "D = sup |F_ref(x) − F_cur(x)|; p-value two-sided (exact up to 10,000 values per window, else asymptotic)", "none", "lower",
			"Largest gap between the two empirical CDFs of a numeric feature. Drifted when the p-value is below alpha (model.threshold, default 0.05); model.output p_value charts the p-value.",
			"scipy.stats.ks_2samp(reference, current, method='auto')", drift),
		entry(Wasserstein, "Wasserstein-1 distance", "∫ |F_ref(x) − F_cur(x)| dx", "none", "lower",
			"Average distance the mass moved, in the feature's own units: no default threshold (set model.threshold to flag drift).",
			"scipy.stats.wasserstein_distance(reference, current)", drift),
		entry(WassersteinNormed, "Wasserstein distance / reference std", "wasserstein_distance / std(reference, ddof=0)", "none", "lower",
			"The distance in reference standard deviations; drifted at 0.1 and above. A constant reference gives +Inf (drifted) unless the current window is the same constant.",
			"scipy.stats.wasserstein_distance divided by numpy.std(reference) (Evidently's normed Wasserstein)", drift),
		entry(JSD, "Jensen–Shannon distance", "sqrt((KL(p‖m) + KL(q‖m)) / 2), m = (p + q) / 2, log base 2, over the PSI bins (or categories)", "none", "lower",
			"Symmetric, bounded [0, 1] distance between the binned distributions; drifted at 0.1 and above.",
			"scipy.spatial.distance.jensenshannon(reference_counts, current_counts, base=2)", drift),
		entry(ChiSquare, "Chi-square statistic (categorical)", "Σ (O − E)² / E over the 2 × K table of reference and current category counts (Yates when K = 2)", "none", "lower",
			"Test of homogeneity for categorical features, a category new in the current window included. Drifted when p < alpha (default 0.05); model.output p_value charts the p-value.",
			"scipy.stats.chi2_contingency([reference_counts, current_counts])", drift),
		entry(DriftLag, "Drift detection lag", "alert time − start of the first drifted bucket at or before it", "s", "lower",
			"How long drift went unnoticed. The alert is model.alertAt, or else the end of the bucket where the retraining trigger's drift condition fires (model.retrain.consecutive drifted buckets).",
			"Kaizen Ops definition (pkg/stats/modelperf.DriftDetectionLag)", drift),
		entry(Accuracy, "Accuracy", "(TP + TN) / predictions with an outcome", "percentunit", "higher",
			"Share of predictions that came true, by prediction time. A bucket whose outcomes have not arrived is null, not 0.",
			"sklearn.metrics.accuracy_score", perf),
		entry(Precision, "Precision", "TP / (TP + FP)", "percentunit", "higher",
			"Of the predictions of the positive class (model.positive; score ≥ model.scoreThreshold), the share that came true; null without predicted positives.",
			"sklearn.metrics.precision_score(zero_division=np.nan)", perf),
		entry(Recall, "Recall", "TP / (TP + FN)", "percentunit", "higher",
			"Of the actual positives, the share the model predicted; null without actual positives.",
			"sklearn.metrics.recall_score(zero_division=np.nan)", perf),
		entry(F1, "F1 score", "2·TP / (2·TP + FP + FN)", "percentunit", "higher",
			"Harmonic mean of precision and recall; null when there are no positives at all.",
			"sklearn.metrics.f1_score(zero_division=np.nan)", perf),
		entry(MAE, "Mean absolute error", "Σ |prediction − outcome| / n", "none", "lower",
			"Regression error of numeric predictions with numeric outcomes, in the target's units.",
			"sklearn.metrics.mean_absolute_error", perf),
		entry(RMSE, "Root mean squared error", "sqrt(Σ (prediction − outcome)² / n)", "none", "lower",
			"Regression error that weighs large misses more.",
			"sklearn.metrics.root_mean_squared_error", perf),
		entry(MeanConfidence, "Mean prediction confidence", "mean of confidence, or of max(score, 1 − score) for a positive-class score", "percentunit", "",
			"How sure the model is of its predictions, outcomes or not; a fall can announce trouble before outcomes arrive.",
			"mean of sklearn predict_proba for the predicted class (pkg/stats/modelperf.ClassifyScores)", perf),
		entry(Predictions, "Predictions", "count of prediction rows in the bucket", "short", "",
			"Prediction volume; empty buckets are 0.", "Kaizen Ops definition", perf),
		entry(Labelled, "Predictions with an outcome", "count of predictions whose outcome is known", "short", "higher",
			"How many predictions performance is computed from; outcomes sent later fill past buckets.", "Kaizen Ops definition", perf),
		entry(DemographicParity, "Demographic parity difference", "max − min over segments of the selection rate (TP + FP) / n", "percentunit", "lower",
			"Gap in the share predicted positive between segments of model.segment (0 is parity). From predictions with an outcome.",
			"fairlearn.metrics.demographic_parity_difference", []string{"model", "model_version"}),
		entry(DisparateImpact, "Disparate impact ratio", "min / max over segments of the selection rate", "none", "higher",
			"1 is parity; the four-fifths rule reads it against 0.8. Null when no segment selects anyone.",
			"fairlearn.metrics.demographic_parity_ratio", []string{"model", "model_version"}),
		entry(EqualizedOdds, "Equalized odds difference", "max(TPR difference, FPR difference) over segments", "percentunit", "lower",
			"Worst gap in true or false positive rate between segments; a segment whose rate is undefined is left out (noted), not read as 0.",
			"fairlearn.metrics.equalized_odds_difference (agg='worst_case')", []string{"model", "model_version"}),
		entry(Fairness, "Fairness by segment (table)", "per segment: n, selection rate, true and false positive rates, TP/FP/TN/FN", "percentunit", "",
			"The per-segment rates behind the disparity metrics, as a table.",
			"fairlearn.metrics.MetricFrame(selection_rate, true_positive_rate, false_positive_rate)", []string{"model", "model_version"}),
		entry(Retrain, "Retraining trigger", "1 from the bucket where drift held for N consecutive buckets (any feature) or performance passed its threshold, else 0", "none", "lower",
			"Per model: an alert rule on the last value fires when the model should be retrained; the table format says when and why.",
			"Kaizen Ops definition (pkg/stats/modelperf.EvaluateRetrainTrigger); Google Cloud, MLOps: continuous delivery and automation pipelines in machine learning", []string{"model"}),
	}
}
