// Package slo computes SLO and SLA metrics (DESIGN.md section 3, "SLO/SLA"; docs/slo.md):
// SLI, compliance, error budget (total, consumed, remaining; as a ratio, in events
// and in time), burn rate over any window, the SRE workbook's multiwindow
// multi-burn-rate alert state, breach events and SLA penalties.
//
// An SLO's SLI comes from good/total counts per interval (kind "sli") or, for
// availability SLOs, from incident downtime (good time / elapsed time).
package slo

import (
	"fmt"
	"math"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	SLI                   = "sli"
	Compliance            = "compliance"
	BudgetRemaining       = "budget_remaining"
	BudgetConsumed        = "budget_consumed"
	BudgetTotalEvents     = "budget_total_events"
	BudgetRemainingEvents = "budget_remaining_events"
	BudgetTotalTime       = "budget_total_time"
	BudgetRemainingTime   = "budget_remaining_time"
	BurnRate              = "burn_rate"
	AlertState            = "alert_state"
	Burndown              = "burndown"
	Breaches              = "breaches"
	Penalty               = "penalty"
	Status                = "status"
)

// Metrics lists the SLO metrics in the order editors offer them.
func Metrics() []string {
	return []string{Status, SLI, Compliance, BudgetRemaining, BudgetConsumed, BudgetRemainingTime, BudgetTotalTime,
		BudgetRemainingEvents, BudgetTotalEvents, BurnRate, AlertState, Burndown, Breaches, Penalty}
}

// dimensions SLO queries filter definitions by.
var dimensions = query.Dimensions{
	"slo":     "id",
	"service": "service",
	"team":    "team",
}

// Dimensions lists what SLO queries can be filtered by.
func Dimensions() []string { return dimensions.Names() }

// SLI sources.
const (
	SourceCounts    = "counts"
	SourceIncidents = "incidents"
)

// Calendar periods.
const (
	Week    = "week"
	Month   = "month"
	Quarter = "quarter"
)

// budgetFraction is the share of events allowed to be bad: 1 − objective/100.
// Objectives are decimals a person typed; rounding to 1e-11 removes the binary
// noise of 100 − 99.9 (0.0999999999999943), so 99.9 gives exactly the double
// nearest 0.001 and burn rates such as 14.4 come out as typed.
func budgetFraction(objective float64) float64 {
	return math.Round((100-objective)*1e9) / 1e11
}

func unknown(what, got string, allowed []string) error {
	return fmt.Errorf("%s %q: use one of %s", what, got, strings.Join(allowed, ", "))
}
