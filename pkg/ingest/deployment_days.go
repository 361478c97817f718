package ingest

import (
	"context"
	"fmt"
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

// deploymentDays is the deployment_days rollup of deployments; the days replaced
// deployments left are refolded too.
var deploymentDays = dayRollup{noun: "deployment", events: "deployments", timeCol: "deployed_at", state: "deployment_days_state",
	staleDays: "SELECT day FROM deployment_days_stale", refold: foldDeploymentDays,
	afterFold: func(ctx context.Context, tx store.Querier) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM deployment_days_stale`); err != nil {
			return fmt.Errorf("clearing the replaced deployment days: %w", err)
		}
		return nil
	}}

// FoldDeploymentDays recomputes, inside the caller's transaction, every day of
// deployment_days holding a deployment stored at ingestedAt or after the last fold
// (a path that did not fold), and every day a replaced deployment left, then records
// how far the rollup is folded. Days are recomputed from the deployments, never
// adjusted, so the rollup always equals a count of the stored rows.
func FoldDeploymentDays(ctx context.Context, tx store.Tx, ingestedAt int64) error {
	return deploymentDays.fold(ctx, tx, ingestedAt)
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
	return deploymentDays.catchUp(ctx, st)
}
