package query

import (
	"context"
	"fmt"
	"slices"

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
	return ListValues(ctx, st, column, q)
}

// ListValues runs sqlText (one text column; fixed SQL from code) and returns its values
// in the order it gives them, an empty list when there are none.
func ListValues(ctx context.Context, st store.Querier, column, sqlText string) ([]string, error) {
	return listValues(ctx, st, column, sqlText, []string{})
}

// MergeValues adds to have (a sorted list of a dimension's values) the values that
// sqlText (one text column; fixed SQL from code) lists and have lacks, and returns them
// sorted, at most limit: a value list drawn from a loose index scan and from other tables.
func MergeValues(ctx context.Context, st store.Querier, column string, have []string, sqlText string, limit int) ([]string, error) {
	out, err := listValues(ctx, st, column, sqlText, append([]string{}, have...))
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// listValues appends the text column sqlText returns to out.
func listValues(ctx context.Context, st store.Querier, column, sqlText string, out []string) ([]string, error) {
	rows, err := st.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, fmt.Errorf("listing %s values: %w", column, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing %s values: %w", column, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing %s values: %w", column, err)
	}
	return out, nil
}
