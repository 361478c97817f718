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
	var out []string
	if itemValueColumns[dimension] {
		vs, err := query.DistinctIndexed(ctx, q, "flow_items", dimension, maxValues)
		if err != nil {
			return nil, err
		}
		out = vs
	}
	queries := valueSources[dimension]
	if len(queries) == 0 {
		slices.Sort(out)
		return out, nil
	}
	// Fixed SQL from the map above; UNION removes duplicates across the sources.
	return query.MergeValues(ctx, q, dimension, out,
		fmt.Sprintf("SELECT v FROM (%s) AS u WHERE v <> '' ORDER BY v LIMIT %d", strings.Join(queries, " UNION "), maxValues), maxValues)
}
