package adoption

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the adoption metrics.
func Catalog() []catalog.Entry {
	dims := Dimensions()
	entry := func(metric, name, formula, unit, dir, desc, source string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeAdoption, Metric: metric, Name: name, Family: "Adoption",
			Formula: formula, Unit: unit, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	const active = "Each point counts the window ending at its bucket's end (the range end when unbucketed); uses after the range end never count, so the current bucket is partial."
	const analytics = "Product analytics convention: distinct active users over a trailing 1-, 7- or 30-day window"
	return []catalog.Entry{
		entry(DAU, "Daily active users (DAU)", "distinct users with a use in [t − 1 day, t)", "short", "higher", active, analytics),
		entry(WAU, "Weekly active users (WAU)", "distinct users with a use in [t − 7 days, t)", "short", "higher", active, analytics),
		entry(MAU, "Monthly active users (MAU)", "distinct users with a use in [t − 30 days, t)", "short", "higher", active, analytics),
		entry(Stickiness, "Stickiness (DAU/MAU)", "DAU(t) ÷ MAU(t)", "percentunit", "higher",
			"Share of the month's users who use the tool on a given day. No value while MAU is 0. "+active,
			"Product analytics convention (the DAU/MAU ratio)"),
		entry(AdoptionRate, "Adoption rate", "active users over the window (adoption.window, default 30d) ÷ eligible headcount in effect at t", "percentunit", "higher",
			"Share of the eligible people who use the tool. A team's headcount is its latest row effective before t; a department's is the sum of its teams'. No headcount, or 0, gives no value. "+active,
			"Rogers, Diffusion of Innovations (adoption as the share of the eligible population); headcounts from HR"),
		entry(FeatureAdoption, "Feature adoption", "users of the feature over the window ÷ users of its tool over the window", "percentunit", "higher",
			"Per tool feature (the series are grouped by tool and feature): how many of the tool's users use each feature. "+active,
			"Product analytics convention (feature adoption rate among active users)"),
		entry(Retention, "Weekly retention cohorts", "users of cohort c active in week c + k ÷ users whose first use fell in week c", "percentunit", "higher",
			"A table: a row per cohort (ISO week of first use, Monday 00:00 UTC), its size, and the share active k weeks later (adoption.weeks columns, default 12). Users first seen before the range belong to no cohort. Weeks not yet started have no value.",
			"Cohort analysis (Amplitude and Mixpanel retention tables)"),
	}
}
