package modelperf

import (
	"fmt"
	"math"
	"time"
)

// Point is one time bucket of a series; a NaN Value is a bucket without data.
type Point struct {
	At    time.Time
	Value float64
}

// Condition names what fired a retraining trigger.
type Condition string

const (
	ConditionDrift       Condition = "drift"
	ConditionPerformance Condition = "performance"
)

// TriggerRule says when a model should be retrained.
type TriggerRule struct {
	// DriftThreshold: a bucket is drifted when its statistic is >= it (the
	// drift package's rule for distances such as PSI). With DriftIsPValue
	// the series holds p-values and a bucket is drifted when < it.
	DriftThreshold float64
	DriftIsPValue  bool
	// Consecutive drifted buckets needed to fire (>= 1). Requiring a run
	// keeps one noisy bucket from retraining the model.
	Consecutive int
	// PerformanceThreshold: the performance condition fires on a bucket
	// below it (accuracy, F1...), or above it with LowerIsBetter (MAE,
	// RMSE).
	PerformanceThreshold float64
	LowerIsBetter        bool
}

// TriggerDecision is the outcome of EvaluateRetrainTrigger.
type TriggerDecision struct {
	Trigger bool
	// FiredAt is the bucket at which the first condition held.
	FiredAt time.Time
	// Conditions lists what held at FiredAt (both when they coincide).
	Conditions []Condition
	// DriftRunStart is the first bucket of the drifted run that fired the
	// drift condition (zero when drift did not fire).
	DriftRunStart time.Time
}

// EvaluateRetrainTrigger walks both series in time order and fires at the
// first bucket where drift has held for rule.Consecutive buckets in a row,
// or where performance is past its threshold. A bucket without data (NaN)
// breaks a drift run and never fires performance. Either series may be
// empty, which disables its condition. Series must be in ascending time.
func EvaluateRetrainTrigger(drift, performance []Point, rule TriggerRule) (TriggerDecision, error) {
	if rule.Consecutive < 1 {
		return TriggerDecision{}, fmt.Errorf("retrain trigger: consecutive %d < 1: %w", rule.Consecutive, ErrBadOption)
	}
	if err := checkAscending("drift", drift); err != nil {
		return TriggerDecision{}, err
	}
	if err := checkAscending("performance", performance); err != nil {
		return TriggerDecision{}, err
	}
	var d TriggerDecision
	// First time each condition holds.
	driftAt, runStart, driftOK := firstDriftRun(drift, rule)
	perfAt, perfOK := firstPoorPerformance(performance, rule)
	switch {
	case driftOK && perfOK && driftAt.Equal(perfAt):
		d = TriggerDecision{Trigger: true, FiredAt: driftAt, Conditions: []Condition{ConditionDrift, ConditionPerformance}, DriftRunStart: runStart}
	case driftOK && (!perfOK || driftAt.Before(perfAt)):
		d = TriggerDecision{Trigger: true, FiredAt: driftAt, Conditions: []Condition{ConditionDrift}, DriftRunStart: runStart}
	case perfOK:
		d = TriggerDecision{Trigger: true, FiredAt: perfAt, Conditions: []Condition{ConditionPerformance}}
	}
	return d, nil
}

func firstDriftRun(drift []Point, rule TriggerRule) (firedAt, runStart time.Time, ok bool) {
	run := 0
	for _, p := range drift {
		if !isDrifted(p.Value, rule.DriftThreshold, rule.DriftIsPValue) {
			run = 0
			continue
		}
		if run == 0 {
			runStart = p.At
		}
		run++
		if run >= rule.Consecutive {
			return p.At, runStart, true
		}
	}
	return time.Time{}, time.Time{}, false
}

func firstPoorPerformance(perf []Point, rule TriggerRule) (time.Time, bool) {
	for _, p := range perf {
		if math.IsNaN(p.Value) {
			continue
		}
		if (rule.LowerIsBetter && p.Value > rule.PerformanceThreshold) ||
			(!rule.LowerIsBetter && p.Value < rule.PerformanceThreshold) {
			return p.At, true
		}
	}
	return time.Time{}, false
}

func isDrifted(v, threshold float64, pValue bool) bool {
	if math.IsNaN(v) {
		return false
	}
	if pValue {
		return v < threshold
	}
	return v >= threshold
}

func checkAscending(series string, ps []Point) error {
	for i := 1; i < len(ps); i++ {
		if !ps[i].At.After(ps[i-1].At) {
			return fmt.Errorf("retrain trigger: %s series, bucket %d (%s) not after %s: %w",
				series, i+1, ps[i].At.Format(time.RFC3339), ps[i-1].At.Format(time.RFC3339), ErrBadValue)
		}
	}
	return nil
}

// DriftDetectionLag is the time from the first drifted bucket at or before
// alertAt to alertAt: how long the drift went unnoticed. ok is false when no
// bucket up to alertAt is drifted (the alert came before any drift: a false
// alarm, not a lag). Drifted means >= threshold, or < threshold for
// p-values. The series may be in any order.
func DriftDetectionLag(drift []Point, threshold float64, pValue bool, alertAt time.Time) (lag time.Duration, ok bool) {
	var first time.Time
	for _, p := range drift {
		if p.At.After(alertAt) || !isDrifted(p.Value, threshold, pValue) {
			continue
		}
		if !ok || p.At.Before(first) {
			first, ok = p.At, true
		}
	}
	if !ok {
		return 0, false
	}
	return alertAt.Sub(first), true
}
