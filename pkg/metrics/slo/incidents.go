package slo

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// incidentCumulative counts, for an availability SLO, the seconds elapsed and
// the seconds of downtime before each instant, from the first instant: total is
// time elapsed (up to now: the future has not happened), bad is time inside at
// least one of the service's incidents (overlapping incidents count once), and
// an incident still open is down until now.
func (r reader) incidentCumulative(ctx context.Context, d *Definition, xs []int64) ([]Counts, error) {
	lo := xs[0]
	hi := min(xs[len(xs)-1], r.now)
	out := make([]Counts, len(xs))
	if hi <= lo {
		return out, nil
	}
	end := "resolved_at"
	if d.Incidents != nil && d.Incidents.End == "mitigated" {
		end = "COALESCE(mitigated_at, resolved_at)"
	}
	var a sqlArgs
	where := []string{
		"service = " + a.p(d.Service),
		"started_at < " + a.p(hi),
		fmt.Sprintf("(%s IS NULL OR %s > %s)", end, end, a.p(lo)),
	}
	if d.Incidents != nil && len(d.Incidents.Severities) > 0 {
		marks := make([]string, len(d.Incidents.Severities))
		for i, s := range d.Incidents.Severities {
			marks[i] = a.p(s)
		}
		where = append(where, "severity IN ("+strings.Join(marks, ", ")+")")
	}
	rows, err := r.st.QueryContext(ctx, "SELECT started_at, "+end+" FROM incidents WHERE "+strings.Join(where, " AND "), a.args...)
	if err != nil {
		return nil, fmt.Errorf("reading incidents of %q for SLO %q: %w", d.Service, d.ID, err)
	}
	defer rows.Close()
	var down [][2]int64
	for rows.Next() {
		var start int64
		var stop *int64
		if err := rows.Scan(&start, &stop); err != nil {
			return nil, fmt.Errorf("reading incidents for SLO %q: %w", d.ID, err)
		}
		e := hi
		if stop != nil && *stop < hi {
			e = *stop
		}
		s := max(start, lo)
		if s < e {
			down = append(down, [2]int64{s, e})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading incidents for SLO %q: %w", d.ID, err)
	}
	var merged [][2]int64
	if len(down) > 0 {
		merged = mergeSpans(down)
	}
	// before[k]: downtime (ms) in the merged spans before span k.
	before := make([]int64, len(merged)+1)
	for k, s := range merged {
		before[k+1] = before[k] + s[1] - s[0]
	}
	downBefore := func(t int64) int64 {
		k := sort.Search(len(merged), func(k int) bool { return merged[k][1] > t })
		dt := before[k]
		if k < len(merged) && merged[k][0] < t {
			dt += t - merged[k][0]
		}
		return dt
	}
	for i, x := range xs {
		t := min(max(x, lo), hi)
		total := float64(t-lo) / 1000
		bad := float64(downBefore(t)) / 1000
		out[i] = Counts{Good: total - bad, Total: total}
	}
	return out, nil
}
