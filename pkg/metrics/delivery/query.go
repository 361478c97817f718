package delivery

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Compute returns the metric as series, for frames or for other queries (SPC, backtests).
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	metric := q.Metric
	if metric == "" {
		metric = DeploymentFrequency
	}
	p, err := newPlan(env, q)
	if err != nil {
		return query.Result{}, err
	}
	var res query.Result
	switch metric {
	case Deployments, DeploymentFrequency, ChangeFailureRate, FailedDeployments:
		res, err = p.counts(ctx, metric)
	case LeadTime, RecoveryTime:
		stat := summary.Median
		if q.Stat != "" {
			if stat, err = summary.Parse(q.Stat); err != nil {
				return query.Result{}, err
			}
		}
		res, err = p.durations(ctx, metric, stat)
	default:
		return query.Result{}, unknownMetric(metric)
	}
	if err != nil {
		return query.Result{}, err
	}
	if q.Delivery != nil && q.Delivery.Band {
		return p.bands(res, metric)
	}
	return res, nil
}

// plan holds what every delivery query needs.
type plan struct {
	env       query.Env
	q         models.Query
	groupCols []string
	buckets   query.Buckets
	filters   map[string][]string
	// starts are the bucket starts (Unix ms) a series has values for; {0} unbucketed.
	starts []int64
}

func newPlan(env query.Env, q models.Query) (plan, error) {
	groupCols, err := dimensions.Columns(q.GroupBy)
	if err != nil {
		return plan{}, err
	}
	buckets, err := query.ResolveBuckets(q.Bucket, env)
	if err != nil {
		return plan{}, err
	}
	p := plan{env: env, q: q, groupCols: groupCols, buckets: buckets, filters: productionByDefault(q)}
	if buckets.Width > 0 {
		for _, t := range buckets.Range(env.From, env.To) {
			p.starts = append(p.starts, t.UnixMilli())
		}
	} else {
		p.starts = []int64{0}
	}
	return p, nil
}

// productionByDefault adds environment = production unless the query filters or
// groups by environment, or asks for any environment (AnyValue): DORA measures deployments to production.
func productionByDefault(q models.Query) map[string][]string {
	if len(q.Filters["environment"]) > 0 || slices.Contains(q.Unfiltered, "environment") {
		return q.Filters
	}
	for _, g := range q.GroupBy {
		if g == "environment" {
			return q.Filters
		}
	}
	out := make(map[string][]string, len(q.Filters)+1)
	for k, v := range q.Filters {
		out[k] = v
	}
	out["environment"] = []string{Production}
	return out
}

func (p plan) where(extra ...string) (*query.Where, error) {
	return p.whereIn("d.deployed_at", p.env.From.UnixMilli(), p.env.To.UnixMilli(), extra...)
}

// whereIn is where with the time column col in [from, to) (Unix ms).
func (p plan) whereIn(col string, from, to int64, extra ...string) (*query.Where, error) {
	w := &query.Where{}
	w.Add(col+" >= ?", from)
	w.Add(col+" < ?", to)
	for _, e := range extra {
		w.Add(e)
	}
	if err := w.Filters(dimensions, p.filters); err != nil {
		return nil, err
	}
	return w, nil
}

// bucketSQL is the bucket start of a deployment (0 when unbucketed).
func (p plan) bucketSQL() string { return p.bucketOf("d.deployed_at") }

// bucketOf is the bucket start of the time column col (0 when unbucketed).
func (p plan) bucketOf(col string) string {
	if p.buckets.Width > 0 {
		return p.buckets.SQL(col)
	}
	return "0"
}

func (p plan) selectList() string { return p.selectListOf("d.deployed_at") }

func (p plan) selectListOf(col string) string {
	return strings.Join(append([]string{p.bucketOf(col)}, p.groupCols...), ", ")
}

func (p plan) groupBy() string { return p.groupByOf("d.deployed_at") }

func (p plan) groupByOf(col string) string {
	var cols []string
	if p.buckets.Width > 0 {
		cols = append(cols, p.buckets.SQL(col))
	}
	cols = append(cols, p.groupCols...)
	if len(cols) == 0 {
		return ""
	}
	return " GROUP BY " + strings.Join(cols, ", ")
}

// days is how much of bucket start's width lies in the range, in days: the first and
// last buckets may be partial, and a rate over them must not be diluted.
func (p plan) days(start int64) float64 {
	from, to := p.env.From, p.env.To
	if p.buckets.Width > 0 {
		s := time.UnixMilli(start).UTC()
		e := s.Add(p.buckets.Width)
		if s.After(from) {
			from = s
		}
		if e.Before(to) {
			to = e
		}
	}
	return to.Sub(from).Hours() / 24
}

// groups collects per-group, per-bucket accumulations in first-seen order.
type groups[T any] struct {
	index map[string]int
	keys  [][]string
	vals  []map[int64]T
}

func newGroups[T any]() *groups[T] { return &groups[T]{index: map[string]int{}} }

func (g *groups[T]) at(group []string) map[int64]T {
	key := strings.Join(group, "\x00")
	i, ok := g.index[key]
	if !ok {
		i = len(g.keys)
		g.index[key] = i
		g.keys = append(g.keys, append([]string(nil), group...))
		g.vals = append(g.vals, map[int64]T{})
	}
	return g.vals[i]
}

// ensureUngrouped gives an ungrouped query its one series even when nothing matched.
func (g *groups[T]) ensureUngrouped(nGroupCols int) {
	if nGroupCols == 0 && len(g.keys) == 0 {
		g.at([]string{})
	}
}

// scanRows reads rows of (bucket, group columns..., values...) into fn.
func (p plan) scanRows(ctx context.Context, sqlText string, args []any, nValues int, fn func(bucket int64, group []string, vals []sql.NullFloat64)) error {
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fmt.Errorf("querying deployments: %w", err)
	}
	defer rows.Close()
	var bucket int64
	group := make([]string, len(p.groupCols))
	vals := make([]sql.NullFloat64, nValues)
	dest := []any{&bucket}
	for i := range group {
		dest = append(dest, &group[i])
	}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading deployments: %w", err)
		}
		fn(bucket, group, vals)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading deployments: %w", err)
	}
	return nil
}

// durations computes lead time or recovery time in seconds, summarized by stat.
func (p plan) durations(ctx context.Context, metric string, stat summary.Stat) (query.Result, error) {
	var sqlText string
	var args []any
	switch metric {
	case LeadTime:
		// Lead time for changes: commit to successful deployment; a deployment
		// without commit_at has no lead time.
		w, err := p.where("d.status = 'success'", "d.commit_at IS NOT NULL")
		if err != nil {
			return query.Result{}, err
		}
		sqlText, args = "SELECT "+p.selectList()+", (d.deployed_at - d.commit_at) / 1000.0, NULL, NULL FROM deployments d"+w.SQL(), w.Args()
	case RecoveryTime:
		w, err := p.where("d.status IN ('failed', 'rolled_back')")
		if err != nil {
			return query.Result{}, err
		}
		sqlText, args = "SELECT "+p.selectList()+", d.deployed_at, "+nextGoodSQL+", "+incidentResolvedSQL+" FROM deployments d"+w.SQL(), w.Args()
	}
	acc := newGroups[[]float64]()
	err := p.scanRows(ctx, sqlText, args, 3, func(bucket int64, group []string, vals []sql.NullFloat64) {
		m := acc.at(group)
		v, ok := vals[0].Float64, vals[0].Valid
		if metric == RecoveryTime {
			v, ok = recovery(vals[0].Float64, vals[1], vals[2])
		}
		if ok { // a failure not yet recovered has no recovery time
			m[bucket] = append(m[bucket], v)
		}
	})
	if err != nil {
		return query.Result{}, err
	}
	if metric == RecoveryTime {
		err = p.linked(ctx, []string{"d.deployed_at", nextGoodSQL, incidentResolvedSQL}, func(bucket int64, group []string, vals []sql.NullFloat64) {
			if v, ok := recovery(vals[0].Float64, vals[1], vals[2]); ok {
				m := acc.at(group)
				m[bucket] = append(m[bucket], v)
			}
		})
		if err != nil {
			return query.Result{}, err
		}
	}
	acc.ensureUngrouped(len(p.groupCols))
	res := p.result(metric)
	res.Name += " (" + stat.Label() + ")"
	if stat == summary.Count {
		res.Unit = "short"
	}
	for i, group := range acc.keys {
		s := p.series(group)
		for j, b := range p.starts {
			if v, ok := summary.Of(acc.vals[i][b], stat); ok {
				s.Values[j] = ptr(v)
			}
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// A failed deployment d is recovered from at the first of: the next deployment of the
// same service and environment that did not fail, and the resolution of an incident
// that names d. Until either happens it has no recovery time.
const (
	nextGoodSQL = `(SELECT n.deployed_at FROM deployments n
		WHERE n.service = d.service AND n.environment = d.environment AND n.deployed_at > d.deployed_at
		AND n.status = 'success'
		AND NOT EXISTS (SELECT 1 FROM incidents ni WHERE ni.caused_by_deployment IN (n.id, n.source || ':' || n.id))
		ORDER BY n.deployed_at LIMIT 1)`
	incidentResolvedSQL = `(SELECT MIN(ri.resolved_at) FROM incidents ri
		WHERE ri.caused_by_deployment IN (d.id, d.source || ':' || d.id) AND ri.resolved_at >= d.deployed_at)`
)

// recovery returns the recovery time in seconds of a failure deployed at deployedMs.
func recovery(deployedMs float64, nextGood, resolved sql.NullFloat64) (float64, bool) {
	end, ok := nextGood.Float64, nextGood.Valid
	if resolved.Valid && (!ok || resolved.Float64 < end) {
		end, ok = resolved.Float64, true
	}
	return (end - deployedMs) / 1000, ok
}

var names = map[string]struct{ name, unit string }{
	Deployments:         {"Deployments", "short"},
	FailedDeployments:   {"Failed deployments", "short"},
	DeploymentFrequency: {"Deployment frequency (per day)", "short"},
	ChangeFailureRate:   {"Change failure rate", "percentunit"},
	LeadTime:            {"Lead time for changes", "s"},
	RecoveryTime:        {"Failed deployment recovery time", "s"},
}

func (p plan) result(metric string) query.Result {
	n := names[metric]
	return query.Result{Name: n.name, FieldName: metric, Unit: n.unit, GroupBy: p.q.GroupBy, Bucketed: p.buckets.Width > 0}
}

func (p plan) series(group []string) query.Series {
	s := query.Series{Group: group, Values: make([]*float64, len(p.starts))}
	if p.buckets.Width > 0 {
		s.Times = make([]time.Time, len(p.starts))
		for i, b := range p.starts {
			s.Times[i] = time.UnixMilli(b).UTC()
		}
	}
	return s
}

func ptr(v float64) *float64 { return &v }
