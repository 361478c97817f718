// Package rollup keeps sli_rollups in step with sli_samples: the sums of good and
// total events per SLO over aligned cells (5 minutes, one hour, one day), which
// windows read instead of every sample: a window's edges cost at most 4 samples,
// 11 five-minute cells and 23 hourly cells each, whatever its length. A cell holds the samples whose start (at) falls in
// it, the same rule windows use, so a window made of whole cells and samples at its
// ragged edges sums exactly what the samples alone would.
package rollup

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kaizenops/suite/pkg/store"
)

// Cell widths in milliseconds, finest first; each divides the next, and cells
// are aligned to the Unix epoch (UTC days).
const (
	FiveMinutes int64 = 300_000
	Hour        int64 = 3_600_000
	Day         int64 = 86_400_000
)

// Widths lists the rollup levels, finest first. Each level is folded from the
// one before it (the first from the samples).
func Widths() []int64 { return []int64{FiveMinutes, Hour, Day} }

// Fold recomputes, inside the caller's transaction, every rollup cell holding a
// sample stored at ingestedAt or stored after the last fold (a path that skipped
// the fold), then records how far the rollups are folded. Cells are recomputed
// from their samples, never adjusted by deltas, so a replaced sample cannot be
// counted twice.
func Fold(ctx context.Context, tx store.Querier, ingestedAt int64) error {
	var folded sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT folded_through FROM sli_rollup_state WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the SLI rollup state: %w", err)
	}
	since := int64(-1) // nothing folded yet: every sample
	if folded.Valid {
		since = folded.Int64
	}
	prev := ""
	for _, w := range Widths() {
		if err := foldLevel(ctx, tx, w, prev, ingestedAt, since); err != nil {
			return err
		}
		prev = fmt.Sprint(w)
	}
	var newest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM sli_samples`).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest SLI sample: %w", err)
	}
	through := max(since, ingestedAt, newest.Int64)
	if _, err := tx.ExecContext(ctx, `INSERT INTO sli_rollup_state (id, folded_through) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET folded_through = excluded.folded_through`, through); err != nil {
		return fmt.Errorf("recording the SLI rollup state: %w", err)
	}
	return nil
}

// foldLevel recomputes the touched cells of width w from the samples (prev "")
// or from the rollup level of width prev. Widths are integer constants from this
// package, never input.
func foldLevel(ctx context.Context, tx store.Querier, w int64, prev string, ingestedAt, since int64) error {
	cell := func(col string) string { return fmt.Sprintf("%s / %d * %d", col, w, w) }
	touched := fmt.Sprintf(`(SELECT DISTINCT slo, %s AS cell FROM sli_samples WHERE ingested_at = $1 OR ingested_at > $2) t`, cell("at"))
	var src string
	if prev == "" {
		src = fmt.Sprintf(`SELECT %d, s.slo, %s, SUM(s.good), SUM(s.total), COUNT(*)
			FROM %s JOIN sli_samples s ON s.slo = t.slo AND s.at >= t.cell AND s.at < t.cell + %d
			WHERE true GROUP BY s.slo, %s`, w, cell("s.at"), touched, w, cell("s.at"))
	} else {
		src = fmt.Sprintf(`SELECT %d, r.slo, %s, SUM(r.good), SUM(r.total), SUM(r.samples)
			FROM %s JOIN sli_rollups r ON r.width_ms = %s AND r.slo = t.slo AND r.start >= t.cell AND r.start < t.cell + %d
			WHERE true GROUP BY r.slo, %s`, w, cell("r.start"), touched, prev, w, cell("r.start"))
	}
	stmt := `INSERT INTO sli_rollups (width_ms, slo, start, good, total, samples) ` + src + `
		ON CONFLICT (width_ms, slo, start) DO UPDATE SET good = excluded.good, total = excluded.total, samples = excluded.samples`
	if _, err := tx.ExecContext(ctx, stmt, ingestedAt, since); err != nil {
		return fmt.Errorf("folding SLI samples into %d ms rollups: %w", w, err)
	}
	return nil
}

// CatchUp folds samples that some path stored without folding them (anything
// newer than the last fold). It costs two index lookups when there is nothing to do.
func CatchUp(ctx context.Context, st store.Store) error {
	var folded, newest sql.NullInt64
	err := st.QueryRowContext(ctx, `SELECT folded_through FROM sli_rollup_state WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the SLI rollup state: %w", err)
	}
	if err := st.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM sli_samples`).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest SLI sample: %w", err)
	}
	if !newest.Valid || (folded.Valid && newest.Int64 <= folded.Int64) {
		return nil
	}
	return st.WithTx(ctx, func(tx store.Tx) error { return Fold(ctx, tx, -1) })
}
