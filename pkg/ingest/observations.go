package ingest

import (
	"fmt"
	"math"
	"strings"
)

// PredictionFeature is the feature name of a model's prediction rows.
const PredictionFeature = "__prediction__"

// Index entries must stay small on every store (PostgreSQL refuses btree rows over
// ~2.7 kB): these fields are in the observation key or the value index.
const (
	maxModelNameBytes = 200
	maxCategoryBytes  = 512
	// maxSeq keeps seq exact in a float64 (JSON numbers) and in BIGINT.
	maxSeq = 1 << 53
)

// observationKind: DESIGN.md section 2, "model observation". One value of one feature
// (or of the prediction) of one model at one time. Re-sending a record with the same
// model, feature, observed_at, prediction_id and seq replaces it.
func observationKind() Kind {
	return Kind{
		Name:  "observations",
		Table: "model_observations",
		Key:   []string{"model", "feature", "observed_at", "prediction_id", "seq"},
		Fields: []Field{
			{Name: "model", Type: String, Required: true},
			{Name: "model_version", Type: String},
			// A feature name, or __prediction__ for the model's output.
			{Name: "feature", Type: String, Required: true},
			{Name: "observed_at", Type: Time, Required: true},
			// The observation: a number or a category, never both.
			{Name: "value", Type: Number},
			{Name: "category", Type: String},
			// Joins a prediction with its features and with an outcome sent later.
			{Name: "prediction_id", Type: String},
			// Tells apart values logged at the same millisecond without a prediction id.
			{Name: "seq", Type: Number},
			// Prediction rows only: positive-class probability, confidence in the
			// predicted class, and an outcome already known when the prediction was logged.
			{Name: "score", Type: Number},
			{Name: "confidence", Type: Number},
			{Name: "outcome", Type: Number},
			{Name: "label", Type: String},
			// Segment labels (e.g. {"region":"eu"}) that fairness metrics compare.
			{Name: "segment", Type: Labels},
			{Name: "source", Type: String, Default: "api"},
		},
		Check: checkObservation,
	}
}

// checkObservation normalizes seq (absent: 0) and, for prediction rows with only a
// score, takes the score as the prediction's value.
func checkObservation(r Record) *FieldError {
	for _, f := range []string{"model", "feature"} {
		if fe := checkName(r, f, true); fe != nil {
			return fe
		}
	}
	for _, f := range []string{"model_version", "prediction_id"} {
		if fe := checkName(r, f, false); fe != nil {
			return fe
		}
	}
	feature := r["feature"].(string)
	isPrediction := feature == PredictionFeature
	if strings.HasPrefix(feature, "__") && !isPrediction {
		return &FieldError{Field: "feature", Reason: fmt.Sprintf("%q: names starting with __ are reserved; the prediction is %s", feature, PredictionFeature)}
	}
	if fe := checkSeq(r); fe != nil {
		return fe
	}
	for _, f := range []string{"score", "confidence"} {
		if v, ok := r[f].(float64); ok && !(v >= 0 && v <= 1) {
			return &FieldError{Field: f, Reason: fmt.Sprintf("%s is not a probability in [0, 1]", num(v))}
		}
	}
	if !isPrediction {
		for _, f := range []string{"score", "confidence", "outcome", "label"} {
			if present(r, f) {
				return &FieldError{Field: f, Reason: fmt.Sprintf("is only for prediction rows (feature %s); feature %q carries a value or a category", PredictionFeature, feature)}
			}
		}
	}
	_, hasValue := r["value"].(float64)
	category, _ := r["category"].(string)
	if isPrediction && !hasValue && category == "" {
		if s, ok := r["score"].(float64); ok {
			r["value"], hasValue = s, true
		}
	}
	switch {
	case hasValue && category != "":
		return &FieldError{Field: "category", Reason: "is set together with value; an observation is a number (value) or a category, not both"}
	case !hasValue && category == "":
		what := "value (a number) or category (a string)"
		if isPrediction {
			what = "value (a number), category (a class label) or score"
		}
		return &FieldError{Field: "value", Reason: "is missing: give " + what}
	case len(category) > maxCategoryBytes:
		return &FieldError{Field: "category", Reason: fmt.Sprintf("is %d bytes, more than the %d allowed", len(category), maxCategoryBytes)}
	}
	if _, ok := r["outcome"].(float64); ok && present(r, "label") {
		return &FieldError{Field: "label", Reason: "is set together with outcome; an outcome is a number (outcome) or a class (label), not both"}
	}
	if l, _ := r["label"].(string); len(l) > maxCategoryBytes {
		return &FieldError{Field: "label", Reason: fmt.Sprintf("is %d bytes, more than the %d allowed", len(l), maxCategoryBytes)}
	}
	return nil
}

// outcomeKind: the outcome of a prediction, sent when it becomes known (often days
// later). Keyed by (model, prediction_id): a corrected outcome replaces the stored one.
func outcomeKind() Kind {
	return Kind{
		Name:  "outcomes",
		Table: "model_outcomes",
		Key:   []string{"model", "prediction_id"},
		Fields: []Field{
			{Name: "model", Type: String, Required: true},
			{Name: "prediction_id", Type: String, Required: true},
			{Name: "outcome", Type: Number},
			{Name: "label", Type: String},
			// When the outcome was observed (optional).
			{Name: "observed_at", Type: Time},
			{Name: "source", Type: String, Default: "api"},
		},
		Check: checkOutcome,
	}
}

func checkOutcome(r Record) *FieldError {
	for _, f := range []string{"model", "prediction_id"} {
		if fe := checkName(r, f, true); fe != nil {
			return fe
		}
	}
	_, hasOutcome := r["outcome"].(float64)
	label, _ := r["label"].(string)
	switch {
	case hasOutcome && label != "":
		return &FieldError{Field: "label", Reason: "is set together with outcome; an outcome is a number (outcome) or a class (label), not both"}
	case !hasOutcome && label == "":
		return &FieldError{Field: "outcome", Reason: "is missing: give outcome (a number) or label (a class)"}
	case len(label) > maxCategoryBytes:
		return &FieldError{Field: "label", Reason: fmt.Sprintf("is %d bytes, more than the %d allowed", len(label), maxCategoryBytes)}
	}
	return nil
}

// checkName checks a name that is part of a key or an index entry.
func checkName(r Record, field string, required bool) *FieldError {
	s, _ := r[field].(string)
	switch {
	case required && isBlank(s):
		return &FieldError{Field: field, Reason: "is empty"}
	case len(s) > maxModelNameBytes:
		return &FieldError{Field: field, Reason: fmt.Sprintf("is %d bytes, more than the %d allowed", len(s), maxModelNameBytes)}
	case strings.TrimSpace(s) != s:
		return &FieldError{Field: field, Reason: fmt.Sprintf("%q has leading or trailing spaces", s)}
	}
	return nil
}

func checkSeq(r Record) *FieldError {
	v, ok := r["seq"].(float64)
	if !ok {
		r["seq"] = int64(0)
		return nil
	}
	if v < 0 || v != math.Trunc(v) || v >= maxSeq {
		return &FieldError{Field: "seq", Reason: fmt.Sprintf("%s is not a whole number from 0 to 2^53", num(v))}
	}
	r["seq"] = int64(v)
	return nil
}

// present says whether an optional field was given (a string field's absence is "").
func present(r Record, field string) bool {
	switch v := r[field].(type) {
	case nil:
		return false
	case string:
		return v != ""
	}
	return true
}
