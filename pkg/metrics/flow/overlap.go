package flow

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// openOrEndingAfter selects cols from table for rows that match w and whose end column
// is NULL (still open) or at or after t: the stays or items in progress at t.
//
// "end IS NULL OR end >= t" is written as a UNION ALL of the two cases: as one OR term the
// embedded store's planner (SQLite keeps no statistics here) walks the index on the start
// column instead, every stay since the beginning of history: 56 s instead of 0.3 s for the
// WIP of one stream at 1M items. Callers write their start bound as +col so the planner
// leaves that index alone. t is an integer computed by the caller, never input text; the
// placeholders of w appear in both branches, which SQLite and PostgreSQL both allow.
func openOrEndingAfter(table, cols string, w *query.Where, endCol string, t int64) string {
	where := w.SQL()
	return fmt.Sprintf("SELECT %s FROM %s%s AND %s IS NULL UNION ALL SELECT %s FROM %s%s AND %s >= %d",
		cols, table, where, endCol, cols, table, where, endCol, t)
}

// staysIn selects cols of the stays that match w and are in progress at t: the open ones
// (from flow_open, one small row per unfinished item) and those ending at or after t. w
// must use column names both tables have (value_stream, stage, entered_at, type, team,
// source); a column "exited_at" in cols reads NULL for the open stays.
func staysIn(cols []string, w *query.Where, t int64) string {
	open := make([]string, len(cols))
	for i, c := range cols {
		open[i] = c
		if c == "exited_at" {
			open[i] = "CAST(NULL AS BIGINT)"
		}
	}
	where := w.SQL()
	return fmt.Sprintf("SELECT %s FROM flow_open%s UNION ALL SELECT %s FROM flow_intervals%s AND exited_at >= %d",
		strings.Join(open, ", "), where, strings.Join(cols, ", "), where, t)
}
