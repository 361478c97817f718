package adoption

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// Values lists the distinct non-empty values of a dimension, sorted: from usage
// events, and for team and department from headcounts too (a team may have a
// headcount and no use yet).
func Values(ctx context.Context, st store.Querier, dimension string) ([]string, error) {
	if _, ok := dims("u")[dimension]; !ok {
		return nil, fmt.Errorf("unknown dimension %q; use one of %s", dimension, strings.Join(dimensionNames, ", "))
	}
	// dimension is one of the allow-listed column names.
	q := fmt.Sprintf("SELECT %s AS v FROM usage_events WHERE %s <> ''", dimension, dimension)
	if dimension == "team" || dimension == "department" {
		q += fmt.Sprintf(" UNION SELECT %s AS v FROM headcounts WHERE %s <> ''", dimension, dimension)
	}
	rows, err := st.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT v FROM (%s) x ORDER BY v LIMIT %d", q, maxValues))
	if err != nil {
		return nil, fmt.Errorf("listing %s values: %w", dimension, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing %s values: %w", dimension, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
