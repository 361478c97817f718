// Package spc is the control chart query type: it runs another query (the
// source), and draws a control chart (pkg/stats/spc) over each series it
// returns (DESIGN.md section 4, "SPC over anything"). docs/control-charts.md
// documents the frame shape so other data sources can produce it too.
package spc

import (
	"fmt"
	"strings"
)

// Metric names: what an spc query returns.
const (
	// Chart: per source series, one frame with value, center line, limits,
	// zone lines, baseline flag and the rules violated at each point.
	Chart = "chart"
	// Violations: per source series, the number of rule violations in the
	// range, as a labelled number an alert rule can threshold.
	Violations = "violations"
)

// Metrics lists the spc metrics.
func Metrics() []string { return []string{Chart, Violations} }

func metricOf(m string) (string, error) {
	switch m {
	case "", Chart:
		return Chart, nil
	case Violations:
		return Violations, nil
	}
	return "", fmt.Errorf("unknown spc metric %q; use one of %s", m, strings.Join(Metrics(), ", "))
}

// Field names of the chart frame. Panels (ours and others) find the limits by
// these names; docs/control-charts.md lists them.
const (
	FieldTime        = "time"
	FieldValue       = "value"
	FieldCenter      = "cl"
	FieldUCL         = "ucl"
	FieldLCL         = "lcl"
	FieldPlus1Sigma  = "plus_1_sigma"
	FieldMinus1Sigma = "minus_1_sigma"
	FieldPlus2Sigma  = "plus_2_sigma"
	FieldMinus2Sigma = "minus_2_sigma"
	FieldBaseline    = "baseline"
	FieldViolations  = "violations"
	// FieldObservation is the raw source value of ewma and cusum charts, whose
	// plotted value is a statistic of it.
	FieldObservation = "observation"
	// FieldCUSUMLower is -C- of the cusum chart (drawn against the LCL).
	FieldCUSUMLower = "cusum_lower"
	// FieldN is the sample size of p, np and u charts.
	FieldN = "n"
)

// CustomKey is the key of the chart description in the frame's meta.custom.
const CustomKey = "spc"
