package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// itemValueColumns are listed from flow_items (one row per work item record) by a loose
// index scan, one seek per value: an index leads with each (migration 0063; the
// key leads with source). Dashboards list them on load; SELECT DISTINCT over 1M work
// items took 0.6-4 s.
var itemValueColumns = map[string]bool{"value_stream": true, "type": true, "team": true, "source": true}

// valueSources are the other places a dimension's values come from: defined streams
// and stages, and the stages of transitions.
var valueSources = map[string][]string{
	"value_stream": {"SELECT name AS v FROM value_streams"},
	"stage":        {"SELECT DISTINCT stage AS v FROM work_item_transitions", "SELECT stage AS v FROM value_stream_stages"},
}

// Values lists the distinct values of a flow dimension, sorted, for editor pickers and
// dashboard variables.
func Values(ctx context.Context, q store.Querier, dimension string) ([]string, error) {
	if !itemValueColumns[dimension] && valueSources[dimension] == nil {
		return nil, fmt.Errorf("unknown flow dimension %q; use one of %s", dimension, strings.Join(Dimensions(), ", "))
	}
	out := []string{}
	if itemValueColumns[dimension] {
		vs, err := query.DistinctIndexed(ctx, q, "flow_items", dimension, maxValues)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	if queries := valueSources[dimension]; len(queries) > 0 {
		// Fixed SQL from the map above; UNION removes duplicates across the sources.
		sqlText := fmt.Sprintf("SELECT v FROM (%s) AS u WHERE v <> '' ORDER BY v LIMIT %d", strings.Join(queries, " UNION "), maxValues)
		rows, err := q.QueryContext(ctx, sqlText)
		if err != nil {
			return nil, fmt.Errorf("listing %s values: %w", dimension, err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return nil, fmt.Errorf("listing %s values: %w", dimension, err)
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("listing %s values: %w", dimension, err)
		}
	}
	slices.Sort(out)
	if len(out) > maxValues {
		out = out[:maxValues]
	}
	return out, nil
}
