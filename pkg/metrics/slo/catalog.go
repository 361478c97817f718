package slo

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the SLO and SLA metrics.
func Catalog() []catalog.Entry {
	dims := Dimensions()
	const workbook = "Google SRE workbook, ch. 2 (Implementing SLOs) and ch. 5 (Alerting on SLOs)"
	entry := func(metric, name, formula, unit, dir, desc, source string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeSLO, Metric: metric, Name: name, Family: "SLO/SLA",
			Formula: formula, Unit: unit, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	return []catalog.Entry{
		entry(SLI, "SLI", "good / total over the bucket", "percentunit", "higher",
			"Share of good events per bucket (per second of time for incident-based SLOs). A bucket without events has no value: no traffic is neither 100% nor 0%.", workbook),
		entry(Compliance, "Compliance", "good / total over the SLO window (rolling, or the calendar period to date)", "percentunit", "higher",
			"The SLI the objective is judged on, evaluated at each bucket end.", workbook),
		entry(BudgetRemaining, "Error budget remaining", "1 − bad / ((1 − objective) × events)", "percentunit", "higher",
			"Share of the window's error budget left; below 0 when overspent. Calendar periods size the budget on the events projected over the whole period. No events: 100% (nothing burned). Objective 100%: 100% while clean, −∞ after any bad event.", workbook),
		entry(BudgetConsumed, "Error budget consumed", "bad / ((1 − objective) × events)", "percentunit", "lower",
			"Share of the error budget spent; above 100% the SLO is breached.", workbook),
		entry(BudgetTotalEvents, "Error budget (events)", "(1 − objective) × events in the window", "short", "",
			"Bad events the window allows (seconds for incident-based SLOs).", workbook),
		entry(BudgetRemainingEvents, "Error budget remaining (events)", "(1 − objective) × events − bad", "short", "higher",
			"Bad events still allowed; negative when overspent.", workbook),
		entry(BudgetTotalTime, "Error budget (time)", "(1 − objective) × window length", "s", "",
			"The full outage the budget allows: 43.2 minutes for 99.9% over 30 days.", workbook),
		entry(BudgetRemainingTime, "Error budget remaining (time)", "window length × ((1 − objective) − bad / events)", "s", "higher",
			"Full-outage time still allowed; negative when overspent; finite for a 100% objective.", workbook),
		entry(BurnRate, "Burn rate", "(bad / total over the window) / (1 − objective)", "suffix:×", "lower",
			"How fast the budget burns: 1 spends it exactly over the SLO window; 14.4 spends a 30-day budget's 2% in an hour. One series per window, labelled slo, service and window. No events: 0. Objective 100%: +∞ after any bad event.", workbook),
		entry(AlertState, "Burn-rate alert state", "page: 1h & 5m > 14.4 or 6h & 30m > 6; ticket: 3d & 6h > 1; else ok", "short", "lower",
			"Multiwindow, multi-burn-rate alert: 2 page, 1 ticket, 0 ok.", workbook+", table 5-8"),
		entry(Burndown, "Error budget burn-down", "budget remaining from the window's start to now, and the ideal line 1 − elapsed / length", "percentunit", "higher",
			"The current window's budget spent over time against an even burn.", workbook),
		entry(Breaches, "Breach events", "runs of evaluation steps where budget consumed > 100% (SLA: over the contractual period)", "s", "lower",
			"Start, end, duration and depth (objective − worst compliance) of each breach.", "ITIL 4 service level management; "+workbook),
		entry(Penalty, "SLA penalty", "contract value × credit of the lowest tier compliance falls below + fixed penalty per breached period", "short", "lower",
			"Credits owed per SLA period (month or quarter); a period still running is judged to date.", "ITIL 4 service level management (service credits)"),
		entry(Status, "SLO status", "compliance, budget, burn rates, alert state, breaches and penalties per SLO", "", "",
			"Every frame the SLA breach panel draws, from one query.", workbook),
	}
}
