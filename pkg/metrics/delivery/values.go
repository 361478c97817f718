package delivery

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// indexedValues are the columns an index leads with (migrations 0010, 0056): their values
// come from a loose index scan, one seek per value, not a read of every deployment.
var indexedValues = map[string]bool{"service": true, "environment": true, "team": true}

// Values lists the distinct non-empty values of a dimension across all deployments, sorted.
func Values(ctx context.Context, st store.Querier, dimension string) ([]string, error) {
	col, ok := dimensions[dimension]
	if !ok {
		return nil, fmt.Errorf("unknown dimension %q; use one of %s", dimension, strings.Join(dimensions.Names(), ", "))
	}
	// col comes from the allow-list above.
	if name := strings.TrimPrefix(col, "d."); indexedValues[name] {
		return query.DistinctIndexed(ctx, st, "deployments", name, maxValues)
	}
	rows, err := st.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM deployments d WHERE %s <> '' ORDER BY %s LIMIT %d", col, col, col, maxValues))
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
