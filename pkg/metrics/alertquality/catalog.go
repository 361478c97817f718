package alertquality

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the alert-quality and detection metrics.
func Catalog() []catalog.Entry {
	alertDims := alertDimensions.Names()
	incidentDims := incidentDimensions.Names()
	entry := func(metric, name, formula, unit, stat, dir, desc, source string, dims []string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeAlerts, Metric: metric, Name: name, Family: "Alert quality",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	const sre = "Google SRE book, ch. 6 (Monitoring Distributed Systems) and SRE workbook, ch. 5 (Alerting on SLOs)"
	return []catalog.Entry{
		entry(Alerts, "Alerts", "count of alert episodes (source, fingerprint, startsAt) that started in the bucket", "short", "count", "lower",
			"Alert volume. Alertmanager's repeat_interval notifications are notifications of one alert, not new ones. Bucket \"shift\" counts per on-call shift (improvement.shift, improvement.handover).",
			sre, alertDims),
		entry(Notifications, "Alert notifications", "count of Alertmanager notifications (per alert) received in the bucket", "short", "count", "lower",
			"Pager load: every notification, repeats included.", sre, alertDims),
		entry(Flapping, "Flapping alerts", "count of alerts that started at most flapMinutes (default 30) after the same alert (fingerprint) resolved", "short", "count", "lower",
			"Alerts that fire, resolve and fire again: a threshold too close to normal, or a for-duration too short.",
			"Nagios flap detection; Google SRE workbook, ch. 5", alertDims),
		entry(ShortLived, "Short-lived alerts", "count of alerts resolved within shortMinutes (default 5) that were never acknowledged nor linked to an incident", "short", "count", "lower",
			"Alerts that resolve before anyone could act: noise that trains people to ignore pages.", sre, alertDims),
		entry(ActionableRatio, "Actionable alert ratio", "alerts acknowledged (their own incident's acknowledged_at) or linked to an incident of their service (started within [started_at − linkMinutes, resolved_at]) ÷ alerts", "percentunit", "", "higher",
			"Every page should be actionable; the rest is alert fatigue.", "Google SRE book, ch. 6 (\"every page should be actionable\")", alertDims),
		entry(Noisy, "Noisiest alerts", "table per alertname (and group): alerts, notifications, flapping, short-lived, actionable, actionable ratio, median firing time; top N by alerts", "short", "", "lower",
			"Where to start cutting noise.", sre, alertDims),
		entry(DetectionCoverage, "Detection coverage", "incidents with detected_by monitoring or synthetic ÷ incidents with a detected_by", "percentunit", "", "higher",
			"Share of incidents your monitoring caught before customers or staff did. Incidents with no detected_by are left out.",
			"ITIL 4 monitoring and event management; Google SRE book, ch. 6", incidentDims),
		entry(DetectionShare, "Detected by (share)", "incidents with detected_by = s ÷ incidents with a detected_by, one series per source s", "percentunit", "", "",
			"Monitoring vs customers vs staff vs synthetic checks: the shares of a bucket add up to 1.",
			"ITIL 4 monitoring and event management", incidentDims),
		entry(DetectionMTTD, "MTTD by detection source", "detected_at − started_at per detected_by (the incidents family's MTTD)", "s", "mean", "lower",
			"How much later customers or staff notice what monitoring misses.", "ITIL 4 incident management; Google SRE workbook", incidentDims),
	}
}
