// Package kaizen is the continuous-improvement family (DESIGN.md section 3,
// "Continuous improvement"): kaizen events (improvement initiatives, each
// targeting one metric with a hypothesis), whether each worked (impact: the
// target's series before vs after the change, through pkg/stats/impact),
// whether the gain holds at its review dates (sustainability), where events
// fall on a chart (phases, annotations), and how the improvement backlog flows
// (cycle time, velocity). Definitions and frame shapes: docs/kaizen.md.
package kaizen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	// Impact: per event, before vs after the deployment ("did it work?").
	Impact = "impact"
	// Sustainability: per event, the state of its gain at the latest review due.
	Sustainability = "sustainability"
	// Reviews: one row per event and review date.
	Reviews = "reviews"
	// Phases: events deployed in the range, for control charts to split at.
	Phases = "phases"
	// Annotations: deployments and review dates as dashboard annotations.
	Annotations = "annotations"
	// CycleTime: deployed_at − proposed_at per event, placed by deployed_at.
	CycleTime = "cycle_time"
	// Velocity: events deployed per bucket (calendar months by default).
	Velocity = "velocity"
)

// Metrics lists the kaizen metrics in the order editors offer them.
func Metrics() []string {
	return []string{Impact, Sustainability, Reviews, Phases, Annotations, CycleTime, Velocity}
}

func isSeriesMetric(m string) bool { return m == CycleTime || m == Velocity }

func metricOf(m string) (string, error) {
	if m == "" {
		return Impact, nil
	}
	if !slices.Contains(Metrics(), m) {
		return "", fmt.Errorf("unknown kaizen metric %q; use one of %s", m, strings.Join(Metrics(), ", "))
	}
	return m, nil
}

// dimensions: what kaizen queries filter on (and cycle time and velocity group by).
var dimensions = query.Dimensions{
	"event":  "id",
	"owner":  "owner",
	"status": "status",
}

// Dimensions lists what kaizen queries filter and group by.
func Dimensions() []string { return dimensions.Names() }

// Deps is what the family needs from the rest of the engine: the series of any
// target query (Engine.Series) and the catalog, which says which way a target
// metric improves. The registry passes both, so this package knows no family.
type Deps struct {
	Series  query.SeriesFunc
	Catalog func() []catalog.Entry
}

// Verdict codes of the impact numbers: what alert rules threshold (worsened is
// −1). Insufficient data has no code (null): no answer yet.
var verdictCodes = map[string]float64{"improved": 1, "no-evidence": 0, "worsened": -1}

// Sustainability states beyond pkg/stats/impact's: pending before a review is due.
const (
	StatePending = "pending"
	// StateError marks an event whose analysis failed (its note says why).
	StateError = "error"
)

// State codes: sustained 2, eroding 1, lost 0; pending and insufficient data
// have none (null).
var stateCodes = map[string]float64{"sustained": 2, "eroding": 1, "lost": 0}
