package ingest

import (
	"context"
	"fmt"
	"io"
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

// usageDays is the usage_days rollup of usage_events.
var usageDays = dayRollup{noun: "usage", events: "usage_events", timeCol: "at", state: "usage_days_state", refold: foldDays}

// FoldUsageDays recomputes, inside the caller's transaction, every day of usage_days
// holding an event stored at ingestedAt or after the last fold (a path that did not
// fold), then records how far the rollup is folded. Days are recomputed from their
// events, never adjusted, so a replaced event cannot count twice.
func FoldUsageDays(ctx context.Context, tx store.Querier, ingestedAt int64) error {
	return usageDays.fold(ctx, tx, ingestedAt)
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
	return usageDays.catchUp(ctx, st)
}
