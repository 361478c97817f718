package model

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// sqlArgs numbers parameters $1, $2... as they are added; values never enter SQL text.
type sqlArgs struct{ list []any }

func (a *sqlArgs) p(v any) string {
	a.list = append(a.list, v)
	return "$" + strconv.Itoa(len(a.list))
}

// in returns "IN ($n, ...)" for a non-empty list of values.
func (a *sqlArgs) in(values []string) string {
	marks := make([]string, len(values))
	for i, v := range values {
		marks[i] = a.p(v)
	}
	return "IN (" + strings.Join(marks, ", ") + ")"
}

// window is where a distribution is read: observations observed in [from, to) (Unix
// ms), or a stored snapshot.
type window struct {
	from, to int64
	snapshot string
}

func (w window) String() string {
	if w.snapshot != "" {
		return "snapshot " + strconv.Quote(w.snapshot)
	}
	return fmtMs(w.from) + " – " + fmtMs(w.to)
}

func fmtMs(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

// source reads one model's observations and snapshots.
type source struct {
	st    store.Querier
	model string
	// versions narrows observations to model versions (filters.model_version); a
	// snapshot was narrowed when it was taken.
	versions []string
}

// largeWindow is the share of a feature's time extent from which a sorted read walks
// the value index (no sort, but every entry of the feature) instead of sorting the
// window's range of the time index. See the migration's measurements.
const largeWindow = 0.25

// obsWhere is the WHERE clause of one feature's observations of a kind in [from, to).
// Without disabling it (timeTerm "+observed_at") the time range picks the time index.
func (s source) obsWhere(a *sqlArgs, feature, kind string, from, to int64, timeTerm string) string {
	var b strings.Builder
	b.WriteString(" WHERE model = " + a.p(s.model) + " AND feature = " + a.p(feature))
	switch kind {
	case Numeric:
		b.WriteString(" AND value IS NOT NULL")
	case Categorical:
		b.WriteString(" AND value IS NULL")
	}
	b.WriteString(" AND " + timeTerm + " >= " + a.p(from) + " AND " + timeTerm + " < " + a.p(to))
	if len(s.versions) > 0 {
		b.WriteString(" AND model_version " + a.in(s.versions))
	}
	return b.String()
}

// featureKind says whether a feature holds numbers or categories ("" when it has no
// observations). Two index seeks, whatever the number of observations.
func (s source) featureKind(ctx context.Context, feature string) (string, error) {
	var hasNum, hasCat int
	err := s.st.QueryRowContext(ctx, `SELECT
		CASE WHEN EXISTS (SELECT 1 FROM model_observations WHERE model = $1 AND feature = $2 AND value IS NOT NULL) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM model_observations WHERE model = $1 AND feature = $2 AND value IS NULL) THEN 1 ELSE 0 END`,
		s.model, feature).Scan(&hasNum, &hasCat)
	if err != nil {
		return "", fmt.Errorf("reading feature %s of model %s: %w", feature, s.model, err)
	}
	switch {
	case hasNum == 1 && hasCat == 1:
		return "", fmt.Errorf("feature %s of model %s has both numbers (value) and categories: drift compares one kind; send it under two feature names", feature, s.model)
	case hasNum == 1:
		return Numeric, nil
	case hasCat == 1:
		return Categorical, nil
	}
	return "", nil
}

// Loose index scans: one seek per distinct value instead of a scan of every row.
const (
	modelsSQL = `WITH RECURSIVE d(v) AS (
		SELECT MIN(model) FROM model_observations
		UNION ALL
		SELECT (SELECT MIN(model) FROM model_observations WHERE model > d.v) FROM d WHERE d.v IS NOT NULL
	) SELECT v FROM d WHERE v IS NOT NULL`
	featuresSQL = `WITH RECURSIVE d(v) AS (
		SELECT MIN(feature) FROM model_observations WHERE model = $1
		UNION ALL
		SELECT (SELECT MIN(feature) FROM model_observations WHERE model = $1 AND feature > d.v) FROM d WHERE d.v IS NOT NULL
	) SELECT v FROM d WHERE v IS NOT NULL`
)

// distinct lists the models, or one model's features, sorted.
func distinct(ctx context.Context, q store.Querier, model string) ([]string, error) {
	what, sqlText, args := "models", modelsSQL, []any{}
	if model != "" {
		what, sqlText, args = "features of model "+model, featuresSQL, []any{model}
	}
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", what, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// hasData says whether a feature has an observation in [from, to): one index seek.
func (s source) hasData(ctx context.Context, feature string, from, to int64) (bool, error) {
	a := &sqlArgs{}
	var n int
	err := s.st.QueryRowContext(ctx, "SELECT CASE WHEN EXISTS (SELECT 1 FROM model_observations"+
		s.obsWhere(a, feature, "", from, to, "observed_at")+") THEN 1 ELSE 0 END", a.list...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading feature %s of model %s: %w", feature, s.model, err)
	}
	return n == 1, nil
}

// count is the number of a feature's observations of a kind in a window.
func (s source) count(ctx context.Context, feature, kind string, w window) (int64, error) {
	var n sql.NullInt64
	var err error
	if w.snapshot != "" {
		err = s.st.QueryRowContext(ctx, `SELECT n FROM model_snapshot_features WHERE model = $1 AND snapshot = $2 AND feature = $3 AND kind = $4`,
			s.model, w.snapshot, feature, kind).Scan(&n)
		if err == sql.ErrNoRows {
			return 0, nil
		}
	} else {
		a := &sqlArgs{}
		err = s.st.QueryRowContext(ctx, "SELECT COUNT(*) FROM model_observations"+s.obsWhere(a, feature, kind, w.from, w.to, "observed_at"), a.list...).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("counting %s of model %s in %s: %w", feature, s.model, w, err)
	}
	return n.Int64, nil
}

// sorted streams a numeric feature's values in a window in ascending order.
func (s source) sorted(ctx context.Context, feature string, w window) (*rowStream, error) {
	sqlText, args, withCount, err := s.sortedQuery(ctx, feature, w)
	if err != nil {
		return nil, err
	}
	return openStream(ctx, s.st, sqlText, args, withCount)
}

// sortedQuery is the SQL of sorted. A window covering much of the feature's time
// extent walks the value index (no sort); a narrow one sorts its range of the time
// index, so a day's bucket never reads a year.
func (s source) sortedQuery(ctx context.Context, feature string, w window) (string, []any, bool, error) {
	if w.snapshot != "" {
		return `SELECT value, n FROM model_snapshot_values WHERE model = $1 AND snapshot = $2 AND feature = $3 ORDER BY value`,
			[]any{s.model, w.snapshot, feature}, true, nil
	}
	timeTerm := "observed_at"
	large, err := s.coversMuch(ctx, feature, w)
	if err != nil {
		return "", nil, false, err
	}
	if large {
		timeTerm = "+observed_at" // not an index term: the value index then serves ORDER BY
	}
	a := &sqlArgs{}
	return "SELECT value FROM model_observations" + s.obsWhere(a, feature, Numeric, w.from, w.to, timeTerm) + " ORDER BY value", a.list, false, nil
}

// coversMuch estimates, from the feature's first and last observation times (two
// index seeks), whether the window holds at least largeWindow of its observations.
func (s source) coversMuch(ctx context.Context, feature string, w window) (bool, error) {
	var lo, hi sql.NullInt64
	err := s.st.QueryRowContext(ctx, `SELECT MIN(observed_at), MAX(observed_at) FROM model_observations WHERE model = $1 AND feature = $2`,
		s.model, feature).Scan(&lo, &hi)
	if err != nil {
		return false, fmt.Errorf("reading the time extent of %s of model %s: %w", feature, s.model, err)
	}
	if !lo.Valid {
		return false, nil
	}
	extent := float64(hi.Int64-lo.Int64) + 1
	overlap := float64(min(w.to, hi.Int64+1) - max(w.from, lo.Int64))
	return overlap/extent >= largeWindow, nil
}

// scan reads a feature's observations in [from, to) in time order from the covering
// time index, handing each to fn: (time, value) for numeric features, (time, category)
// for categorical ones. It holds one row at a time.
func (s source) scan(ctx context.Context, feature, kind string, from, to int64, fn func(at int64, v float64, cat string) error) error {
	col := "value"
	if kind == Categorical {
		col = "category"
	}
	a := &sqlArgs{}
	rows, err := s.st.QueryContext(ctx, "SELECT observed_at, "+col+" FROM model_observations"+s.obsWhere(a, feature, kind, from, to, "observed_at"), a.list...)
	if err != nil {
		return fmt.Errorf("reading %s of model %s: %w", feature, s.model, err)
	}
	defer rows.Close()
	var at int64
	var v float64
	var c string
	for rows.Next() {
		if kind == Categorical {
			err = rows.Scan(&at, &c)
		} else {
			err = rows.Scan(&at, &v)
		}
		if err != nil {
			return fmt.Errorf("reading %s of model %s: %w", feature, s.model, err)
		}
		if err := fn(at, v, c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading %s of model %s: %w", feature, s.model, err)
	}
	return nil
}

// snapshotCategories returns a snapshot's category counts of a feature.
func (s source) snapshotCategories(ctx context.Context, feature, snapshot string) (map[string]int64, error) {
	rows, err := s.st.QueryContext(ctx, `SELECT category, n FROM model_snapshot_categories WHERE model = $1 AND snapshot = $2 AND feature = $3`,
		s.model, snapshot, feature)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot %q of model %s: %w", snapshot, s.model, err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var c string
		var n int64
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("reading snapshot %q of model %s: %w", snapshot, s.model, err)
		}
		out[c] = n
	}
	return out, rows.Err()
}

// snapshotBins returns the quantile cuts and bin counts a snapshot stored for a
// feature and a number of bins; ok is false when it stored none for that number.
func (s source) snapshotBins(ctx context.Context, feature, snapshot string, bins int) (cuts []float64, counts []int64, ok bool, err error) {
	rows, err := s.st.QueryContext(ctx, `SELECT upper_edge, n FROM model_snapshot_bins
		WHERE model = $1 AND snapshot = $2 AND feature = $3 AND bins = $4 ORDER BY k`, s.model, snapshot, feature, bins)
	if err != nil {
		return nil, nil, false, fmt.Errorf("reading snapshot %q of model %s: %w", snapshot, s.model, err)
	}
	defer rows.Close()
	for rows.Next() {
		var edge sql.NullFloat64
		var n int64
		if err := rows.Scan(&edge, &n); err != nil {
			return nil, nil, false, fmt.Errorf("reading snapshot %q of model %s: %w", snapshot, s.model, err)
		}
		if edge.Valid {
			cuts = append(cuts, edge.Float64)
		}
		counts = append(counts, n)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, fmt.Errorf("reading snapshot %q of model %s: %w", snapshot, s.model, err)
	}
	return cuts, counts, len(counts) > 0, nil
}
