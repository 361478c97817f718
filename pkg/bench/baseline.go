package bench

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
)

// family is a query family's plain-SQL baseline: the rows its metrics read, aggregated
// per bucket by the database alone (no rollups, no Go-side statistics).
type family struct {
	table, timeCol, agg string
}

var families = map[string]family{
	models.QueryTypeIncidents:   {"incidents", "started_at", "COUNT(*), AVG(CAST(resolved_at - started_at AS DOUBLE PRECISION))"},
	models.QueryTypeKaizen:      {"incidents", "started_at", "COUNT(*), AVG(CAST(resolved_at - started_at AS DOUBLE PRECISION))"},
	models.QueryTypeDelivery:    {"deployments", "deployed_at", "COUNT(*), AVG(CAST(deployed_at - commit_at AS DOUBLE PRECISION))"},
	models.QueryTypeAnnotations: {"deployments", "deployed_at", "COUNT(*), MAX(deployed_at)"},
	models.QueryTypeAdoption:    {"usage_events", "at", "COUNT(*), COUNT(DISTINCT user_id)"},
	models.QueryTypeKPI:         {"kpi_samples", "at", "COUNT(*), AVG(value)"},
	models.QueryTypeSLO:         {"sli_samples", "at", "SUM(good), SUM(total)"},
	models.QueryTypeFlow:        {"work_items", "created_at", "COUNT(*), AVG(CAST(done_at - created_at AS DOUBLE PRECISION))"},
	models.QueryTypeModel:       {"model_observations", "observed_at", "COUNT(*), AVG(value)"},
	models.QueryTypeAlerts:      {"alert_events", "received_at", "COUNT(*), COUNT(DISTINCT fingerprint)"},
	models.QueryTypePostmortems: {"postmortems", "created_at", "COUNT(*), MAX(published_at)"},
}

// Baseline is a query's plain SQL and the query counting the rows it aggregates.
type Baseline struct {
	SQL, CountSQL string
	Args          []any
}

// baselineSource is the query whose rows a baseline aggregates: an spc or backtest
// query's source, or the query itself; alert detection metrics read incidents.
func baselineSource(q models.Query) models.Query {
	switch {
	case q.QueryType == models.QueryTypeSPC && q.SPC != nil && q.SPC.Source != nil:
		return baselineSource(*q.SPC.Source)
	case q.QueryType == models.QueryTypeBacktest && q.Improvement != nil && q.Improvement.Source != nil:
		return baselineSource(*q.Improvement.Source)
	case q.QueryType == models.QueryTypeAlerts && strings.HasPrefix(q.Metric, "detection"):
		q.QueryType = models.QueryTypeIncidents
	}
	return q
}

// BaselineFor builds the plain SQL aggregate of the rows a query reads: its family's
// table in the time range, with the query's filters and group-by on columns the table
// has, bucketed like the query (fixed buckets as given; auto as range/maxDataPoints).
func BaselineFor(ctx context.Context, st store.Querier, q models.Query, from, to time.Time, maxDataPoints int64) (Baseline, error) {
	q = baselineSource(q)
	f, ok := families[q.QueryType]
	if !ok {
		return Baseline{}, fmt.Errorf("no baseline for query type %q", q.QueryType)
	}
	cols, err := columns(ctx, st, f.table)
	if err != nil {
		return Baseline{}, err
	}
	args := []any{from.UnixMilli(), to.UnixMilli()}
	where := []string{fmt.Sprintf("%s >= $1 AND %s < $2", f.timeCol, f.timeCol)}
	dims := make([]string, 0, len(q.Filters))
	for d := range q.Filters {
		dims = append(dims, d)
	}
	slices.Sort(dims)
	for _, d := range dims {
		vals := q.Filters[d]
		if !slices.Contains(cols, d) || len(vals) == 0 {
			continue
		}
		marks := make([]string, len(vals))
		for i, v := range vals {
			args = append(args, v)
			marks[i] = fmt.Sprintf("$%d", len(args))
		}
		where = append(where, fmt.Sprintf("%s IN (%s)", d, strings.Join(marks, ", ")))
	}
	var group []string
	if w := bucketMs(q.Bucket, from, to, maxDataPoints); w > 0 {
		group = append(group, fmt.Sprintf("(%s / %d) * %d", f.timeCol, w, w))
	}
	for _, g := range q.GroupBy {
		if slices.Contains(cols, g) {
			group = append(group, g)
		}
	}
	sel := f.agg
	if len(group) > 0 {
		sel = strings.Join(group, ", ") + ", " + f.agg
	}
	b := Baseline{
		SQL:      fmt.Sprintf("SELECT %s FROM %s WHERE %s", sel, f.table, strings.Join(where, " AND ")),
		CountSQL: fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", f.table, strings.Join(where, " AND ")),
		Args:     args,
	}
	if len(group) > 0 {
		ns := make([]string, len(group))
		for i := range group {
			ns[i] = fmt.Sprint(i + 1)
		}
		b.SQL += " GROUP BY " + strings.Join(ns, ", ")
	}
	return b, nil
}

// bucketMs is the baseline's bucket width: 0 for one value over the range.
func bucketMs(bucket string, from, to time.Time, maxDataPoints int64) int64 {
	switch bucket {
	case "", "none":
		return 0
	case "auto":
		if maxDataPoints <= 0 {
			maxDataPoints = 1000
		}
		w := to.Sub(from).Milliseconds() / maxDataPoints
		if w < 60_000 {
			w = 60_000
		}
		return w
	}
	n := strings.TrimRight(bucket, "smhdw")
	unit := strings.TrimPrefix(bucket, n)
	var k int64
	if _, err := fmt.Sscan(n, &k); err != nil || k <= 0 {
		return 0
	}
	per := map[string]int64{"s": 1e3, "m": 60e3, "h": 3600e3, "d": 86400e3, "w": 7 * 86400e3}[unit]
	return k * per
}

func columns(ctx context.Context, st store.Querier, table string) ([]string, error) {
	rows, err := st.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	return rows.Columns()
}
