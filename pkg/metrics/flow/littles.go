package flow

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
)

const msPerDay = 24 * 60 * 60 * 1000

// littlesLaw checks L = λW over the range for started work (first active stay to done):
// the time-average number of items in progress against throughput × mean cycle time of
// the items completed in the range. In a stable system (arrivals ≈ departures, no items
// left aging) the deviation is near 0; a large one says WIP is piling up or draining.
func (p plan) littlesLaw(ctx context.Context) (data.Frames, error) {
	from, to := p.env.From.UnixMilli(), p.env.To.UnixMilli()
	span := float64(to - from)

	// Time in progress inside the range, per item: [max(first_active, from), min(done, to)).
	w := &query.Where{}
	w.Add("+first_active_at < ?", to)
	_ = w.Filters(p.dims, p.q.Filters)
	// The bounds are integers computed here (as query.Buckets.SQL does), never input text.
	overlap := fmt.Sprintf("(CASE WHEN done_at IS NULL OR done_at > %d THEN %d ELSE done_at END) - (CASE WHEN first_active_at < %d THEN %d ELSE first_active_at END) AS ms", to, to, from, from)
	inner := openOrEndingAfter("flow_items", p.groupCols()+overlap, w, "done_at", from+1) // done_at > from
	inProgress := map[string]float64{}
	groups := map[string][]string{}
	if err := p.scanGroups(ctx, "SELECT "+p.groupCols()+"SUM(ms) FROM ("+inner+") AS u"+p.groupOnly(), w.Args(), func(key string, g []string, v []sql.NullFloat64) {
		groups[key] = g
		inProgress[key] = v[0].Float64
	}, 1); err != nil {
		return nil, fmt.Errorf("Little's law WIP: %w", err)
	}

	w = p.where("done_at", "first_active_at IS NOT NULL")
	done := map[string][2]float64{}
	if err := p.scanGroups(ctx, "SELECT "+p.groupCols()+"COUNT(*), AVG((done_at - first_active_at) / 1000.0) FROM flow_items"+w.SQL()+p.groupOnly(), w.Args(), func(key string, g []string, v []sql.NullFloat64) {
		groups[key] = g
		done[key] = [2]float64{v[0].Float64, v[1].Float64}
	}, 2); err != nil {
		return nil, fmt.Errorf("Little's law throughput: %w", err)
	}
	if len(p.cols) == 0 {
		groups[""] = []string{}
	}

	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dims := make([][]string, len(p.groupBy))
	var avgWIP, perDay, cycle, predicted, deviation []*float64
	for _, k := range keys {
		for i := range p.groupBy {
			dims[i] = append(dims[i], groups[k][i])
		}
		l := inProgress[k] / span
		avgWIP = append(avgWIP, fp(l))
		d := done[k]
		if d[0] == 0 {
			perDay, cycle, predicted, deviation = append(perDay, fp(0)), append(cycle, nil), append(predicted, nil), append(deviation, nil)
			continue
		}
		lambda := d[0] / (span / 1000) // items per second
		lw := lambda * d[1]
		perDay = append(perDay, fp(d[0]/(span/msPerDay)))
		cycle = append(cycle, fp(d[1]))
		predicted = append(predicted, fp(lw))
		if lw > 0 {
			deviation = append(deviation, fp(l/lw-1))
		} else {
			deviation = append(deviation, nil)
		}
	}
	fields := make([]*data.Field, 0, len(p.groupBy)+5)
	for i, name := range p.groupBy {
		fields = append(fields, data.NewField(name, nil, nonNil(dims[i])))
	}
	fields = append(fields,
		withConfig(data.NewField("avg_wip", nil, nonNil(avgWIP)), "Average WIP (L)", "short"),
		withConfig(data.NewField("throughput", nil, nonNil(perDay)), "Throughput per day (λ)", "short"),
		withConfig(data.NewField("cycle_time_mean", nil, nonNil(cycle)), "Mean cycle time (W)", "s"),
		withConfig(data.NewField("littles_wip", nil, nonNil(predicted)), "λ × W", "short"),
		withConfig(data.NewField("deviation", nil, nonNil(deviation)), "L vs λW", "percentunit"),
	)
	f := data.NewFrame("littles_law", fields...)
	f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
	return data.Frames{f}, nil
}

func (p plan) groupCols() string {
	if len(p.cols) == 0 {
		return ""
	}
	return strings.Join(p.cols, ", ") + ", "
}

func (p plan) groupOnly() string {
	if len(p.cols) == 0 {
		return ""
	}
	return " GROUP BY " + strings.Join(p.cols, ", ")
}

// scanGroups reads rows of (group columns..., n values).
func (p plan) scanGroups(ctx context.Context, sqlText string, args []any, fn func(key string, g []string, v []sql.NullFloat64), n int) error {
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	group := make([]string, len(p.cols))
	vals := make([]sql.NullFloat64, n)
	dest := make([]any, 0, len(group)+n)
	for i := range group {
		dest = append(dest, &group[i])
	}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn(strings.Join(group, "\x00"), append([]string(nil), group...), append([]sql.NullFloat64(nil), vals...))
	}
	return rows.Err()
}
