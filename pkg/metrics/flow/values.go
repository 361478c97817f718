package flow

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// valueSources says where each dimension's values are listed from: stages from the
// transitions and definitions, the rest from the work items.
var valueSources = map[string][]string{
	"value_stream": {"SELECT DISTINCT value_stream AS v FROM work_items WHERE value_stream <> ''", "SELECT name AS v FROM value_streams"},
	"type":         {"SELECT DISTINCT type AS v FROM work_items WHERE type <> ''"},
	"team":         {"SELECT DISTINCT team AS v FROM work_items WHERE team <> ''"},
	"source":       {"SELECT DISTINCT source AS v FROM work_items WHERE source <> ''"},
	"stage":        {"SELECT DISTINCT stage AS v FROM work_item_transitions", "SELECT stage AS v FROM value_stream_stages"},
}

// Values lists the distinct values of a flow dimension, sorted, for editor pickers and
// dashboard variables.
func Values(ctx context.Context, q store.Querier, dimension string) ([]string, error) {
	queries, ok := valueSources[dimension]
	if !ok {
		return nil, fmt.Errorf("unknown flow dimension %q; use one of %s", dimension, strings.Join(Dimensions(), ", "))
	}
	// Fixed SQL from the map above; UNION removes duplicates across the sources.
	sqlText := fmt.Sprintf("SELECT v FROM (%s) AS u ORDER BY v LIMIT %d", strings.Join(queries, " UNION "), maxValues)
	rows, err := q.QueryContext(ctx, sqlText)
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
