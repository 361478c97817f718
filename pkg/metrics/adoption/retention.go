package adoption

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
)

var errRetentionIsTable = errors.New("retention is a table of cohorts, not a series; query it on its own")

// weeks are ISO weeks: Monday 00:00 UTC (the epoch was a Thursday).
var weeks = query.Buckets{Width: 7 * day, Offset: 4 * day}

// retention is the weekly cohort table: a row per cohort (the week of each user's
// first use, per group), its size, and per week since first use the share of the
// cohort active that week. Week 0 is 100% by construction; weeks that start at or
// after the range end have no value yet, and the range end's week is partial.
func (p plan) retention(ctx context.Context) (*data.Frame, error) {
	cs := weeks.Start(p.env.From).UnixMilli()
	to := p.env.To.UnixMilli()
	weekMs := weeks.Width.Milliseconds()
	nWeeks := int((to - cs + weekMs - 1) / weekMs)
	cols := min(p.opts.weeks, nWeeks)

	first, err := p.firstUse(ctx, cs, to)
	if err != nil {
		return nil, err
	}
	type cohort struct {
		group []string
		week  int
	}
	size := map[string]int{}
	retained := map[string][]int{}
	cohorts := map[string]cohort{}
	for _, fu := range first {
		ck := fu.groupKey + "\x01" + fmt.Sprint(fu.week)
		if _, ok := cohorts[ck]; !ok {
			cohorts[ck] = cohort{group: fu.group, week: fu.week}
			retained[ck] = make([]int, cols)
		}
		size[ck]++
	}
	err = p.weeklyActivity(ctx, cs, to, func(groupKey, user string, week int) {
		fu, ok := first[groupKey+"\x00"+user]
		if !ok {
			return
		}
		if k := week - fu.week; k >= 0 && k < cols {
			retained[groupKey+"\x01"+fmt.Sprint(fu.week)][k]++
		}
	})
	if err != nil {
		return nil, err
	}

	keys := make([]string, 0, len(cohorts))
	for k := range cohorts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := cohorts[keys[i]], cohorts[keys[j]]
		if ga, gb := strings.Join(a.group, "\x00"), strings.Join(b.group, "\x00"); ga != gb {
			return ga < gb
		}
		return a.week < b.week
	})
	groupVals := make([][]string, len(p.q.GroupBy))
	var starts []time.Time
	var sizes []int64
	cells := make([][]*float64, cols)
	for i := range cells {
		cells[i] = []*float64{}
	}
	for _, k := range keys {
		c := cohorts[k]
		for d := range p.q.GroupBy {
			groupVals[d] = append(groupVals[d], c.group[d])
		}
		starts = append(starts, time.UnixMilli(cs+int64(c.week)*weekMs).UTC())
		n := size[k]
		sizes = append(sizes, int64(n))
		for w := 0; w < cols; w++ {
			var v *float64
			if cs+int64(c.week+w)*weekMs < to {
				v = ptr(float64(retained[k][w]) / float64(n))
			}
			cells[w] = append(cells[w], v)
		}
	}
	fields := make([]*data.Field, 0, len(p.q.GroupBy)+2+cols)
	for d, name := range p.q.GroupBy {
		vals := groupVals[d]
		if vals == nil {
			vals = []string{}
		}
		fields = append(fields, data.NewField(name, nil, vals))
	}
	if starts == nil {
		starts, sizes = []time.Time{}, []int64{}
	}
	cohortField := data.NewField("cohort", nil, starts)
	cohortField.Config = &data.FieldConfig{DisplayNameFromDS: "Cohort (week of first use)"}
	sizeField := data.NewField("users", nil, sizes)
	sizeField.Config = &data.FieldConfig{DisplayNameFromDS: "Users", Unit: "short"}
	fields = append(fields, cohortField, sizeField)
	for w := 0; w < cols; w++ {
		f := data.NewField(fmt.Sprintf("week_%d", w), nil, cells[w])
		f.Config = &data.FieldConfig{DisplayNameFromDS: fmt.Sprintf("Week %d", w), Unit: "percentunit"}
		fields = append(fields, f)
	}
	frame := data.NewFrame(Retention, fields...)
	frame.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
	return frame, nil
}

// firstUseOf is a user's first week (since the first cohort) within a group.
type firstUseOf struct {
	group    []string
	groupKey string
	week     int
}

// firstUse finds, per group and user, the first use when it falls in [cs, to): users
// already active before cs (with the same filters and group) belong to no cohort here.
func (p plan) firstUse(ctx context.Context, cs, to int64) (map[string]firstUseOf, error) {
	w := &query.Where{}
	src, err := p.usesSQL(ctx, w, cs, to)
	if err != nil {
		return nil, err
	}
	// Before cs: whole days (cs is a Monday 00:00) from the rollup when it serves the query.
	table, tcol := "usage_events", "at"
	if p.rollupServes(p.q.GroupBy) {
		table, tcol = "usage_days", "day"
	}
	pd := dims("pr")
	probe, err := clauses(w, func() error {
		w.Add("pr.user_id = c.uid")
		w.Add("pr."+tcol+" < ?", cs)
		for i, name := range p.q.GroupBy {
			w.Add(fmt.Sprintf("%s = c.g%d", pd[name], i))
		}
		return w.Filters(pd, p.q.Filters)
	})
	if err != nil {
		return nil, err
	}
	gs := groupAliases("", len(p.q.GroupBy))
	cgs := groupAliases("c.", len(p.q.GroupBy))
	sqlText := "SELECT " + strings.Join(append(cgs, "c.uid", "c.first_at"), ", ") +
		" FROM (SELECT " + strings.Join(append(gs, "uid", "MIN(t) AS first_at"), ", ") + " FROM (" + src + ") s GROUP BY " +
		strings.Join(append(gs, "uid"), ", ") + ") c WHERE NOT EXISTS (SELECT 1 FROM " + table + " pr" + probe + ")"
	rows, err := p.env.Store.QueryContext(ctx, sqlText, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying first uses: %w", err)
	}
	defer rows.Close()
	out := map[string]firstUseOf{}
	group := make([]string, len(gs))
	var user string
	var firstAt int64
	dest := make([]any, 0, len(gs)+2)
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &user, &firstAt)
	weekMs := weeks.Width.Milliseconds()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading first uses: %w", err)
		}
		g := append([]string(nil), group...)
		gk := strings.Join(g, "\x00")
		out[gk+"\x00"+user] = firstUseOf{group: g, groupKey: gk, week: int((firstAt - cs) / weekMs)}
	}
	return out, rows.Err()
}

// weeklyActivity calls fn once per group, user and week (since the first cohort) with a use.
func (p plan) weeklyActivity(ctx context.Context, cs, to int64, fn func(groupKey, user string, week int)) error {
	w := &query.Where{}
	src, err := p.usesSQL(ctx, w, cs, to)
	if err != nil {
		return err
	}
	// cs and the week are integers computed here, never text from the request.
	keys := append(groupAliases("", len(p.q.GroupBy)), "uid", fmt.Sprintf("(t - %d) / %d", cs, weeks.Width.Milliseconds()))
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+strings.Join(keys, ", ")+" FROM ("+src+") s GROUP BY "+strings.Join(keys, ", "), w.Args()...)
	if err != nil {
		return fmt.Errorf("querying weekly activity: %w", err)
	}
	defer rows.Close()
	group := make([]string, len(p.q.GroupBy))
	var user string
	var wk int64
	dest := make([]any, 0, len(group)+2)
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &user, &wk)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading weekly activity: %w", err)
		}
		fn(strings.Join(group, "\x00"), user, int(wk))
	}
	return rows.Err()
}
