package query

import (
	"context"
	"fmt"

	"github.com/kaizenops/suite/pkg/store"
)

// DistinctIndexed lists the distinct non-empty values of column in table, sorted,
// at most limit of them, by a loose index scan: one index seek per value ("the
// least value above the last one") instead of reading every row. It needs an index
// whose first column is column; without one each seek is a scan, so callers use it
// only for such columns. table and column must come from an allow-list.
// Both stores run the same recursive CTE (the PostgreSQL wiki's loose index scan).
func DistinctIndexed(ctx context.Context, st store.Querier, table, column string, limit int) ([]string, error) {
	q := fmt.Sprintf(`WITH RECURSIVE v(x) AS (
  SELECT (SELECT %[2]s FROM %[1]s WHERE %[2]s > '' ORDER BY %[2]s LIMIT 1)
  UNION ALL
  SELECT (SELECT %[2]s FROM %[1]s WHERE %[2]s > v.x ORDER BY %[2]s LIMIT 1) FROM v WHERE v.x IS NOT NULL
)
SELECT x FROM v WHERE x IS NOT NULL LIMIT %[3]d`, table, column, limit)
	rows, err := st.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing %s values: %w", column, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing %s values: %w", column, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
