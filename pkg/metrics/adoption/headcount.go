package adoption

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// headcountRow is a team's eligible headcount from effectiveAt on.
type headcountRow struct {
	department  string
	effectiveAt int64
	headcount   float64
}

// teamHeadcounts holds every team's rows, oldest first; the table is small (a row
// per team per change), so it is read whole, filtered by team and department.
type teamHeadcounts map[string][]headcountRow

func (p plan) headcounts(ctx context.Context) (teamHeadcounts, error) {
	hd := query.Dimensions{"team": "team", "department": "department"}
	filters := map[string][]string{}
	for _, n := range []string{"team", "department"} {
		if v := p.q.Filters[n]; len(v) > 0 {
			filters[n] = v
		}
	}
	w := &query.Where{}
	if err := w.Filters(hd, filters); err != nil {
		return nil, err
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT team, department, effective_at, headcount FROM headcounts"+w.SQL()+" ORDER BY team, effective_at", w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying headcounts: %w", err)
	}
	defer rows.Close()
	out := teamHeadcounts{}
	for rows.Next() {
		var team string
		var r headcountRow
		if err := rows.Scan(&team, &r.department, &r.effectiveAt, &r.headcount); err != nil {
			return nil, fmt.Errorf("reading headcounts: %w", err)
		}
		out[team] = append(out[team], r)
	}
	return out, rows.Err()
}

// at returns the team's row in effect at instant e (the latest effective before e).
func (h teamHeadcounts) at(team string, e int64) (headcountRow, bool) {
	rs := h[team]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].effectiveAt >= e })
	if i == 0 {
		return headcountRow{}, false
	}
	return rs[i-1], true
}

// eligible is the headcount behind a group at instant e: the group's team, else the
// teams of its department, else every team; ok is false when no row is in effect.
func (h teamHeadcounts) eligible(groupBy, group []string, e int64) (float64, bool) {
	if i := slices.Index(groupBy, "team"); i >= 0 {
		r, ok := h.at(group[i], e)
		return r.headcount, ok
	}
	dept := -1
	if i := slices.Index(groupBy, "department"); i >= 0 {
		dept = i
	}
	var sum float64
	found := false
	for team := range h {
		r, ok := h.at(team, e)
		if !ok || (dept >= 0 && r.department != group[dept]) {
			continue
		}
		sum += r.headcount
		found = true
	}
	return sum, found
}

// adoptionRate is active users (over the activity window) ÷ eligible headcount at
// each instant. No headcount, or a headcount of 0, gives no value, never a division
// error. Grouped by team or department alone, groups with a headcount but no use
// show 0.
func (p plan) adoptionRate(ctx context.Context) (query.Result, error) {
	a, err := p.active(ctx, p.opts.window, p.q.GroupBy)
	if err != nil {
		return query.Result{}, err
	}
	h, err := p.headcounts(ctx)
	if err != nil {
		return query.Result{}, err
	}
	keys := append([][]string(nil), a.keys...)
	if onlyOrgDims(p.q.GroupBy) {
		seen := map[string]bool{}
		for _, g := range keys {
			seen[strings.Join(g, "\x00")] = true
		}
		for team, rs := range h {
			for _, r := range rs {
				g := orgGroup(p.q.GroupBy, team, r.department)
				if k := strings.Join(g, "\x00"); !seen[k] && p.matchesFilters(g) {
					seen[k] = true
					keys = append(keys, g)
				}
			}
		}
	}
	res := p.result(AdoptionRate, keys, func(_ int, g []string, k int) *float64 {
		n, ok := h.eligible(p.q.GroupBy, g, p.ends[k])
		if !ok || n == 0 {
			return nil
		}
		var users float64
		if c := a.group(g); c != nil {
			users = c[k]
		}
		return ptr(users / n)
	})
	res.Name = "Adoption rate (" + windowLabel(p.opts.window) + ")"
	return res, nil
}

func onlyOrgDims(groupBy []string) bool {
	if len(groupBy) == 0 {
		return false
	}
	for _, g := range groupBy {
		if g != "team" && g != "department" {
			return false
		}
	}
	return true
}

func orgGroup(groupBy []string, team, department string) []string {
	g := make([]string, len(groupBy))
	for i, d := range groupBy {
		if d == "team" {
			g[i] = team
		} else {
			g[i] = department
		}
	}
	return g
}

// matchesFilters keeps a headcount-only group within the query's team and department filters.
func (p plan) matchesFilters(group []string) bool {
	for i, d := range p.q.GroupBy {
		if v := p.q.Filters[d]; len(v) > 0 && !slices.Contains(v, group[i]) {
			return false
		}
	}
	return true
}
