package drift

import (
	"errors"
	"math"
)

// Method names a drift statistic. The strings are the CLI and query names.
type Method string

const (
	MethodPSI               Method = "psi"
	MethodKS                Method = "ks"
	MethodWasserstein       Method = "wasserstein"
	MethodWassersteinNormed Method = "wasserstein-normed"
	MethodJSD               Method = "jsd"
	MethodChiSquare         Method = "chisquare"
)

// Methods lists every method, in documentation order.
func Methods() []Method {
	return []Method{MethodPSI, MethodKS, MethodWasserstein, MethodWassersteinNormed, MethodJSD, MethodChiSquare}
}

// Severity grades a result. Only PSI has a moderate band; the other methods
// are either none or significant.
type Severity string

const (
	SeverityNone        Severity = "none"
	SeverityModerate    Severity = "moderate"
	SeveritySignificant Severity = "significant"
)

// Default thresholds; doc.go explains the choice.
const (
	DefaultPSIModerate       = 0.1
	DefaultPSISignificant    = 0.2
	DefaultAlpha             = 0.05 // KS and chi-square
	DefaultJSD               = 0.1
	DefaultWassersteinNormed = 0.1
	DefaultBins              = 10
	DefaultPSIEpsilon        = 1e-4
	// MaxBins bounds the reference-quantile bins one comparison may ask for.
	MaxBins = 10000
)

// Result is one drift comparison.
type Result struct {
	Method    Method
	Statistic float64 // may be +Inf only for wasserstein-normed with a constant reference
	PValue    float64 // NaN when the method has no p-value (PSI, JSD, Wasserstein)
	Threshold float64 // NaN when none was given (raw Wasserstein)
	Drifted   bool
	Severity  Severity
	Notes     []string // facts worth showing: collapsed bins, KS mode, Yates...
}

// HasPValue says whether the method defines a p-value.
func (r Result) HasPValue() bool { return !math.IsNaN(r.PValue) }

// Errors are wrapped with the window and position they concern; test with
// errors.Is.
var (
	ErrEmpty     = errors.New("no observations")
	ErrNonFinite = errors.New("value is NaN or infinite")
	ErrUnsorted  = errors.New("stream is not in ascending order")
	ErrCount     = errors.New("stream length differs from its declared count")
	ErrBadOption = errors.New("invalid option")
)

// distanceResult grades a distance against its threshold (>= drifts).
func distanceResult(m Method, stat, threshold float64) Result {
	r := Result{Method: m, Statistic: stat, PValue: math.NaN(), Threshold: threshold, Severity: SeverityNone}
	if !math.IsNaN(threshold) && stat >= threshold {
		r.Drifted, r.Severity = true, SeveritySignificant
	}
	return r
}

// testResult grades a p-value against alpha (< drifts).
func testResult(m Method, stat, p, alpha float64) Result {
	r := Result{Method: m, Statistic: stat, PValue: p, Threshold: alpha, Severity: SeverityNone}
	if p < alpha {
		r.Drifted, r.Severity = true, SeveritySignificant
	}
	return r
}

// orDefault returns d when v is the zero value (options left unset).
func orDefault(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}
