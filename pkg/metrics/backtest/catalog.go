package backtest

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the backtest outputs.
func Catalog() []catalog.Entry {
	const source = "Google SRE workbook, ch. 5 (Alerting on SLOs: precision, recall, detection time, reset time); Grafana alerting (pending period)"
	entry := func(metric, name, formula, unit, desc string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeBacktest, Metric: metric, Name: name, Family: "Threshold backtest",
			Formula: formula, Unit: unit, Direction: "", Description: desc, Dimensions: Dimensions(), Source: source}
	}
	return []catalog.Entry{
		entry(Scores, "Threshold backtest", "per candidate, replayed once per bucket of improvement.source: alerts, alert-minutes, incidents caught (an alert fires within [started_at − lead, resolved_at]) and missed, median detection delay (first firing − started_at), precision = alerts that caught an incident ÷ alerts, recall = incidents caught ÷ incidents", "short",
			"Pick a threshold with evidence: each candidate (static threshold with a for-duration, XmR control limits with run rules, multiwindow burn rate on an SLI) scored against the incidents that started in the range (filters: service, team, severity, detected_by, source)."),
		entry(Firings, "Backtest firings", "every alert each candidate would have fired: time (fired), timeEnd (resolved), candidate", "short",
			"Where each candidate fires on the dashboard: use the frame as annotations beside the source series."),
	}
}
