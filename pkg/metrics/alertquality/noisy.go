package alertquality

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/stats/summary"
)

// noisyRow is one alert name (and group) of the noisy table.
type noisyRow struct {
	group                                              []string
	alerts, notifications, flapping, short, actionable int64
	durations                                          []float64
}

// noisy is the table of the alert names with the most alerts in the range:
// alerts, notifications, flapping, short-lived and actionable alerts, the
// actionable ratio and the median time resolved alerts fired. Grouped by
// alertname, then any other group-by dimension.
func (p *plan) noisy(ctx context.Context) (*data.Frame, error) {
	eps, err := p.episodes(ctx)
	if err != nil {
		return nil, err
	}
	groupBy := append([]string{"alertname"}, slices.DeleteFunc(slices.Clone(p.q.GroupBy), func(g string) bool { return g == "alertname" })...)
	rows := map[string]*noisyRow{}
	for _, e := range eps {
		if !e.inRange {
			continue
		}
		g := e.group(groupBy)
		key := strings.Join(g, "\x00")
		r, ok := rows[key]
		if !ok {
			r = &noisyRow{group: g}
			rows[key] = r
		}
		r.alerts++
		r.notifications += int64(e.notifications)
		r.flapping += int64(b2f(e.flapping))
		r.short += int64(b2f(e.shortLived))
		r.actionable += int64(b2f(e.actionable))
		if e.resolved() {
			r.durations = append(r.durations, e.duration())
		}
	}
	list := make([]*noisyRow, 0, len(rows))
	for _, r := range rows {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.alerts != b.alerts {
			return a.alerts > b.alerts
		}
		if a.notifications != b.notifications {
			return a.notifications > b.notifications
		}
		return strings.Join(a.group, "\x00") < strings.Join(b.group, "\x00")
	})
	if len(list) > p.opts.top {
		list = list[:p.opts.top]
	}
	return noisyFrame(groupBy, list), nil
}

func noisyFrame(groupBy []string, list []*noisyRow) *data.Frame {
	var fields []*data.Field
	for d, name := range groupBy {
		col := make([]string, len(list))
		for i, r := range list {
			col[i] = r.group[d]
		}
		fields = append(fields, data.NewField(name, nil, col))
	}
	counts := func(name, display string, get func(r *noisyRow) int64) *data.Field {
		col := make([]int64, len(list))
		for i, r := range list {
			col[i] = get(r)
		}
		f := data.NewField(name, nil, col)
		f.Config = &data.FieldConfig{DisplayNameFromDS: display, Unit: "short"}
		return f
	}
	ratio := make([]*float64, len(list))
	median := make([]*float64, len(list))
	for i, r := range list {
		v := float64(r.actionable) / float64(r.alerts)
		ratio[i] = &v
		if m, ok := summary.Of(r.durations, summary.Median); ok {
			median[i] = &m
		}
	}
	ratioField := data.NewField(ActionableRatio, nil, ratio)
	ratioField.Config = &data.FieldConfig{DisplayNameFromDS: "Actionable", Unit: "percentunit"}
	medianField := data.NewField("median_duration", nil, median)
	medianField.Config = &data.FieldConfig{DisplayNameFromDS: "Median firing time", Unit: "s"}
	fields = append(fields,
		counts(Alerts, "Alerts", func(r *noisyRow) int64 { return r.alerts }),
		counts(Notifications, "Notifications", func(r *noisyRow) int64 { return r.notifications }),
		counts(Flapping, "Flapping", func(r *noisyRow) int64 { return r.flapping }),
		counts(ShortLived, "Short-lived", func(r *noisyRow) int64 { return r.short }),
		counts("actionable", "Actionable alerts", func(r *noisyRow) int64 { return r.actionable }),
		ratioField, medianField)
	f := data.NewFrame(Noisy, fields...)
	f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
	return f
}
