package alertquality

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/metrics/internal/tally"
	"github.com/kaizenops/suite/pkg/store"
)

// Values lists a dimension's values for the alerts editor's pickers: alert
// dimensions from the alert events, detected_by from the incidents.
func Values(ctx context.Context, st store.Querier, dimension string) ([]string, error) {
	if col, ok := alertDimensions[dimension]; ok {
		return tally.Distinct(ctx, st, "alert_events", col)
	}
	if _, ok := incidentDimensions[dimension]; ok {
		return incidents.Values(ctx, st, dimension)
	}
	return nil, fmt.Errorf("unknown dimension %q; use one of %s", dimension, strings.Join(Dimensions(), ", "))
}
