// Package adoption computes tool adoption metrics from usage events and eligible
// headcounts: DAU/WAU/MAU, stickiness, adoption rate, feature adoption and weekly
// retention cohorts (DESIGN.md section 3, "Adoption"; docs/adoption.md).
package adoption

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	DAU             = "dau"
	WAU             = "wau"
	MAU             = "mau"
	Stickiness      = "stickiness"
	AdoptionRate    = "adoption_rate"
	FeatureAdoption = "feature_adoption"
	Retention       = "retention"
)

// Metrics lists the adoption metrics.
func Metrics() []string {
	return []string{DAU, WAU, MAU, Stickiness, AdoptionRate, FeatureAdoption, Retention}
}

const day = 24 * time.Hour

// windows are the activity windows of the active-user metrics.
var windows = map[string]time.Duration{DAU: day, WAU: 7 * day, MAU: 30 * day}

// dimensionNames are what adoption queries can be grouped and filtered by.
var dimensionNames = []string{"department", "feature", "team", "tool"}

// dims returns the allow-list with columns qualified by a table alias.
func dims(alias string) query.Dimensions {
	d := query.Dimensions{}
	for _, n := range dimensionNames {
		d[n] = alias + "." + n
	}
	return d
}

// Dimensions lists what adoption queries can be grouped and filtered by.
func Dimensions() []string { return append([]string(nil), dimensionNames...) }

// options are the parsed adoption options.
type options struct {
	window time.Duration
	weeks  int
}

func parseOptions(q models.Query) (options, error) {
	o := options{window: 30 * day, weeks: 12}
	if q.Adoption == nil {
		return o, nil
	}
	switch q.Adoption.Window {
	case "", "30d":
	case "1d":
		o.window = day
	case "7d":
		o.window = 7 * day
	default:
		return o, fmt.Errorf("adoption.window %q: use 1d, 7d or 30d", q.Adoption.Window)
	}
	if w := q.Adoption.Weeks; w != 0 {
		if w < 1 || w > 52 {
			return o, fmt.Errorf("adoption.weeks %d: use 1 to 52", w)
		}
		o.weeks = w
	}
	return o, nil
}

func unknownMetric(metric string) error {
	return fmt.Errorf("unknown adoption metric %q; use one of %s", metric, strings.Join(Metrics(), ", "))
}
