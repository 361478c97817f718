package adoption

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
)

// Active-user metrics are evaluated at instants: each bucket's end, or the range end
// when unbucketed. The value at instant e counts the distinct users with a use in
// [e − W, e), a window of W (1d DAU, 7d WAU, 30d MAU). Only uses before the range end
// count, so the current bucket shows its activity so far.
//
// Rather than one COUNT(DISTINCT) per instant, one query returns each user's distinct
// "slots" (intervals of g = gcd(W, bucket width), so every window starts and ends on
// a slot boundary), and each user's slots mark the instants whose window holds one.

// activity is the distinct active users per group at each instant.
type activity struct {
	keys   [][]string
	counts [][]float64 // per group, per instant
	index  map[string]int
}

func (a *activity) group(g []string) []float64 {
	if i, ok := a.index[strings.Join(g, "\x00")]; ok {
		return a.counts[i]
	}
	return nil
}

// active counts distinct users with a use in the window before each instant, per
// group of the named dimensions.
func (p plan) active(ctx context.Context, window time.Duration, groupBy []string) (*activity, error) {
	ends := p.ends
	k := len(ends)
	wMs := window.Milliseconds()
	g := wMs
	if p.buckets.Width > 0 {
		g = gcd(wMs, p.buckets.Width.Milliseconds())
	}
	origin := ends[0] - wMs
	w := wMs / g
	r := w // unbucketed: one instant, any step
	if p.buckets.Width > 0 {
		r = p.buckets.Width.Milliseconds() / g
	}
	upper := min(ends[k-1], p.env.To.UnixMilli())

	sqlText, args, err := p.activitySQL(ctx, groupBy, origin, g, upper)
	if err != nil {
		return nil, err
	}
	groupCols := groupBy
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("querying usage events: %w", err)
	}
	defer rows.Close()

	// Rows come unordered (sorting them in SQL costs more than in Go): gather each
	// group's users' slots, then walk each user's sorted slots.
	a := &activity{index: map[string]int{}}
	var users []map[string][]int64 // per group: user -> slots
	group := make([]string, len(groupCols))
	var user string
	var s int64
	dest := make([]any, 0, len(groupCols)+2)
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &user, &s)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading usage events: %w", err)
		}
		key := strings.Join(group, "\x00")
		i, ok := a.index[key]
		if !ok {
			i = len(a.keys)
			a.index[key] = i
			a.keys = append(a.keys, append([]string(nil), group...))
			users = append(users, map[string][]int64{})
		}
		users[i][user] = append(users[i][user], s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading usage events: %w", err)
	}
	diffs := make([][]int, len(users))
	for i, byUser := range users {
		diffs[i] = make([]int, k+1)
		for _, slots := range byUser {
			markInstants(diffs[i], slots, w, r, int64(k))
		}
	}
	if len(groupBy) == 0 && len(a.keys) == 0 {
		a.index[""] = 0
		a.keys = append(a.keys, []string{})
		diffs = append(diffs, make([]int, k+1))
	}
	a.counts = make([][]float64, len(diffs))
	for i, df := range diffs {
		out := make([]float64, k)
		running := 0
		for j := 0; j < k; j++ {
			running += df[j]
			out[j] = float64(running)
		}
		a.counts[i] = out
	}
	return a, nil
}

// markInstants adds one user to the instants whose window [k·r, k·r + w) holds one of
// the user's slots (a difference array, so a run of instants costs two writes).
func markInstants(diff []int, slots []int64, w, r, k int64) {
	slices.Sort(slots)
	lo, hi := int64(0), int64(-1) // the merged run of instants so far
	for _, s := range slots {
		kLo, kHi := max(query.CeilDiv(s-w+1, r), 0), min(query.FloorDiv(s, r), k-1)
		if kLo > kHi {
			continue
		}
		if hi >= lo && kLo <= hi+1 {
			hi = max(hi, kHi)
			continue
		}
		if hi >= lo {
			diff[lo]++
			diff[hi+1]--
		}
		lo, hi = kLo, kHi
	}
	if hi >= lo {
		diff[lo]++
		diff[hi+1]--
	}
}

// activitySQL selects users' slots (group columns, user, slot) over [origin, upper),
// in no order and possibly repeated. Whole UTC days come from the usage_days rollup when the
// slots are whole days (or there is one slot) and no feature is asked for; the
// ragged ends, and everything else, come from the events.
func (p plan) activitySQL(ctx context.Context, groupBy []string, origin, g, upper int64) (string, []any, error) {
	day := ingest.UsageDay
	rollup := p.rollupServes(groupBy) && ((g%day == 0 && origin%day == 0) || p.buckets.Width == 0)
	dStart, dEnd := query.CeilDiv(origin, day)*day, query.FloorDiv(upper, day)*day
	if !rollup || dEnd <= dStart {
		dStart, dEnd = upper, upper // no whole day from the rollup
	}
	if dEnd > dStart {
		if err := ingest.CatchUpUsageDays(ctx, p.env.Store); err != nil {
			return "", nil, err
		}
	}
	u, r := dims("u"), dims("r")
	uCols, err := u.Columns(groupBy)
	if err != nil {
		return "", nil, err
	}
	rCols, _ := r.Columns(groupBy)
	sel := func(cols []string, user, slot string) string {
		out := make([]string, 0, len(cols)+2)
		for i, c := range cols {
			out = append(out, fmt.Sprintf("%s AS g%d", c, i))
		}
		return strings.Join(append(out, user+" AS uid", slot+" AS slot"), ", ")
	}
	// origin and g are integers computed here, never text from the request.
	w := &query.Where{}
	w.Add("((u.at >= ? AND u.at < ?) OR (u.at >= ? AND u.at < ?))", origin, dStart, max(dEnd, dStart), upper)
	if err := w.Filters(u, p.q.Filters); err != nil {
		return "", nil, err
	}
	slot := fmt.Sprintf("(u.at - %d) / %d", origin, g)
	// Events are many: distinct (group, user, slot) in SQL. Rollup days are few already.
	events := "SELECT " + sel(uCols, "u.user_id", slot) + " FROM usage_events u" + w.SQL() +
		" GROUP BY " + strings.Join(append(append(append([]string(nil), uCols...), "u.user_id"), slot), ", ")
	if dEnd > dStart {
		eventsWhere := w.SQL()
		w.Add("r.day >= ?", dStart)
		w.Add("r.day < ?", dEnd)
		if err := w.Filters(r, p.q.Filters); err != nil {
			return "", nil, err
		}
		days := "SELECT " + sel(rCols, "r.user_id", fmt.Sprintf("(r.day - %d) / %d", origin, g)) + " FROM usage_days r WHERE " +
			strings.TrimPrefix(w.SQL()[len(eventsWhere):], " AND ")
		events += " UNION ALL " + days
	}
	return events, w.Args(), nil
}

// rollupServes says whether usage_days can answer a query grouped this way: it has
// every dimension but feature.
func (p plan) rollupServes(groupBy []string) bool {
	return !slices.Contains(groupBy, "feature") && len(p.q.Filters["feature"]) == 0
}

// usesSQL returns a subquery of uses in [from, to) as (g0..., uid, t): whole days from
// usage_days (t the day's start) when the rollup serves the query and from is a day
// start, and the rest from the events (t the use's time). Its placeholders go into w,
// which numbers those of the whole statement.
func (p plan) usesSQL(ctx context.Context, w *query.Where, from, to int64) (string, error) {
	u, r := dims("u"), dims("r")
	uCols, err := u.Columns(p.q.GroupBy)
	if err != nil {
		return "", err
	}
	rCols, _ := r.Columns(p.q.GroupBy)
	sel := func(cols []string, user, t string) string {
		out := make([]string, 0, len(cols)+2)
		for i, c := range cols {
			out = append(out, fmt.Sprintf("%s AS g%d", c, i))
		}
		return strings.Join(append(out, user+" AS uid", t+" AS t"), ", ")
	}
	day := ingest.UsageDay
	dEnd := from
	if p.rollupServes(p.q.GroupBy) {
		if err := ingest.CatchUpUsageDays(ctx, p.env.Store); err != nil {
			return "", err
		}
		if from%day == 0 {
			dEnd = max(from, query.FloorDiv(to, day)*day)
		}
	}
	var parts []string
	if dEnd > from {
		where, err := clauses(w, func() error {
			w.Add("r.day >= ?", from)
			w.Add("r.day < ?", dEnd)
			return w.Filters(r, p.q.Filters)
		})
		if err != nil {
			return "", err
		}
		parts = append(parts, "SELECT "+sel(rCols, "r.user_id", "r.day")+" FROM usage_days r"+where)
	}
	where, err := clauses(w, func() error {
		w.Add("u.at >= ?", dEnd)
		w.Add("u.at < ?", to)
		return w.Filters(u, p.q.Filters)
	})
	if err != nil {
		return "", err
	}
	parts = append(parts, "SELECT "+sel(uCols, "u.user_id", "u.at")+" FROM usage_events u"+where)
	return strings.Join(parts, " UNION ALL "), nil
}

// clauses runs add on w and returns the conditions it added as their own " WHERE ..."
// text: one Where numbers the placeholders of every part of a statement.
func clauses(w *query.Where, add func() error) (string, error) {
	before := w.SQL()
	if err := add(); err != nil {
		return "", err
	}
	part := strings.TrimPrefix(strings.TrimPrefix(w.SQL()[len(before):], " WHERE "), " AND ")
	return " WHERE " + part, nil
}

// groupAliases names the group columns of a uses subquery: g0, g1... with a prefix.
func groupAliases(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%sg%d", prefix, i)
	}
	return out
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
