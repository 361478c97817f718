package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/kaizenops/suite/pkg/store"
)

// dayRollup is a per-UTC-day rollup of an event table, folded inside the transaction
// that wrote the events and recorded in a one-row state table, so a reader can tell
// whether some path wrote events without folding them. Table and column names come
// from code, never from input.
type dayRollup struct {
	noun    string // "usage", "deployment": for messages
	events  string // the event table (it has ingested_at)
	timeCol string
	state   string // the state table (id 1, folded_through)
	// staleDays, when set, selects more day numbers to refold (days rows left).
	staleDays string
	// refold rebuilds the rollup for the whole days in [from, to) (Unix ms).
	refold func(ctx context.Context, tx store.Querier, from, to int64) error
	// afterFold, when set, runs after the days are refolded (clears staleDays).
	afterFold func(ctx context.Context, tx store.Querier) error
}

// fold refolds every day holding an event stored at ingestedAt or after the last fold,
// and the stale days, then records how far the rollup is folded. Days are recomputed
// from their events, never adjusted, so a replaced event cannot count twice.
func (r dayRollup) fold(ctx context.Context, tx store.Querier, ingestedAt int64) error {
	var folded sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT folded_through FROM `+r.state+` WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the %s rollup state: %w", r.noun, err)
	}
	since := int64(-1)
	if folded.Valid {
		since = folded.Int64
	}
	// Days are UTC days (UsageDay = DeploymentDay), a constant of this package.
	q := fmt.Sprintf(`SELECT DISTINCT %s / %d FROM %s WHERE ingested_at = $1 OR ingested_at > $2`, r.timeCol, UsageDay, r.events)
	if r.staleDays != "" {
		q += " UNION " + r.staleDays
	}
	days, err := int64s(ctx, tx, q, ingestedAt, since)
	if err != nil {
		return fmt.Errorf("finding the %s days to fold: %w", r.noun, err)
	}
	slices.Sort(days)
	// Consecutive days fold in one pair of statements.
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && days[j] == days[j-1]+1 {
			j++
		}
		if err := r.refold(ctx, tx, days[i]*UsageDay, (days[j-1]+1)*UsageDay); err != nil {
			return err
		}
		i = j
	}
	if r.afterFold != nil {
		if err := r.afterFold(ctx, tx); err != nil {
			return err
		}
	}
	var newest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM `+r.events).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest %s: %w", r.noun, err)
	}
	through := max(since, ingestedAt, newest.Int64)
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+r.state+` (id, folded_through) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET folded_through = excluded.folded_through`, through); err != nil {
		return fmt.Errorf("recording the %s rollup state: %w", r.noun, err)
	}
	return nil
}

// catchUp folds events some path stored without folding them (anything newer than the
// last fold). It costs two index lookups when there is nothing to do; readers call it
// before reading the rollup.
func (r dayRollup) catchUp(ctx context.Context, st store.Store) error {
	var folded, newest sql.NullInt64
	err := st.QueryRowContext(ctx, `SELECT folded_through FROM `+r.state+` WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the %s rollup state: %w", r.noun, err)
	}
	if err := st.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM `+r.events).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest %s: %w", r.noun, err)
	}
	if !newest.Valid || (folded.Valid && newest.Int64 <= folded.Int64) {
		return nil
	}
	return st.WithTx(ctx, func(tx store.Tx) error { return r.fold(ctx, tx, -1) })
}

// int64s runs a query of one integer column.
func int64s(ctx context.Context, q store.Querier, sqlText string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
