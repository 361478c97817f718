package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// UsageDay is the width of a usage_days row, in milliseconds (UTC days).
const UsageDay int64 = 86_400_000

// IngestUsage ingests usage events like Ingest and, in the same transaction, folds
// the days they fall on into usage_days, so the rollup never disagrees with the
// events: both land together or neither does.
func IngestUsage(ctx context.Context, st store.Store, format Format, r io.Reader, opts Options) (Result, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	return Ingest(ctx, usageFoldStore{Store: st, ingestedAt: opts.Now.UnixMilli()}, usageKind(), format, r, opts)
}

// usageFoldStore folds usage_days at the end of every ingest transaction.
type usageFoldStore struct {
	store.Store
	ingestedAt int64
}

func (s usageFoldStore) WithTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return s.Store.WithTx(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return FoldUsageDays(ctx, tx, s.ingestedAt)
	})
}

// FoldUsageDays recomputes, inside the caller's transaction, every day of usage_days
// holding an event stored at ingestedAt or after the last fold (a path that did not
// fold), then records how far the rollup is folded. Days are recomputed from their
// events, never adjusted, so a replaced event cannot count twice.
func FoldUsageDays(ctx context.Context, tx store.Querier, ingestedAt int64) error {
	var folded sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT folded_through FROM usage_days_state WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the usage rollup state: %w", err)
	}
	since := int64(-1)
	if folded.Valid {
		since = folded.Int64
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT at / %d FROM usage_events WHERE ingested_at = $1 OR ingested_at > $2`, UsageDay), ingestedAt, since)
	if err != nil {
		return fmt.Errorf("finding the days to fold: %w", err)
	}
	var days []int64
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return fmt.Errorf("finding the days to fold: %w", err)
		}
		days = append(days, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("finding the days to fold: %w", err)
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	// Consecutive days fold in one pair of statements.
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && days[j] == days[j-1]+1 {
			j++
		}
		if err := foldDays(ctx, tx, days[i]*UsageDay, (days[j-1]+1)*UsageDay); err != nil {
			return err
		}
		i = j
	}
	var newest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM usage_events`).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest usage event: %w", err)
	}
	through := max(since, ingestedAt, newest.Int64)
	if _, err := tx.ExecContext(ctx, `INSERT INTO usage_days_state (id, folded_through) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET folded_through = excluded.folded_through`, through); err != nil {
		return fmt.Errorf("recording the usage rollup state: %w", err)
	}
	return nil
}

// foldDays rebuilds usage_days for the whole days in [from, to) (Unix ms).
func foldDays(ctx context.Context, tx store.Querier, from, to int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM usage_days WHERE day >= $1 AND day < $2`, from, to); err != nil {
		return fmt.Errorf("clearing usage rollup days: %w", err)
	}
	// UsageDay is a constant of this package, never input.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO usage_days (day, tool, user_id, team, department, uses)
		SELECT at / %[1]d * %[1]d, tool, user_id, team, department, COUNT(*) FROM usage_events
		WHERE at >= $1 AND at < $2 GROUP BY at / %[1]d * %[1]d, tool, user_id, team, department`, UsageDay), from, to); err != nil {
		return fmt.Errorf("folding usage events into days: %w", err)
	}
	return nil
}

// CatchUpUsageDays folds events some path stored without folding them (anything
// newer than the last fold). It costs two index lookups when there is nothing to do.
func CatchUpUsageDays(ctx context.Context, st store.Store) error {
	var folded, newest sql.NullInt64
	err := st.QueryRowContext(ctx, `SELECT folded_through FROM usage_days_state WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the usage rollup state: %w", err)
	}
	if err := st.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM usage_events`).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest usage event: %w", err)
	}
	if !newest.Valid || (folded.Valid && newest.Int64 <= folded.Int64) {
		return nil
	}
	return st.WithTx(ctx, func(tx store.Tx) error { return FoldUsageDays(ctx, tx, -1) })
}
