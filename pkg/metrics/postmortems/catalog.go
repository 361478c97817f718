package postmortems

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the postmortem follow-through metrics.
func Catalog() []catalog.Entry {
	incidentDims := incidentDimensions.Names()
	actionDims := actionDimensions.Names()
	entry := func(metric, name, formula, unit, stat, dir, desc, source string, dims []string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypePostmortems, Metric: metric, Name: name, Family: "Postmortems",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	const sre = "Google SRE book, ch. 15 (Postmortem Culture) and SRE workbook, ch. 10 (Postmortem Culture: Learning from Failure)"
	return []catalog.Entry{
		entry(Coverage, "Postmortem coverage", "incidents at or above minSeverity with a postmortem (published_at, else created_at) ≤ resolved_at + postmortemDays (default 5) ÷ those incidents that are due", "percentunit", "", "higher",
			"By incident start. Severities are ranked by improvement.severities, most severe first (default sev1 > sev2 > … > sev5); incidents with a severity outside the list are left out. An incident not yet due (open, or resolved less than postmortemDays ago) counts once its postmortem exists.",
			sre, incidentDims),
		entry(Completion, "Action item completion rate", "action items with done_at ≤ due_at ÷ action items whose due_at falls in the bucket (up to now)", "percentunit", "", "higher",
			"On-time follow-through, by due date. A bucket where no item fell due has no value.", sre, actionDims),
		entry(Overdue, "Overdue action items", "count of action items with due_at < t, not done by t (and created by t) at each bucket end t", "short", "", "lower",
			"The postmortem debt at the end of each bucket (or of the range).", sre, actionDims),
		entry(TimeToClose, "Action item time to close", "done_at − created_at (created_at missing: the postmortem's created_at), by done_at", "s", "median", "lower",
			"How long fixes take once agreed.", sre, actionDims),
		entry(Repeats, "Repeat incidents", "count of incidents that started within repeatDays (default 30, inclusive) after an earlier incident of the same service sharing a postmortem theme", "short", "count", "lower",
			"Problems that came back: the fix did not hold, or was never made. Themes come from the postmortems covering each incident.",
			"ITIL 4 problem management (recurring incidents); "+sre, incidentDims),
		entry(RepeatList, "Repeat incidents (table)", "per repeat incident: time, incident, service, shared themes, the earlier incident it repeats, time after it", "s", "", "lower",
			"Which incidents came back, and after how long.", "ITIL 4 problem management", incidentDims),
	}
}
