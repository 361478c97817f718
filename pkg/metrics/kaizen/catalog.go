package kaizen

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the kaizen metrics. Phases and annotations place events on
// charts; they define no metric.
func Catalog() []catalog.Entry {
	dims := Dimensions()
	entry := func(metric, name, formula, unit, stat, dir, desc, source string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeKaizen, Metric: metric, Name: name, Family: "Continuous improvement",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	return []catalog.Entry{
		entry(Impact, "Kaizen impact (did it work?)",
			"target series in [deployed − baseline, deployed) vs [deployed + settling, deployed + settling + after): medians, means, change = median after − median before, two-sided Mann-Whitney U (asymptotic, tie- and continuity-corrected), percentile-bootstrap 95% CI of the median difference, XmR limits per phase, Nelson rule 2 against the baseline centre line",
			"the target's unit (p-value: none)", "", "",
			"One row per deployed event. Verdict: improved / worsened when p < alpha (0.05) and the median moved the better / worse way, else no-evidence; insufficient-data when a window has fewer than 8 points, saying how many more each needs. verdict_code is 1, 0, −1 (null without a verdict) for alert rules.",
			"Mann & Whitney, Ann. Math. Statist. 18 (1947), as scipy.stats.mannwhitneyu; Efron & Tibshirani, An Introduction to the Bootstrap (1993); Wheeler, Understanding Variation (2000), phases of an XmR chart; Nelson, J. Quality Technology 16(4) 1984 (rule 2); Imai, Kaizen (1986)"),
		entry(Sustainability, "Kaizen sustainability (does it hold?)",
			"at each review date D (default 30, 60, 90 days after deployed_at): the window [D − after, D) against the baseline by the same test; sustained = improved and no run of 9 review points on the worse side of the baseline centre line; eroding = median still better but not significant, or such a run; lost = median no better",
			"none", "", "",
			"One row per event with the state at the latest review due (pending before the first), or one labelled number per event for alert rules: lost is 1 when the gain is lost.",
			"Lean Six Sigma DMAIC Control phase (sustain the gain); Nelson rule 2 (J. Quality Technology 16(4) 1984); Mann & Whitney (1947)"),
		entry(Reviews, "Kaizen reviews", "one row per event and review date: the review window's n, median, change against the baseline, p-value and state (pending before the date)",
			"the target's unit", "", "",
			"The detail behind sustainability: every review of every event, pending ones with their due date.",
			"Lean Six Sigma DMAIC Control phase; Imai, Gemba Kaizen (1997), follow-up of improvements"),
		entry(CycleTime, "Kaizen cycle time", "deployed_at − proposed_at per event, placed by deployed_at", "s", "median", "lower",
			"How long improvements take from proposal to deployment. Events not deployed are left out until they are.",
			"Anderson, Kanban (2010), cycle time of work items; Imai, Kaizen (1986)"),
		entry(Velocity, "Kaizen velocity", "count of events whose deployed_at falls in the bucket (calendar months unless a bucket width is given)", "short", "count", "higher",
			"Improvements deployed per month: the backlog's pace. Every status counts once deployed; filter status to narrow.",
			"Anderson, Kanban (2010), throughput; Imai, Kaizen (1986)"),
	}
}
