package kpi

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the KPI metrics. The KPIs themselves are the user's definitions
// (GET kpis); these entries say how any KPI is measured, judged and priced.
func Catalog() []catalog.Entry {
	sampleDims := append(append([]string(nil), sampleDimensions...), labelPrefix+"<name>")
	entry := func(metric, name, formula, unit, stat, dir, desc, source string, dims []string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeKPI, Metric: metric, Name: name, Family: "KPIs",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	return []catalog.Entry{
		entry(Value, "KPI value", "stat of the KPI's samples in the bucket", "the definition's unit", "mean", "",
			"A KPI's series, one per KPI (label kpi). Buckets without samples are null; stat count gives samples per bucket. Direction is the definition's.",
			"Kaizen Ops KPI catalog (DESIGN.md §3, KPIs)", sampleDims),
		entry(Attainment, "KPI attainment", "value ÷ target when higher is better; target ÷ value when lower is better (value = the bucket's stat)", "percentunit", "mean", "higher",
			"1 (100 %) is on target; above 1 beats it in either direction. The bucket is judged by the definition version in force at its latest sample. Null when the divisor is 0.",
			"Target attainment (actual vs target) as in the balanced scorecard: Kaplan & Norton, The Balanced Scorecard (1996)", sampleDims),
		entry(State, "KPI threshold state", "0 ok, 1 warning, 2 critical: a threshold is reached when the bucket's value gets to it from the target's side (value = threshold counts)", "none", "mean", "lower",
			"A number for alert rules (state >= 1 or >= 2) with value mappings for panels; tables also get state_text (ok, warning, critical). Judged by the version in force at the bucket's latest sample.",
			"Threshold-based event classification: ITIL 4 Monitoring and event management (warning and exception events)", sampleDims),
		entry(Cost, "KPI financial impact", "Σ value × cost_per_unit, each sample priced by the version in force at its time", "currency of the definition", "sum", "lower",
			"KPIs with a cost_per_unit only; samples of a version without a price count for nothing. Use stat mean for a gauge sampled more often than it changes.",
			"Cost of poor quality priced per unit: Juran's Quality Handbook (cost of poor quality)", sampleDims),
		entry(IncidentCost, "Incident cost", "Σ impact minutes × cost per minute of the service; impact minutes = customer_impact, else (resolved_at − started_at) / 60", "currency of the pricing KPI", "sum", "lower",
			"The cost per minute of a service is the cost_per_unit of the active KPI (unit m) that names the service, in the version in force when the incident started. Placed by started_at; open incidents without customer_impact are left out.",
			"Cost of downtime = downtime minutes × cost per minute: Gartner, A. Lerner, \"The Cost of Downtime\" (2014)", incidentDimensions.Names()),
		entry(Stale, "Stale KPIs (audit)", "time since the KPI's last sample (or since it was defined, when never sampled) ≥ staleDays (default 30)", "s", "", "lower",
			"A table, one row per KPI, stale first: candidates to retire. Measured as of the range end (or now, when earlier).",
			"Kaizen Ops KPI governance: periodic metric audits retire indicators nobody reports", []string{"kpi", "owner", "indicator"}),
	}
}
