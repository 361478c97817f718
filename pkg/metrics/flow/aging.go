package flow

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// agingDimensions qualify the columns: the aging query joins items and stays. Stays carry
// the item's dimensions, so the filters go on them and the planner starts from the stays
// in progress (a few thousand) rather than from every item of a stream.
var agingDimensions = query.Dimensions{
	"value_stream": "v.value_stream",
	"type":         "v.type",
	"team":         "v.team",
	"source":       "v.source",
	"stage":        "v.stage",
}

// Aging bands: where an item's age falls among the cycle times of the items completed
// in the range (its stream's history).
const (
	BandNoHistory = "no history"
	BandBelowP50  = "below p50"
	BandP50       = "p50–p85"
	BandP85       = "p85–p95"
	BandAboveP95  = "above p95"
)

// asOf is the instant point-in-time answers (WIP, aging) describe: the range end, or
// now when the range reaches into the future.
func (p plan) asOf() time.Time {
	if !p.env.Now.IsZero() && p.env.Now.Before(p.env.To) && p.env.Now.After(p.env.From) {
		return p.env.Now
	}
	return p.env.To
}

type agingRow struct {
	id, source, stream, typ, team, stage, state string
	started, entered                            int64
}

// aging lists the items in progress at the range end (started, not done) with their
// age since they started (first active stay), their time in the current stage, and
// where that age falls among the cycle times completed in the range.
func (p plan) aging(ctx context.Context) (data.Frames, error) {
	asOf := p.asOf().UnixMilli()
	// The stay each item is in at asOf: still open (flow_open carries the item's first active
	// time), or ending at or after asOf. Stays end at completion, so the item is not done
	// before asOf. Both branches number their placeholders alike.
	open, closed := &query.Where{}, &query.Where{}
	open.Add("+first_active_at < ?", asOf)
	closed.Add("+i.first_active_at < ?", asOf)
	open.Add("+entered_at < ?", asOf)
	closed.Add("+v.entered_at < ?", asOf)
	if err := open.Filters(stageDimensions, p.q.Filters); err != nil {
		return nil, err
	}
	if err := closed.Filters(agingDimensions, p.q.Filters); err != nil {
		return nil, err
	}
	// asOf is an integer computed here, never input text.
	sqlText := "SELECT item_id, source, value_stream, type, team, stage, state, first_active_at, entered_at FROM flow_open" + open.SQL() +
		" UNION ALL SELECT i.item_id, i.source, i.value_stream, i.type, i.team, v.stage, v.state, i.first_active_at, v.entered_at" +
		" FROM flow_intervals v JOIN flow_items i ON i.source = v.source AND i.item_id = v.item_id" + closed.SQL() +
		fmt.Sprintf(" AND v.exited_at >= %d", asOf)
	rows, err := p.env.Store.QueryContext(ctx, sqlText, open.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying items in progress: %w", err)
	}
	var items []agingRow
	for rows.Next() {
		var r agingRow
		if err := rows.Scan(&r.id, &r.source, &r.stream, &r.typ, &r.team, &r.stage, &r.state, &r.started, &r.entered); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading items in progress: %w", err)
		}
		items = append(items, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading items in progress: %w", err)
	}
	history, err := p.cycleHistory(ctx)
	if err != nil {
		return nil, err
	}

	sort.Slice(items, func(i, j int) bool {
		if items[i].started != items[j].started {
			return items[i].started < items[j].started // oldest first
		}
		return items[i].source+"\x00"+items[i].id < items[j].source+"\x00"+items[j].id
	})
	total := len(items)
	if len(items) > p.opts.maxItems {
		items = items[:p.opts.maxItems]
	}
	n := len(items)
	ids, sources, streams, typs, tms, stages, states, bands := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	started := make([]time.Time, n)
	age, inStage := make([]float64, n), make([]float64, n)
	rank := make([]*float64, n)
	for i, r := range items {
		ids[i], sources[i], streams[i], typs[i], tms[i], stages[i], states[i] = r.id, r.source, r.stream, r.typ, r.team, r.stage, r.state
		started[i] = time.UnixMilli(r.started).UTC()
		age[i] = float64(asOf-r.started) / 1000
		inStage[i] = float64(asOf-r.entered) / 1000
		h := history[r.stream]
		bands[i] = h.band(age[i])
		if len(h.sorted) > 0 {
			rank[i] = fp(h.rank(age[i]))
		}
	}
	f := data.NewFrame("aging",
		data.NewField("id", nil, ids),
		data.NewField("source", nil, sources),
		data.NewField("value_stream", nil, streams),
		data.NewField("type", nil, typs),
		data.NewField("team", nil, tms),
		data.NewField("stage", nil, stages),
		data.NewField("state", nil, states),
		withConfig(data.NewField("started_at", nil, started), "Started", ""),
		withConfig(data.NewField("age", nil, age), "Age", "s"),
		withConfig(data.NewField("in_stage", nil, inStage), "In stage", "s"),
		withConfig(data.NewField("age_percentile", nil, rank), "Age percentile", "percentunit"),
		withConfig(data.NewField("band", nil, bands), "Age vs history", ""),
	)
	meta := &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	if total > n {
		meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("showing the %d oldest of %d items in progress; raise flow.maxItems (up to %d)", n, total, maxItemsLimit)})
	}
	f.SetMeta(meta)
	return data.Frames{f, history.frame()}, nil
}

// cycleHistory holds, per value stream, the sorted cycle times (s) of the items
// completed in the range: the yardstick for the age of items in progress.
type cycleHistory map[string]streamHistory

type streamHistory struct{ sorted []float64 }

func (p plan) cycleHistory(ctx context.Context) (cycleHistory, error) {
	filters := map[string][]string{}
	for k, v := range p.q.Filters {
		if k != "stage" {
			filters[k] = v
		}
	}
	w := &query.Where{}
	w.Add("done_at >= ?", p.env.From.UnixMilli())
	w.Add("done_at < ?", p.env.To.UnixMilli())
	w.Add("first_active_at IS NOT NULL")
	if err := w.Filters(itemDimensions, filters); err != nil {
		return nil, err
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT value_stream, (done_at - first_active_at) / 1000.0 FROM flow_items"+w.SQL(), w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying completed cycle times: %w", err)
	}
	defer rows.Close()
	out := cycleHistory{}
	for rows.Next() {
		var stream string
		var v float64
		if err := rows.Scan(&stream, &v); err != nil {
			return nil, fmt.Errorf("reading completed cycle times: %w", err)
		}
		h := out[stream]
		h.sorted = append(h.sorted, v)
		out[stream] = h
	}
	for k, h := range out {
		slices.Sort(h.sorted)
		out[k] = h
	}
	return out, rows.Err()
}

func (h streamHistory) quantile(q float64) float64 { return summary.QuantileSorted(h.sorted, q) }

// rank is the share of completed items whose cycle time was at most age.
func (h streamHistory) rank(age float64) float64 {
	n := sort.Search(len(h.sorted), func(i int) bool { return h.sorted[i] > age })
	return float64(n) / float64(len(h.sorted))
}

func (h streamHistory) band(age float64) string {
	switch {
	case len(h.sorted) == 0:
		return BandNoHistory
	case age > h.quantile(0.95):
		return BandAboveP95
	case age > h.quantile(0.85):
		return BandP85
	case age > h.quantile(0.5):
		return BandP50
	}
	return BandBelowP50
}

// frame lists the percentiles per value stream ("aging_percentiles").
func (c cycleHistory) frame() *data.Frame {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	count := make([]float64, len(names))
	p50, p85, p95 := make([]float64, len(names)), make([]float64, len(names)), make([]float64, len(names))
	for i, n := range names {
		h := c[n]
		count[i] = float64(len(h.sorted))
		p50[i], p85[i], p95[i] = h.quantile(0.5), h.quantile(0.85), h.quantile(0.95)
	}
	return data.NewFrame("aging_percentiles",
		data.NewField("value_stream", nil, names),
		withConfig(data.NewField("completed", nil, count), "Completed", "short"),
		withConfig(data.NewField("p50", nil, p50), "Cycle time p50", "s"),
		withConfig(data.NewField("p85", nil, p85), "Cycle time p85", "s"),
		withConfig(data.NewField("p95", nil, p95), "Cycle time p95", "s"),
	)
}
