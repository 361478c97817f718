package postmortems

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
)

// Defaults (docs/improvement.md).
const (
	DefaultPostmortemDays = 5
	DefaultRepeatDays     = 30
)

// DefaultSeverities orders severities from most to least severe: sev1 is the worst.
var DefaultSeverities = []string{"sev1", "sev2", "sev3", "sev4", "sev5"}

// options are the checked postmortem options.
type options struct {
	// severities are the lower-cased severities that count, most severe first,
	// cut at the minimum severity.
	severities []string
	within     time.Duration // postmortem deadline after resolution
	repeat     time.Duration // repeat window
}

func parseOptions(q models.Query) (options, error) {
	var o models.ImprovementOptions
	if q.Improvement != nil {
		o = *q.Improvement
	}
	var out options
	var err error
	if out.severities, err = severitiesAtOrAbove(o.Severities, o.MinSeverity); err != nil {
		return out, err
	}
	if out.within, err = days("postmortemDays", o.PostmortemDays, DefaultPostmortemDays); err != nil {
		return out, err
	}
	if out.repeat, err = days("repeatDays", o.RepeatDays, DefaultRepeatDays); err != nil {
		return out, err
	}
	return out, nil
}

// severitiesAtOrAbove returns the severities of the ordered list (default
// DefaultSeverities) from the most severe down to min (case ignored); min empty
// keeps the whole list.
func severitiesAtOrAbove(list []string, min string) ([]string, error) {
	if len(list) == 0 {
		list = DefaultSeverities
	}
	out := make([]string, 0, len(list))
	for i, s := range list {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" {
			return nil, fmt.Errorf("improvement.severities[%d] is empty; list severities most severe first, e.g. [\"sev1\", \"sev2\", \"sev3\"]", i)
		}
		for j, prev := range out {
			if prev == s {
				return nil, fmt.Errorf("improvement.severities[%d] %q repeats improvement.severities[%d]", i, list[i], j)
			}
		}
		out = append(out, s)
	}
	min = strings.ToLower(strings.TrimSpace(min))
	if min == "" {
		return out, nil
	}
	for i, s := range out {
		if s == min {
			return out[:i+1], nil
		}
	}
	return nil, fmt.Errorf("improvement.minSeverity %q is not in the severity order %s; add it or pick one of them", min, strings.Join(out, " > "))
}

// days reads a positive number of days (at most a year).
func days(name string, v *float64, def float64) (time.Duration, error) {
	d := def
	if v != nil {
		d = *v
	}
	if math.IsNaN(d) || d <= 0 || d > 366 {
		return 0, fmt.Errorf("improvement.%s %v: give more than 0 days, at most 366", name, d)
	}
	return time.Duration(d * float64(24*time.Hour)), nil
}
