package tally

import (
	"context"
	"fmt"

	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// Distinct lists the distinct non-empty values of column col of table, sorted, for
// editor pickers and dashboard variables. table and col come from code (a family's
// allow-list), never from input.
func Distinct(ctx context.Context, st store.Querier, table, col string) ([]string, error) {
	rows, err := st.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s <> '' ORDER BY %s LIMIT %d", col, table, col, col, maxValues))
	if err != nil {
		return nil, fmt.Errorf("listing %s values: %w", col, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing %s values: %w", col, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
