// Package alertquality computes alert quality from every Alertmanager notification
// stored as an alert event (volume per service, day or on-call shift, flapping,
// short-lived alerts, the actionable ratio, the noisiest alerts) and detection
// coverage from incidents (who detected them, and how fast): the alerts query type
// (DESIGN.md section 3, "Continuous improvement"; docs/improvement.md).
//
// An alert is an episode, (source, fingerprint, starts_at): Alertmanager keeps an
// alert's startsAt while it fires and gives it a new one when it fires again after
// resolving, so repeat_interval notifications are notifications of one alert.
package alertquality

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	// Alerts counts alert episodes that started in the bucket.
	Alerts = "alerts"
	// Notifications counts alert notifications received in the bucket.
	Notifications = "notifications"
	// Flapping counts alerts that fired again at most flapMinutes after the same
	// alert (fingerprint) resolved.
	Flapping = "flapping"
	// ShortLived counts alerts resolved within shortMinutes that nobody acknowledged
	// and no incident is linked to.
	ShortLived = "short_lived"
	// ActionableRatio is actionable alerts ÷ alerts: acknowledged, or linked to an
	// incident.
	ActionableRatio = "actionable_ratio"
	// Noisy is a table of the alert names with the most alerts.
	Noisy = "noisy"
	// DetectionCoverage is incidents detected by monitoring or synthetic checks ÷
	// incidents whose detection source is known.
	DetectionCoverage = "detection_coverage"
	// DetectionShare is each detection source's share of the incidents whose
	// source is known: monitoring vs customers vs staff.
	DetectionShare = "detection_share"
	// DetectionMTTD is MTTD per detection source (detected_by).
	DetectionMTTD = "detection_mttd"
)

// Metrics lists the alerts query type's metrics.
func Metrics() []string {
	return []string{Alerts, Notifications, Flapping, ShortLived, ActionableRatio, Noisy, DetectionCoverage, DetectionShare, DetectionMTTD}
}

func metricOf(m string) (string, error) {
	if m == "" {
		return Alerts, nil
	}
	for _, k := range Metrics() {
		if m == k {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown alerts metric %q; use one of %s", m, strings.Join(Metrics(), ", "))
}

// isDetection says whether a metric reads incidents rather than alert events.
func isDetection(metric string) bool {
	return metric == DetectionCoverage || metric == DetectionShare || metric == DetectionMTTD
}

// alertDimensions: what alert metrics can be grouped and filtered by (alert_events columns).
var alertDimensions = query.Dimensions{
	"alertname": "alertname",
	"service":   "service",
	"team":      "team",
	"severity":  "severity",
	"receiver":  "receiver",
	"source":    "source",
}

// incidentDimensions: what detection metrics can be grouped and filtered by.
var incidentDimensions = query.Dimensions{
	"service":     "service",
	"team":        "team",
	"severity":    "severity",
	"detected_by": "detected_by",
	"source":      "source",
}

// Dimensions lists every dimension of the query type (alert metrics take the alert
// ones, detection metrics the incident ones).
func Dimensions() []string {
	set := query.Dimensions{}
	for k, v := range alertDimensions {
		set[k] = v
	}
	for k, v := range incidentDimensions {
		set[k] = v
	}
	return set.Names()
}
