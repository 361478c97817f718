// Package backtest is the threshold backtest query type: it runs another query
// (the source, as spc does), replays candidate alert conditions over its series
// with pkg/stats/backtest, and scores each against the stored incidents: alerts
// fired, alert-minutes, incidents caught and missed, median detection delay,
// precision and recall (DESIGN.md section 3, "Continuous improvement";
// docs/improvement.md). The same computation backs `kaizen backtest --db`.
package backtest

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// Metric names: what a backtest query returns.
const (
	// Scores is one table row per candidate (the default).
	Scores = "scores"
	// Firings lists every alert each candidate would have fired, as a table with
	// time and timeEnd (usable as annotations).
	Firings = "firings"
)

// Metrics lists the backtest metrics.
func Metrics() []string { return []string{Scores, Firings} }

func metricOf(m string) (string, error) {
	switch m {
	case "", Scores:
		return Scores, nil
	case Firings:
		return Firings, nil
	}
	return "", fmt.Errorf("unknown backtest metric %q; use one of %s", m, strings.Join(Metrics(), ", "))
}

// incidentDimensions: the query's filters choose the incidents scored against.
var incidentDimensions = query.Dimensions{
	"service":     "service",
	"team":        "team",
	"severity":    "severity",
	"detected_by": "detected_by",
	"source":      "source",
}

// Dimensions lists the incident filters a backtest takes.
func Dimensions() []string { return incidentDimensions.Names() }

// maxCandidates bounds a query's candidates: each is a pass over the series.
const maxCandidates = 100

// Field names of the scores frame.
const (
	FieldCandidate       = "candidate"
	FieldCondition       = "condition"
	FieldFor             = "for"
	FieldAlerts          = "alerts"
	FieldAlertMinutes    = "alert_minutes"
	FieldUsefulAlerts    = "useful_alerts"
	FieldIncidentsCaught = "incidents_caught"
	FieldIncidentsMissed = "incidents_missed"
	FieldDetectionDelay  = "median_detection_delay"
	FieldPrecision       = "precision"
	FieldRecall          = "recall"
)
