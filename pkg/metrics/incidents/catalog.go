package incidents

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the incident metrics.
func Catalog() []catalog.Entry {
	dims := Dimensions()
	entry := func(metric, name, formula, unit, stat, dir, desc, source string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeIncidents, Metric: metric, Name: name, Family: "Incidents",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	return []catalog.Entry{
		entry(MTTR, "Mean time to restore (MTTR)", "resolved_at − started_at (start: started|detected; end: resolved|mitigated)", "s", "mean", "lower",
			"How long customers were affected. Incidents still open are left out until resolved. DORA's failed deployment recovery time uses the median.",
			"Google SRE workbook (incident response); DORA State of DevOps (time to restore service)"),
		entry(MTTD, "Mean time to detect (MTTD)", "detected_at − started_at", "s", "mean", "lower",
			"How long an incident went unnoticed. Incidents without detected_at are left out.", "ITIL 4 incident management; Google SRE workbook"),
		entry(MTTA, "Mean time to acknowledge (MTTA)", "acknowledged_at − detected_at", "s", "mean", "lower",
			"How long responders took to take ownership. Incidents never acknowledged are left out, not counted as zero.", "PagerDuty incident response; ITIL 4"),
		entry(Count, "Incident count", "count of incidents whose start falls in the bucket", "short", "count", "lower",
			"Incident volume per bucket; empty buckets are 0.", "ITIL 4 incident management"),
		entry(Open, "Open incidents", "count of incidents with started_at ≤ t < resolved_at at each bucket end t", "short", "", "lower",
			"Incidents in progress at the end of each bucket (or of the range).", "ITIL 4 incident management (backlog)"),
	}
}
