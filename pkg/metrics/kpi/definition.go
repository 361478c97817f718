// Package kpi is the KPI catalog and its metrics (DESIGN.md section 3, "KPIs"): versioned
// KPI definitions, a KPI's series, attainment against target, threshold state, financial
// impact (of KPI samples and of incidents), and the stale-KPI audit.
package kpi

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	Value        = "value"
	Attainment   = "attainment"
	State        = "state"
	Cost         = "cost"
	IncidentCost = "incident_cost"
	Stale        = "stale"
)

// Metrics lists the KPI metrics.
func Metrics() []string { return []string{Value, Attainment, State, Cost, IncidentCost, Stale} }

// Threshold states, as numbers alert rules compare and names tables show.
const (
	StateOK       = 0
	StateWarning  = 1
	StateCritical = 2
)

// stateNames maps a state number to its name.
var stateNames = [...]string{"ok", "warning", "critical"}

// labelPrefix marks a group-by or filter on a sample label: "label.region".
const labelPrefix = "label."

// sampleDimensions are what KPI sample metrics group and filter by besides labels. They
// are resolved in Go from the definitions, never as SQL identifiers.
var sampleDimensions = []string{"kpi", "owner", "indicator"}

// incidentDimensions are what incident_cost groups and filters by (SQL columns, allow-listed).
var incidentDimensions = query.Dimensions{
	"service":  "service",
	"team":     "team",
	"severity": "severity",
}

// Dimensions lists what KPI queries can be grouped and filtered by: the sample dimensions,
// label.<name> for any sample label, and the incident dimensions of incident_cost.
func Dimensions() []string {
	out := append([]string(nil), sampleDimensions...)
	out = append(out, labelPrefix+"<name>")
	return append(out, incidentDimensions.Names()...)
}

// checkSampleDimension accepts kpi, owner, indicator and label.<name>.
func checkSampleDimension(metric, d string) error {
	if strings.HasPrefix(d, labelPrefix) && len(d) > len(labelPrefix) {
		return nil
	}
	for _, s := range sampleDimensions {
		if d == s {
			return nil
		}
	}
	return fmt.Errorf("%s cannot use dimension %q; use one of %s, or label.<name> for a sample label", metric, d, strings.Join(sampleDimensions, ", "))
}

func sortedIDs[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
