package modelperf

import (
	"fmt"
	"math"
)

// RegressionErrors accumulates absolute and squared errors in O(1) memory;
// the zero value is ready to use.
type RegressionErrors struct {
	n             int64
	sumAbs, sumSq float64
}

// Add counts one prediction against its outcome; both must be finite.
func (r *RegressionErrors) Add(predicted, actual float64) error {
	e := predicted - actual
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return fmt.Errorf("prediction %v vs outcome %v: %w", predicted, actual, ErrBadValue)
	}
	r.n++
	r.sumAbs += math.Abs(e)
	r.sumSq += e * e
	return nil
}

// N is the number of pairs added.
func (r RegressionErrors) N() int64 { return r.n }

// MAE is the mean absolute error; NaN with no pairs.
func (r RegressionErrors) MAE() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return r.sumAbs / float64(r.n)
}

// RMSE is the root mean squared error; NaN with no pairs.
func (r RegressionErrors) RMSE() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return math.Sqrt(r.sumSq / float64(r.n))
}

// RegressionPair is a predicted value with the value that came true.
type RegressionPair struct {
	Predicted, Actual float64
}

// Regression is MAE and RMSE over pairs.
type Regression struct {
	N         int64
	MAE, RMSE float64
}

// Regress computes MAE and RMSE (sklearn mean_absolute_error and
// root_mean_squared_error).
func Regress(pairs []RegressionPair) (Regression, error) {
	if len(pairs) == 0 {
		return Regression{}, fmt.Errorf("regression: %w", ErrEmpty)
	}
	var acc RegressionErrors
	for i, p := range pairs {
		if err := acc.Add(p.Predicted, p.Actual); err != nil {
			return Regression{}, fmt.Errorf("regression: pair %d: %w", i+1, err)
		}
	}
	return Regression{N: acc.N(), MAE: acc.MAE(), RMSE: acc.RMSE()}, nil
}
