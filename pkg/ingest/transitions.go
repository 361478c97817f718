package ingest

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// transitionKind: a stage transition event, stored as sent. The key is the item, the
// stage entered and the instant, so a re-sent event replaces itself and events may
// arrive in any order; stage intervals are derived by sorting (pkg/metrics/flow).
func transitionKind() Kind {
	return Kind{
		Name:  "transitions",
		Table: "work_item_transitions",
		Key:   []string{"source", "item_id", "stage", "entered_at"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "item_id", Type: String, Required: true},
			{Name: "stage", Type: String, Required: true},
			{Name: "entered_at", Type: Time, Required: true},
			{Name: "from_stage", Type: String},
			// state overrides the stage's kind for this stay (e.g. blocked inside an active stage).
			{Name: "state", Type: Enum, Enum: []string{"active", "waiting"}},
		},
		Check: checkTransition,
	}
}

func checkTransition(r Record) *FieldError {
	for _, f := range []string{"item_id", "stage"} {
		if v, _ := r[f].(string); strings.TrimSpace(v) == "" {
			return &FieldError{Field: f, Reason: "is blank"}
		}
	}
	return nil
}

// TransitionWebhookResult is the answer to POST webhooks/transitions.
type TransitionWebhookResult struct {
	Result
	// ItemsWritten counts work item records created or updated from item fields.
	ItemsWritten int `json:"items_written"`
	// UnknownItems lists items whose transitions were stored but that have no work item
	// record yet: they count in metrics once the record arrives (or a later event names
	// their value_stream).
	UnknownItems []string `json:"unknown_items,omitempty"`
}

// transitionWebhookFields maps the webhook's field names to the stored transition fields.
var transitionWebhookFields = map[string]string{"item_id": "item_id", "to": "stage", "at": "entered_at", "from": "from_stage", "state": "state", "source": "source"}

// transitionItemFields may accompany an event to create or update the work item record.
var transitionItemFields = []string{"value_stream", "type", "team", "title", "created_at", "done_at"}

// maxUnknownItemsListed bounds the unknown items listed in a response.
const maxUnknownItemsListed = 100

// IngestTransitionWebhook stores a generic transition payload: one JSON object or an
// array of them, each {"item_id", "to", "at", optional "from", "state", "source"}, plus
// optional item fields (value_stream, type, team, title, created_at, done_at). Item
// fields create the work item when it is new (created_at defaults to the event's at)
// and update only the fields given when it exists. Everything lands in one transaction;
// a bad record is listed in the response and the others are stored.
func IngestTransitionWebhook(ctx context.Context, st store.Store, r io.Reader, source string, now time.Time) (TransitionWebhookResult, error) {
	tk, ik := transitionKind(), workItemKind()
	res := TransitionWebhookResult{Result: Result{Kind: tk.Name, Rejected: []Rejected{}}}
	unknown := map[string]bool{}
	type itemPatch struct {
		rec   Record
		given map[string]bool
	}
	var transitions []Record
	items := map[string]itemPatch{}
	var itemOrder []string
	tIndex := map[string]int{}
	reject := func(d decoded) {
		n := len(res.Rejected)
		res.reject(d, 1000)
		if len(res.Rejected) > n && res.Rejected[n].ID == "" {
			if id, ok := d.raw.fields["item_id"].(string); ok {
				res.Rejected[n].ID = id
			}
		}
	}
	err := decode(JSON, r, nil, func(d decoded) error {
		if d.err != nil {
			reject(d)
			return nil
		}
		raw := map[string]any{}
		for name, v := range d.raw.fields {
			if to, ok := transitionWebhookFields[name]; ok {
				raw[to] = v
			} else if !isTransitionItemField(name) {
				unknown[name] = true
			}
		}
		if s, _ := raw["source"].(string); s == "" && source != "" {
			raw["source"] = source
		}
		rec, fe := tk.convert(rawRecord{fields: raw}, now, map[string]bool{})
		if fe != nil {
			d.err = transitionFieldError(fe)
			reject(d)
			return nil
		}
		var patch *itemPatch
		if given := transitionItemFieldsGiven(d.raw.fields); len(given) > 0 {
			itemRaw := map[string]any{"source": rec["source"], "id": rec["item_id"], "created_at": raw["entered_at"]}
			for f := range given {
				itemRaw[f] = d.raw.fields[f]
			}
			irec, fe := ik.convert(rawRecord{fields: itemRaw}, now, map[string]bool{})
			if fe != nil {
				d.err = transitionFieldError(fe)
				reject(d)
				return nil
			}
			patch = &itemPatch{rec: irec, given: given}
		}
		key := fmt.Sprint(rec["source"], "\x00", rec["item_id"], "\x00", rec["stage"], "\x00", rec["entered_at"])
		if i, dup := tIndex[key]; dup {
			transitions[i] = rec
			res.Superseded++
		} else {
			tIndex[key] = len(transitions)
			transitions = append(transitions, rec)
		}
		if patch != nil {
			ikey := fmt.Sprint(rec["source"], "\x00", rec["item_id"])
			if prev, ok := items[ikey]; ok {
				// Later events' item fields win, as a later record would.
				for f := range patch.given {
					prev.rec[f] = patch.rec[f]
					prev.given[f] = true
				}
				if c, _ := patch.rec.Time("created_at"); c < recordTime(prev.rec, "created_at") && !prev.given["created_at"] {
					prev.rec["created_at"] = c
				}
			} else {
				items[ikey] = *patch
				itemOrder = append(itemOrder, ikey)
			}
		}
		return nil
	})
	if err != nil {
		return TransitionWebhookResult{}, err
	}

	nowMs := now.UnixMilli()
	err = st.WithTx(ctx, func(tx store.Tx) error {
		rows := make([][]any, len(transitions))
		for i, rec := range transitions {
			row := make([]any, 0, len(tk.Fields)+1)
			for _, f := range tk.Fields {
				row = append(row, rec[f.Name])
			}
			rows[i] = append(row, nowMs)
		}
		up := store.Upsert{Table: tk.Table, Columns: tk.Columns(), Key: tk.Key}
		if err := up.Exec(ctx, tx, st.Dialect(), rows); err != nil {
			return err
		}
		for _, key := range itemOrder {
			if err := writeWorkItemPatch(ctx, tx, items[key].rec, items[key].given, nowMs); err != nil {
				return err
			}
		}
		var err error
		res.UnknownItems, err = unknownWorkItems(ctx, tx, transitions)
		return err
	})
	if err != nil {
		return TransitionWebhookResult{}, err
	}
	res.Stored = len(transitions)
	res.ItemsWritten = len(itemOrder)
	for f := range unknown {
		res.IgnoredFields = append(res.IgnoredFields, f)
	}
	sort.Strings(res.IgnoredFields)
	return res, nil
}

func isTransitionItemField(name string) bool {
	for _, f := range transitionItemFields {
		if f == name {
			return true
		}
	}
	return false
}

func transitionItemFieldsGiven(fields map[string]any) map[string]bool {
	given := map[string]bool{}
	for _, f := range transitionItemFields {
		if v, ok := fields[f]; ok && v != nil {
			given[f] = true
		}
	}
	return given
}

func recordTime(r Record, name string) int64 {
	v, _ := r.Time(name)
	return v
}

// transitionFieldError names the webhook's own fields (to, at, from) in rejections.
func transitionFieldError(fe *FieldError) *FieldError {
	names := map[string]string{"stage": "to", "entered_at": "at", "from_stage": "from", "id": "item_id"}
	if n, ok := names[fe.Field]; ok {
		reason := strings.ReplaceAll(fe.Reason, fe.Field, n)
		return &FieldError{Field: n, Reason: reason}
	}
	return fe
}

// writeWorkItemPatch creates the item when new (created_at from the payload, else the event
// time) and otherwise updates only the fields the payload gave.
func writeWorkItemPatch(ctx context.Context, tx store.Tx, rec Record, given map[string]bool, nowMs int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO work_items (source, id, value_stream, type, team, title, created_at, done_at, labels, ingested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9) ON CONFLICT (source, id) DO NOTHING`,
		rec["source"], rec["id"], rec["value_stream"], rec["type"], rec["team"], rec["title"], rec["created_at"], rec["done_at"], nowMs); err != nil {
		return fmt.Errorf("writing work item %v: %w", rec["id"], err)
	}
	sets := []string{"ingested_at = $3"}
	args := []any{rec["source"], rec["id"], nowMs}
	for _, f := range transitionItemFields { // a fixed list: column names never come from input
		if given[f] {
			args = append(args, rec[f])
			sets = append(sets, fmt.Sprintf("%s = $%d", f, len(args)))
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE work_items SET "+strings.Join(sets, ", ")+" WHERE source = $1 AND id = $2", args...); err != nil {
		return fmt.Errorf("updating work item %v: %w", rec["id"], err)
	}
	return nil
}

func unknownWorkItems(ctx context.Context, tx store.Tx, transitions []Record) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, rec := range transitions {
		source, id := rec["source"].(string), rec["item_id"].(string)
		key := source + "\x00" + id
		if seen[key] {
			continue
		}
		seen[key] = true
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM work_items WHERE source = $1 AND id = $2`, source, id).Scan(&n); err != nil {
			return nil, fmt.Errorf("checking work item %s: %w", id, err)
		}
		if n == 0 && len(out) < maxUnknownItemsListed {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out, nil
}
