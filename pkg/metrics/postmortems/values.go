package postmortems

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/metrics/internal/tally"
	"github.com/kaizenops/suite/pkg/store"
)

// Values lists a dimension's values for the postmortems editor's pickers: the
// incidents' and the action items' values, merged where both have the dimension.
func Values(ctx context.Context, st store.Querier, dimension string) ([]string, error) {
	if !slices.Contains(Dimensions(), dimension) {
		return nil, fmt.Errorf("unknown dimension %q; use one of %s", dimension, strings.Join(Dimensions(), ", "))
	}
	var out []string
	if _, ok := incidentDimensions[dimension]; ok {
		vs, err := incidents.Values(ctx, st, dimension)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	if col, ok := actionDimensions[dimension]; ok {
		vs, err := tally.Distinct(ctx, st, "action_items", strings.TrimPrefix(col, "a."))
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
