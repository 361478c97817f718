package adoption

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// Values lists the distinct non-empty values of a dimension, sorted: from usage
// events, and for team and department from headcounts too (a team may have a
// headcount and no use yet). Tool and department come from the usage_days rollup
// (which folds every stored event) by a loose index scan: dashboards list them on
// load, and scanning every usage event took minutes at 10M events.
func Values(ctx context.Context, st store.Store, dimension string) ([]string, error) {
	if _, ok := dims("u")[dimension]; !ok {
		return nil, fmt.Errorf("unknown dimension %q; use one of %s", dimension, strings.Join(dimensionNames, ", "))
	}
	var fromEvents []string
	if dimension == "tool" || dimension == "department" {
		// Events stored by a path that does not fold are folded first, as queries do.
		if err := ingest.CatchUpUsageDays(ctx, st); err != nil {
			return nil, err
		}
		var err error
		if fromEvents, err = query.DistinctIndexed(ctx, st, "usage_days", dimension, maxValues); err != nil {
			return nil, err
		}
		if dimension == "tool" {
			return fromEvents, nil
		}
	}
	// dimension is one of the allow-listed column names.
	if fromEvents != nil { // department: the rollup's, and headcounts' own
		return query.MergeValues(ctx, st, dimension, fromEvents,
			fmt.Sprintf("SELECT DISTINCT %s FROM headcounts WHERE %s <> ''", dimension, dimension), maxValues)
	}
	q := fmt.Sprintf("SELECT %s AS v FROM usage_events WHERE %s <> ''", dimension, dimension)
	if dimension == "team" {
		q += fmt.Sprintf(" UNION SELECT %s AS v FROM headcounts WHERE %s <> ''", dimension, dimension)
	}
	return query.ListValues(ctx, st, dimension, fmt.Sprintf("SELECT DISTINCT v FROM (%s) x ORDER BY v LIMIT %d", q, maxValues))
}
