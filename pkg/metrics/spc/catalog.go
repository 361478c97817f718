package spc

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the spc metrics.
func Catalog() []catalog.Entry {
	entry := func(metric, name, formula, unit, desc string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeSPC, Metric: metric, Name: name, Family: "Statistical process control",
			Formula: formula, Unit: unit, Description: desc,
			Source: "Montgomery, Introduction to Statistical Quality Control (8th ed.), ch. 6, 7, 9; Western Electric Statistical Quality Control Handbook (1956); Nelson, Journal of Quality Technology 16(4), 1984"}
	}
	return []catalog.Entry{
		entry(Chart, "Control chart", "per point of spc.source: value, CL, UCL/LCL = CL ± 3σ, ±1σ and ±2σ zone lines, baseline flag, rules violated (xmr: σ = mean moving range / 1.128)", "",
			"A control chart over any series another query gives (MTTR per week, lead time per day, a KPI): limits from a baseline or frozen values, Nelson and Western Electric run rules. Unit of the source (p: a proportion)."),
		entry(Violations, "Special-cause signals", "count of rule violations (rule firings) at points in the time range, per source series", "short",
			"What an alert rule thresholds: above 0 means special-cause variation in the range. Same options as the chart."),
	}
}
