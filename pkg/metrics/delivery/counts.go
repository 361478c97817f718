package delivery

import (
	"context"
	"database/sql"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
)

// dayMs is the width of a deployment_days row (Unix ms).
const dayMs = ingest.DeploymentDay

// rollupDimensions are the columns deployment_days keeps.
var rollupDimensions = map[string]bool{"service": true, "team": true, "environment": true}

// rollupServes says whether deployment_days can answer the counts of this query: its
// groups and filters are on the rollup's dimensions, and its buckets are whole UTC days.
func (p plan) rollupServes() bool {
	for _, g := range p.q.GroupBy {
		if !rollupDimensions[g] {
			return false
		}
	}
	for k, v := range p.filters {
		if len(v) > 0 && !rollupDimensions[k] {
			return false
		}
	}
	return p.buckets.AlignedTo(dayMs)
}

// counts computes the count-based metrics from (deployments, failed deployments) per
// bucket. Buckets without deployments count 0, and have no change failure rate.
func (p plan) counts(ctx context.Context, metric string) (query.Result, error) {
	failed := "0"
	if metric == ChangeFailureRate || metric == FailedDeployments {
		failed = "SUM(CASE WHEN d.status IN ('failed', 'rolled_back') THEN 1 ELSE 0 END)"
	}
	acc := newGroups[[2]float64]()
	add := func(bucket int64, group []string, vals []sql.NullFloat64) {
		m := acc.at(group)
		c := m[bucket]
		m[bucket] = [2]float64{c[0] + vals[0].Float64, c[1] + vals[1].Float64}
	}
	from, to := p.env.From.UnixMilli(), p.env.To.UnixMilli()
	// Whole days come from the daily rollup when it can answer the query; the ragged
	// ends of the range, and everything else, from the deployments.
	sp := query.SplitDays(from, to, dayMs, p.rollupServes())
	if dStart, dEnd := sp.Days[0], sp.Days[1]; dEnd > dStart {
		if err := ingest.CatchUpDeploymentDays(ctx, p.env.Store); err != nil {
			return query.Result{}, err
		}
		w, err := p.whereIn("d.day", dStart, dEnd)
		if err != nil {
			return query.Result{}, err
		}
		sqlText := "SELECT " + p.selectListOf("d.day") + ", SUM(d.deployments), SUM(d.failed) FROM deployment_days d" + w.SQL() + p.groupByOf("d.day")
		if err := p.scanRows(ctx, sqlText, w.Args(), 2, add); err != nil {
			return query.Result{}, err
		}
	}
	for _, r := range sp.Ends {
		w, err := p.whereIn("d.deployed_at", r[0], r[1])
		if err != nil {
			return query.Result{}, err
		}
		sqlText := "SELECT " + p.selectList() + ", COUNT(*), " + failed + " FROM deployments d" + w.SQL() + p.groupBy()
		if err := p.scanRows(ctx, sqlText, w.Args(), 2, add); err != nil {
			return query.Result{}, err
		}
	}
	if metric == ChangeFailureRate || metric == FailedDeployments {
		// Deployments that succeeded by status but that an incident names failed too.
		err := p.linked(ctx, nil, func(bucket int64, group []string, _ []sql.NullFloat64) {
			m := acc.at(group)
			c := m[bucket]
			c[1]++
			m[bucket] = c
		})
		if err != nil {
			return query.Result{}, err
		}
	}
	acc.ensureUngrouped(len(p.groupCols))
	res := p.result(metric)
	for i, group := range acc.keys {
		s := p.series(group)
		for j, b := range p.starts {
			c := acc.vals[i][b]
			var v *float64
			switch metric {
			case Deployments:
				v = ptr(c[0])
			case FailedDeployments:
				v = ptr(c[1])
			case DeploymentFrequency:
				if d := p.days(b); d > 0 {
					v = ptr(c[0] / d)
				}
			case ChangeFailureRate:
				if c[0] > 0 {
					v = ptr(c[1] / c[0])
				}
			}
			s.Values[j] = v
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}
