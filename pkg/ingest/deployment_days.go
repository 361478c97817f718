package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/store"
)

// DeploymentDay is the width of a deployment_days row, in milliseconds (UTC days).
const DeploymentDay = UsageDay

// replacedLookupBatch bounds the keys one lookup of stored versions carries.
const replacedLookupBatch = 200

// markReplacedDeploymentDays records, before rows replace stored deployments, the days
// the stored versions fall on: a re-sent deployment may move to another day (or
// service, team, environment, status), and the day it leaves must be refolded too.
// rows are in deploymentKind's field order: source, id, ..., deployed_at at 7.
func markReplacedDeploymentDays(ctx context.Context, tx store.Tx, rows [][]any) error {
	for start := 0; start < len(rows); start += replacedLookupBatch {
		batch := rows[start:min(start+replacedLookupBatch, len(rows))]
		conds := make([]string, len(batch))
		args := make([]any, 0, 2*len(batch))
		for i, r := range batch {
			conds[i] = fmt.Sprintf("(source = $%d AND id = $%d)", 2*i+1, 2*i+2)
			args = append(args, r[0], r[1])
		}
		// DeploymentDay is a constant; the keys travel as parameters.
		q := fmt.Sprintf(`INSERT INTO deployment_days_stale (day)
			SELECT DISTINCT deployed_at / %d FROM deployments WHERE %s
			ON CONFLICT (day) DO NOTHING`, DeploymentDay, strings.Join(conds, " OR "))
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("recording the days of replaced deployments: %w", err)
		}
	}
	return nil
}

// FoldDeploymentDays recomputes, inside the caller's transaction, every day of
// deployment_days holding a deployment stored at ingestedAt or after the last fold
// (a path that did not fold), and every day a replaced deployment left, then records
// how far the rollup is folded. Days are recomputed from the deployments, never
// adjusted, so the rollup always equals a count of the stored rows.
func FoldDeploymentDays(ctx context.Context, tx store.Tx, ingestedAt int64) error {
	var folded sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT folded_through FROM deployment_days_state WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the deployment rollup state: %w", err)
	}
	since := int64(-1)
	if folded.Valid {
		since = folded.Int64
	}
	days, err := int64s(ctx, tx, fmt.Sprintf(`SELECT DISTINCT deployed_at / %d FROM deployments WHERE ingested_at = $1 OR ingested_at > $2
		UNION SELECT day FROM deployment_days_stale`, DeploymentDay), ingestedAt, since)
	if err != nil {
		return fmt.Errorf("finding the deployment days to fold: %w", err)
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	// Consecutive days fold in one pair of statements.
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && days[j] == days[j-1]+1 {
			j++
		}
		if err := foldDeploymentDays(ctx, tx, days[i]*DeploymentDay, (days[j-1]+1)*DeploymentDay); err != nil {
			return err
		}
		i = j
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deployment_days_stale`); err != nil {
		return fmt.Errorf("clearing the replaced deployment days: %w", err)
	}
	var newest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM deployments`).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest deployment: %w", err)
	}
	through := max(since, ingestedAt, newest.Int64)
	if _, err := tx.ExecContext(ctx, `INSERT INTO deployment_days_state (id, folded_through) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET folded_through = excluded.folded_through`, through); err != nil {
		return fmt.Errorf("recording the deployment rollup state: %w", err)
	}
	return nil
}

// foldDeploymentDays rebuilds deployment_days for the whole days in [from, to) (Unix ms).
// A day before 1970 is folded too, but queries never read one (integer division
// rounds toward zero there).
func foldDeploymentDays(ctx context.Context, tx store.Querier, from, to int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM deployment_days WHERE day >= $1 AND day < $2`, from, to); err != nil {
		return fmt.Errorf("clearing deployment rollup days: %w", err)
	}
	// DeploymentDay is a constant of this package, never input. The failed statuses are
	// the ones DORA counts (DESIGN.md section 2).
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO deployment_days (day, environment, service, team, deployments, failed)
		SELECT deployed_at / %[1]d * %[1]d, environment, service, team, COUNT(*),
		SUM(CASE WHEN status IN ('%[2]s', '%[3]s') THEN 1 ELSE 0 END)
		FROM deployments WHERE deployed_at >= $1 AND deployed_at < $2
		GROUP BY deployed_at / %[1]d * %[1]d, environment, service, team`, DeploymentDay, DeploymentFailed, DeploymentRolledBack), from, to); err != nil {
		return fmt.Errorf("folding deployments into days: %w", err)
	}
	return nil
}

// CatchUpDeploymentDays folds deployments some path stored without folding them
// (anything newer than the last fold). It costs two index lookups when there is
// nothing to do; queries call it before reading the rollup.
func CatchUpDeploymentDays(ctx context.Context, st store.Store) error {
	var folded, newest sql.NullInt64
	err := st.QueryRowContext(ctx, `SELECT folded_through FROM deployment_days_state WHERE id = 1`).Scan(&folded)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("reading the deployment rollup state: %w", err)
	}
	if err := st.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM deployments`).Scan(&newest); err != nil {
		return fmt.Errorf("reading the newest deployment: %w", err)
	}
	if !newest.Valid || (folded.Valid && newest.Int64 <= folded.Int64) {
		return nil
	}
	return st.WithTx(ctx, func(tx store.Tx) error { return FoldDeploymentDays(ctx, tx, -1) })
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
