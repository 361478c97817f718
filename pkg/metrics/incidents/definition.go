// Package incidents computes incident response metrics: MTTD, MTTA, MTTR, incident
// count and open incidents (DESIGN.md section 3, "Incidents").
package incidents

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	MTTD  = "mttd"
	MTTA  = "mtta"
	MTTR  = "mttr"
	Count = "count"
	Open  = "open"
)

// dimensions incidents can be grouped and filtered by.
var dimensions = query.Dimensions{
	"service":     "service",
	"team":        "team",
	"severity":    "severity",
	"detected_by": "detected_by",
	"source":      "source",
}

// Dimensions lists what incident queries can be grouped and filtered by.
func Dimensions() []string { return dimensions.Names() }

// interval is the pair of timestamps a duration metric measures between.
type interval struct {
	label      string
	start, end string // columns
}

// timeColumns maps option values to columns.
var timeColumns = map[string]string{
	"started":      "started_at",
	"detected":     "detected_at",
	"acknowledged": "acknowledged_at",
	"mitigated":    "mitigated_at",
	"resolved":     "resolved_at",
}

// durationInterval returns the interval a duration metric measures, honouring the
// MTTR start (started|detected) and end (resolved|mitigated) options.
func durationInterval(metric string, opts models.IncidentOptions) (interval, error) {
	switch metric {
	case MTTD:
		return interval{"MTTD", "started_at", "detected_at"}, nil
	case MTTA:
		return interval{"MTTA", "detected_at", "acknowledged_at"}, nil
	case MTTR:
		start, end := opts.Start, opts.End
		if start == "" {
			start = "started"
		}
		if end == "" {
			end = "resolved"
		}
		if start != "started" && start != "detected" {
			return interval{}, fmt.Errorf("incident.start %q: use started or detected", start)
		}
		if end != "resolved" && end != "mitigated" {
			return interval{}, fmt.Errorf("incident.end %q: use resolved or mitigated", end)
		}
		label := "MTTR"
		if start != "started" || end != "resolved" {
			label = fmt.Sprintf("MTTR (%s→%s)", start, end)
		}
		return interval{label, timeColumns[start], timeColumns[end]}, nil
	}
	return interval{}, fmt.Errorf("unknown incident metric %q; use one of %s", metric, strings.Join(Metrics(), ", "))
}

// Metrics lists the incident metrics.
func Metrics() []string { return []string{MTTR, MTTD, MTTA, Count, Open} }

// timeField is the column that places an incident in the time range and a bucket.
func timeField(opts models.IncidentOptions) (string, error) {
	switch opts.TimeField {
	case "", "started":
		return "started_at", nil
	case "resolved":
		return "resolved_at", nil
	}
	return "", fmt.Errorf("incident.timeField %q: use started or resolved", opts.TimeField)
}
