// Package postmortems computes postmortem follow-through: how many serious incidents
// get a postmortem in time, whether their action items are done by their due dates,
// how many are overdue, how long they take to close, and which incidents repeat an
// earlier one of the same service and postmortem theme: the postmortems query type
// (DESIGN.md section 3, "Continuous improvement"; docs/improvement.md).
package postmortems

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	// Coverage is incidents at or above the minimum severity with a postmortem
	// within postmortemDays of resolution ÷ those incidents that are due.
	Coverage = "postmortem_coverage"
	// Completion is action items done by their due date ÷ items due in the bucket.
	Completion = "action_completion"
	// Overdue counts action items open past their due date at each bucket's end.
	Overdue = "overdue_actions"
	// TimeToClose is done_at − created_at of action items, by closing time.
	TimeToClose = "action_time_to_close"
	// Repeats counts incidents that repeat an earlier incident of the same service
	// sharing a postmortem theme within repeatDays.
	Repeats = "repeat_incidents"
	// RepeatList is the table of those incidents and what they repeat.
	RepeatList = "repeats"
)

// Metrics lists the postmortems query type's metrics.
func Metrics() []string {
	return []string{Coverage, Completion, Overdue, TimeToClose, Repeats, RepeatList}
}

func metricOf(m string) (string, error) {
	if m == "" {
		return Coverage, nil
	}
	for _, k := range Metrics() {
		if m == k {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown postmortems metric %q; use one of %s", m, strings.Join(Metrics(), ", "))
}

// isAction says whether a metric reads action items rather than incidents.
func isAction(metric string) bool {
	return metric == Completion || metric == Overdue || metric == TimeToClose
}

// incidentDimensions: what coverage and repeat metrics group and filter by.
var incidentDimensions = query.Dimensions{
	"service":     "service",
	"team":        "team",
	"severity":    "severity",
	"detected_by": "detected_by",
	"source":      "source",
}

// actionDimensions: what action item metrics group and filter by, as columns of
// action_items a (joined with its postmortem for the time to close).
var actionDimensions = query.Dimensions{
	"owner":   "a.owner",
	"team":    "a.team",
	"service": "a.service",
	"source":  "a.source",
}

// Dimensions lists every dimension of the query type (action metrics take owner,
// team, service and source of the items; the others the incidents').
func Dimensions() []string {
	set := query.Dimensions{}
	for k, v := range incidentDimensions {
		set[k] = v
	}
	for k, v := range actionDimensions {
		set[k] = v
	}
	return set.Names()
}
