package flow

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// items returns one row per item completed in the range, oldest first: the points of
// a cycle-time scatter. At most maxItems rows, the most recently completed, with a
// notice saying how many were left out.
func (p plan) items(ctx context.Context) (data.Frames, error) {
	w := p.where("done_at", "done_at IS NOT NULL")
	var total int
	if err := p.env.Store.QueryRowContext(ctx, "SELECT COUNT(*) FROM flow_items"+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, fmt.Errorf("counting completed items: %w", err)
	}
	// The limit is a validated integer, formatted here, never text from the query.
	sqlText := fmt.Sprintf(`SELECT source, item_id, value_stream, type, team, created_at, done_at, first_active_at, process_ms, wait_ms, stays
		FROM flow_items%s ORDER BY done_at DESC, source DESC, item_id DESC LIMIT %d`, w.SQL(), p.opts.maxItems)
	rows, err := p.env.Store.QueryContext(ctx, sqlText, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying completed items: %w", err)
	}
	defer rows.Close()
	var (
		done, created                    []time.Time
		ids, sources, streams, typs, tms []string
		lead                             []float64
		cycle, process, wait, eff        []*float64
	)
	for rows.Next() {
		var source, id, stream, typ, team string
		var createdMs, doneMs, processMs, waitMs, stays int64
		var first sql.NullInt64
		if err := rows.Scan(&source, &id, &stream, &typ, &team, &createdMs, &doneMs, &first, &processMs, &waitMs, &stays); err != nil {
			return nil, fmt.Errorf("reading completed items: %w", err)
		}
		done = append(done, time.UnixMilli(doneMs).UTC())
		created = append(created, time.UnixMilli(createdMs).UTC())
		ids, sources, streams, typs, tms = append(ids, id), append(sources, source), append(streams, stream), append(typs, typ), append(tms, team)
		lead = append(lead, float64(doneMs-createdMs)/1000)
		cycle = append(cycle, nil)
		process, wait, eff = append(process, nil), append(wait, nil), append(eff, nil)
		n := len(lead) - 1
		if first.Valid {
			cycle[n] = fp(float64(doneMs-first.Int64) / 1000)
		}
		if stays > 0 {
			process[n], wait[n] = fp(float64(processMs)/1000), fp(float64(waitMs)/1000)
			if doneMs > createdMs {
				eff[n] = fp(float64(processMs) / float64(doneMs-createdMs))
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading completed items: %w", err)
	}
	for _, s := range []any{done, created, ids, sources, streams, typs, tms, lead, cycle, process, wait, eff} {
		reverse(s)
	}
	f := data.NewFrame("items",
		withConfig(data.NewField("time", nil, nonNil(done)), "Done", ""),
		withConfig(data.NewField("created_at", nil, nonNil(created)), "Created", ""),
		data.NewField("id", nil, nonNil(ids)),
		data.NewField("source", nil, nonNil(sources)),
		data.NewField("value_stream", nil, nonNil(streams)),
		data.NewField("type", nil, nonNil(typs)),
		data.NewField("team", nil, nonNil(tms)),
		withConfig(data.NewField("lead_time", nil, nonNil(lead)), "Lead time", "s"),
		withConfig(data.NewField("cycle_time", nil, nonNil(cycle)), "Cycle time", "s"),
		withConfig(data.NewField("process_time", nil, nonNil(process)), "Process time", "s"),
		withConfig(data.NewField("wait_time", nil, nonNil(wait)), "Wait time", "s"),
		withConfig(data.NewField("flow_efficiency", nil, nonNil(eff)), "Flow efficiency", "percentunit"),
	)
	meta := &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	if total > len(lead) {
		meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("showing the %d most recently completed of %d items; narrow the range or raise flow.maxItems (up to %d)", len(lead), total, maxItemsLimit)})
	}
	f.SetMeta(meta)
	return data.Frames{f}, nil
}

func fp(v float64) *float64 { return &v }

// nonNil turns a nil slice into an empty one: a frame field needs a typed vector.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func reverse(s any) {
	switch v := s.(type) {
	case []time.Time:
		slices.Reverse(v)
	case []string:
		slices.Reverse(v)
	case []float64:
		slices.Reverse(v)
	case []*float64:
		slices.Reverse(v)
	}
}

func withConfig(f *data.Field, display, unit string) *data.Field {
	f.Config = &data.FieldConfig{DisplayNameFromDS: display, Unit: unit}
	return f
}
