// Package modelperf computes model-performance and fairness statistics from
// predictions joined with their outcomes, and the retraining-trigger state
// built on them and on drift. It is pure: no SDK, no database.
//
// Undefined is not zero. A ratio whose denominator is empty (precision with
// no predicted positives, recall with no actual positives, a segment's true
// positive rate with no positives in it) is NaN, never 0: a dashboard must
// show "no data" rather than a model that looks maximally bad. Callers
// check math.IsNaN; frames carry NaN as null.
//
// Definitions follow scikit-learn (accuracy_score, precision_score,
// recall_score, f1_score with zero_division=np.nan, mean_absolute_error,
// root_mean_squared_error) and fairlearn (demographic_parity_difference,
// demographic_parity_ratio, equalized_odds_difference), checked against
// them by the golden vectors in testdata/drift. One deliberate difference:
// fairlearn reads an undefined segment rate as 0, which can invent a
// disparity; here that segment is left out of the difference and a note
// says so.
//
// Memory: Confusion and RegressionErrors are O(1) accumulators, so a store
// can stream pairs (or sum counts in SQL and build a Confusion directly);
// fairness needs one Confusion per segment.
package modelperf
