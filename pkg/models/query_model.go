package models

// ModelOptions are the options of ML model health queries (query type "model":
// drift, performance, fairness, retraining trigger; pkg/metrics/model, docs/model.md).
// Which models and features are read is set by filters: model, feature (every
// feature of the model when none) and model_version.
type ModelOptions struct {
	// Reference is what drift compares each current window with; missing: the
	// 7 days before each bucket (rolling).
	Reference *ModelReference `json:"reference,omitempty"`
	// Bins is the number of reference-quantile bins PSI and JSD use for numeric
	// features (2 to 100; default 10).
	Bins int `json:"bins,omitempty"`
	// Threshold replaces the drift statistic's default threshold (for ks and
	// chisquare it is alpha: drifted when p < alpha).
	Threshold *float64 `json:"threshold,omitempty"`
	// Output is what a drift series carries: "statistic" (default), "p_value"
	// (ks and chisquare) or "drifted" (1 drifted, 0 not).
	Output string `json:"output,omitempty"`
	// Positive is the positive class of classification and fairness metrics
	// (default "1"). Labels compare as text; numeric predictions and outcomes
	// are positive when equal to it read as a number.
	Positive string `json:"positive,omitempty"`
	// ScoreThreshold: a prediction with a score is positive when its score is at
	// least this (default 0.5).
	ScoreThreshold *float64 `json:"scoreThreshold,omitempty"`
	// Segment names the segment label that performance metrics are split by and
	// fairness metrics compare, e.g. "region".
	Segment string `json:"segment,omitempty"`
	// Retrain sets the retraining trigger (metric retrain), which also defines
	// the alert the drift detection lag is measured to.
	Retrain *ModelRetrain `json:"retrain,omitempty"`
	// AlertAt is an alert time (RFC 3339 or now-<duration>) to measure the drift
	// detection lag to, instead of the retraining trigger's firing.
	AlertAt string `json:"alertAt,omitempty"`
	// Source makes drift compare the values of another query's series (a PromQL
	// expression, a KPI...) in the reference and current windows, instead of
	// stored observations; one drift series per source series (docs/prometheus.md).
	Source *Query `json:"source,omitempty"`
}

// ModelReference is a drift reference window.
type ModelReference struct {
	// Type is "rolling" (default), "range" or "snapshot".
	Type string `json:"type,omitempty"`
	// From and To bound a range reference: RFC 3339 or now-<duration>.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Window is a rolling reference's length (default 7d).
	Window string `json:"window,omitempty"`
	// Anchor places a rolling reference: "bucket" (default: the window just
	// before each bucket) or "range" (the window just before the dashboard's
	// range, one reference for every bucket).
	Anchor string `json:"anchor,omitempty"`
	// Snapshot names a snapshot of the model stored with POST model/snapshots.
	Snapshot string `json:"snapshot,omitempty"`
}

// ModelRetrain says when a model should be retrained: a drift statistic past its
// threshold for Consecutive buckets in a row (any feature), or a performance
// metric past its threshold in any bucket.
type ModelRetrain struct {
	// DriftMetric is the drift statistic watched (default psi).
	DriftMetric string `json:"driftMetric,omitempty"`
	// DriftThreshold replaces that statistic's default threshold.
	DriftThreshold *float64 `json:"driftThreshold,omitempty"`
	// Consecutive drifted buckets that fire the trigger (default 3).
	Consecutive int `json:"consecutive,omitempty"`
	// PerformanceMetric is accuracy, precision, recall, f1, mae or rmse; with
	// PerformanceThreshold, a bucket below it (above it for mae and rmse) fires
	// the trigger. Missing: drift alone decides.
	PerformanceMetric    string   `json:"performanceMetric,omitempty"`
	PerformanceThreshold *float64 `json:"performanceThreshold,omitempty"`
}
