package flow

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// The rollups (flow_items, with each item's stage times packed, flow_intervals, and
// flow_open, the stay each unfinished item is in) are Derive's output per item.
// They are rewritten for an item in the same transaction that writes the item, one of its
// transitions, or its stream's definition, so they always equal a derivation from the
// stored events, and queries read a few rows per item instead of sorting transitions.

// ItemKey names a work item.
type ItemKey struct{ Source, ID string }

// refreshBatch bounds the items recomputed per round trip (and the IN list length).
const refreshBatch = 500

var (
	itemsUpsert = store.Upsert{Table: "flow_items", Key: []string{"source", "item_id"},
		Columns: []string{"source", "item_id", "value_stream", "type", "team", "created_at", "done_at", "first_active_at", "process_ms", "wait_ms", "stays", "stage_times"}}
	openUpsert = store.Upsert{Table: "flow_open", Key: []string{"source", "item_id"},
		Columns: []string{"source", "item_id", "stage", "entered_at", "state", "value_stream", "type", "team", "first_active_at"}}
	intervalsUpsert = store.Upsert{Table: "flow_intervals", Key: []string{"source", "item_id", "stage", "entered_at"},
		Columns: []string{"source", "item_id", "stage", "entered_at", "exited_at", "state", "value_stream", "type", "team"}}
)

// WithRollups returns st whose write transactions also recompute the rollups of every
// work item written in them. Writers must stamp ingested_at with now (ingest.Options.Now):
// the items to recompute are found by it.
func WithRollups(st store.Store, now time.Time) store.Store {
	return &rollupStore{Store: st, nowMs: now.UnixMilli()}
}

type rollupStore struct {
	store.Store
	nowMs int64
}

func (r *rollupStore) WithTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return r.Store.WithTx(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return refreshWritten(ctx, tx, r.Dialect(), r.nowMs)
	})
}

// refreshWritten recomputes the items whose record or transitions carry ingested_at = nowMs.
// Another writer's rows stamped in the same millisecond are recomputed too, harmlessly.
func refreshWritten(ctx context.Context, tx store.Tx, d store.Dialect, nowMs int64) error {
	keys, err := itemKeys(ctx, tx, `SELECT source, id FROM work_items WHERE ingested_at = $1
		UNION SELECT source, item_id FROM work_item_transitions WHERE ingested_at = $1`, nowMs)
	if err != nil {
		return err
	}
	return Refresh(ctx, tx, d, keys)
}

// RefreshStream recomputes every item of a value stream (after its definition changed).
func RefreshStream(ctx context.Context, tx store.Tx, d store.Dialect, stream string) (int, error) {
	keys, err := itemKeys(ctx, tx, `SELECT source, id FROM work_items WHERE value_stream = $1`, stream)
	if err != nil {
		return 0, err
	}
	return len(keys), Refresh(ctx, tx, d, keys)
}

// Rebuild drops and recomputes every rollup (a repair after writes that bypassed
// WithRollups, e.g. SQL run by hand). It returns the number of items recomputed.
func Rebuild(ctx context.Context, tx store.Tx, d store.Dialect) (int, error) {
	for _, t := range []string{"flow_items", "flow_intervals", "flow_open", "flow_stage_days"} {
		// t comes from the fixed list above.
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return 0, fmt.Errorf("clearing %s: %w", t, err)
		}
	}
	keys, err := itemKeys(ctx, tx, `SELECT source, id FROM work_items`)
	if err != nil {
		return 0, err
	}
	return len(keys), Refresh(ctx, tx, d, keys)
}

func itemKeys(ctx context.Context, q store.Querier, sqlText string, args ...any) ([]ItemKey, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("finding work items to recompute: %w", err)
	}
	defer rows.Close()
	var keys []ItemKey
	for rows.Next() {
		var k ItemKey
		if err := rows.Scan(&k.Source, &k.ID); err != nil {
			return nil, fmt.Errorf("finding work items to recompute: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// Refresh recomputes the rollups of the given items from their stored record, transitions
// and stream definition. An item without a record keeps no rollup rows: its transitions
// wait, stored, until the record arrives.
func Refresh(ctx context.Context, q store.Querier, d store.Dialect, keys []ItemKey) error {
	if len(keys) == 0 {
		return nil
	}
	defs, err := LoadDefinitions(ctx, q)
	if err != nil {
		return err
	}
	bySource := map[string][]string{}
	for _, k := range keys {
		bySource[k.Source] = append(bySource[k.Source], k.ID)
	}
	sources := make([]string, 0, len(bySource))
	for s := range bySource {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	for _, source := range sources {
		ids := bySource[source]
		sort.Strings(ids)
		ids = compactStrings(ids)
		for start := 0; start < len(ids); start += refreshBatch {
			batch := ids[start:min(start+refreshBatch, len(ids))]
			if err := refreshBatchOf(ctx, q, d, defs, source, batch); err != nil {
				return err
			}
		}
	}
	return nil
}

type itemRecord struct {
	stream, typ, team string
	item              Item
}

func refreshBatchOf(ctx context.Context, q store.Querier, d store.Dialect, defs map[string]*Definition, source string, ids []string) error {
	marks, args := inList(source, ids)
	items := map[string]itemRecord{}
	rows, err := q.QueryContext(ctx, `SELECT id, value_stream, type, team, created_at, done_at FROM work_items WHERE source = $1 AND id IN (`+marks+`)`, args...)
	if err != nil {
		return fmt.Errorf("reading work items: %w", err)
	}
	for rows.Next() {
		var id string
		var r itemRecord
		var done sql.NullInt64
		if err := rows.Scan(&id, &r.stream, &r.typ, &r.team, &r.item.CreatedAt, &done); err != nil {
			rows.Close()
			return fmt.Errorf("reading work items: %w", err)
		}
		if done.Valid {
			v := done.Int64
			r.item.DoneAt = &v
		}
		items[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading work items: %w", err)
	}

	events := map[string][]Event{}
	rows, err = q.QueryContext(ctx, `SELECT item_id, stage, entered_at, from_stage, state FROM work_item_transitions WHERE source = $1 AND item_id IN (`+marks+`)`, args...)
	if err != nil {
		return fmt.Errorf("reading transitions: %w", err)
	}
	for rows.Next() {
		var id string
		var e Event
		if err := rows.Scan(&id, &e.Stage, &e.At, &e.From, &e.State); err != nil {
			rows.Close()
			return fmt.Errorf("reading transitions: %w", err)
		}
		if _, ok := items[id]; ok {
			events[id] = append(events[id], e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading transitions: %w", err)
	}

	// The items' old stays leave the daily counts before they are rewritten.
	if err := addStageDays(ctx, q, marks, args, -1); err != nil {
		return err
	}
	for _, t := range []string{"flow_items", "flow_intervals", "flow_open"} {
		// t comes from the fixed list above; the ids travel as parameters.
		if _, err := q.ExecContext(ctx, "DELETE FROM "+t+" WHERE source = $1 AND item_id IN ("+marks+")", args...); err != nil {
			return fmt.Errorf("clearing %s: %w", t, err)
		}
	}

	var itemRows, intervalRows, openRows [][]any
	for _, id := range ids {
		r, ok := items[id]
		if !ok {
			continue
		}
		der := Derive(r.item, events[id], defs[r.stream])
		var done, first any
		if der.Done {
			done = der.DoneAt
		}
		if der.HasActive {
			first = der.FirstActive
		}
		itemRows = append(itemRows, []any{source, id, r.stream, r.typ, r.team, r.item.CreatedAt, done, first, der.ProcessMs, der.WaitMs, int64(len(der.Intervals)), packStages(der.Stages)})
		for _, iv := range der.Intervals {
			var exited any
			if !iv.Open {
				exited = iv.Exited
			}
			intervalRows = append(intervalRows, []any{source, id, iv.Stage, iv.Entered, exited, iv.State, r.stream, r.typ, r.team})
			if iv.Open {
				openRows = append(openRows, []any{source, id, iv.Stage, iv.Entered, iv.State, r.stream, r.typ, r.team, first})
			}
		}
	}
	for _, w := range []struct {
		up   store.Upsert
		rows [][]any
	}{{itemsUpsert, itemRows}, {intervalsUpsert, intervalRows}, {openUpsert, openRows}} {
		if err := w.up.Exec(ctx, q, d, w.rows); err != nil {
			return err
		}
	}
	return addStageDays(ctx, q, marks, args, +1)
}

// addStageDays adds sign (+1 or -1) times the stays of the items (source $1, ids in
// marks) to flow_stage_days: an arrival on the day each stay was entered, a departure
// on the day it was exited. "WHERE true" keeps SQLite from reading ON CONFLICT as a
// join's ON.
func addStageDays(ctx context.Context, q store.Querier, marks string, args []any, sign int) error {
	// StageDay and sign are integers of this package; the ids travel as parameters.
	sqlText := fmt.Sprintf(`INSERT INTO flow_stage_days (day, value_stream, stage, team, type, arrivals, departures)
		SELECT day, value_stream, stage, team, type, %[2]d * SUM(a), %[2]d * SUM(d) FROM (
			SELECT entered_at / %[1]d * %[1]d AS day, value_stream, stage, team, type, 1 AS a, 0 AS d
			FROM flow_intervals WHERE source = $1 AND item_id IN (%[3]s)
			UNION ALL
			SELECT exited_at / %[1]d * %[1]d, value_stream, stage, team, type, 0, 1
			FROM flow_intervals WHERE source = $1 AND item_id IN (%[3]s) AND exited_at IS NOT NULL
		) x WHERE true GROUP BY day, value_stream, stage, team, type
		ON CONFLICT (day, value_stream, stage, team, type) DO UPDATE SET
			arrivals = flow_stage_days.arrivals + excluded.arrivals,
			departures = flow_stage_days.departures + excluded.departures`, StageDay, sign, marks)
	if _, err := q.ExecContext(ctx, sqlText, args...); err != nil {
		return fmt.Errorf("counting stays per day: %w", err)
	}
	return nil
}

// StageDay is the width of a flow_stage_days row (Unix ms, UTC days).
const StageDay int64 = 86_400_000

// inList returns "$2, $3, ..." for ids after the source parameter $1.
func inList(source string, ids []string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(ids)+1)
	args = append(args, source)
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", i+2)
		args = append(args, id)
	}
	return b.String(), args
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
