package flow

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kaizenops/suite/pkg/store"
)

// Stage kinds in a value stream definition.
const (
	// KindActive stages are where work is done: their time is process time.
	KindActive = "active"
	// KindWaiting stages are queues: their time is wait time.
	KindWaiting = "waiting"
	// KindDone stages are terminal: entering one completes an item that has no done_at.
	KindDone = "done"
)

// Limits on definitions; a value stream map with more stages is unreadable anyway.
const (
	maxStages     = 50
	maxNameBytes  = 200
	maxDescBytes  = 2000
	undefinedRank = math.MaxInt32
)

// Stage is one step of a value stream.
type Stage struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// WIPLimit is the most items the stage should hold; nil means no limit.
	WIPLimit *int `json:"wip_limit"`
}

// Definition is a value stream: its stages in order.
type Definition struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Stages      []Stage `json:"stages"`
	// UpdatedAt is set by the store (RFC 3339).
	UpdatedAt string `json:"updated_at,omitempty"`
}

// order is the stage's position; stages missing from the definition sort after all others.
func (d *Definition) order(stage string) int {
	if d != nil {
		for i, s := range d.Stages {
			if s.Name == stage {
				return i
			}
		}
	}
	return undefinedRank
}

// kind is the stage's kind, or "" when the definition does not have the stage.
func (d *Definition) kind(stage string) string {
	if d != nil {
		for _, s := range d.Stages {
			if s.Name == stage {
				return s.Kind
			}
		}
	}
	return ""
}

// defaultState is the state of a stay whose event named none.
func (d *Definition) defaultState(stage string) string {
	switch d.kind(stage) {
	case KindWaiting, KindDone:
		return StateWaiting
	}
	return StateActive
}

// stage returns the named stage.
func (d *Definition) stage(name string) (Stage, bool) {
	if d != nil {
		for _, s := range d.Stages {
			if s.Name == name {
				return s, true
			}
		}
	}
	return Stage{}, false
}

// ParseDefinition reads a definition sent to PUT flow/streams/{name}; name is the path's.
// Unknown fields are refused: a misspelt "wip_limit" must not silently mean "no limit".
func ParseDefinition(name string, r io.Reader) (Definition, error) {
	var def Definition
	body, err := io.ReadAll(r)
	if err != nil {
		return Definition{}, fmt.Errorf("reading the definition: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&def); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return Definition{}, fmt.Errorf("value stream definition: %s must be %s, got %s", typeErr.Field, jsonKind(typeErr.Type.String()), typeErr.Value)
		}
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return Definition{}, fmt.Errorf("value stream definition: unknown field %s; a definition has description and stages, a stage has name, kind and wip_limit", name)
		}
		return Definition{}, fmt.Errorf("value stream definition is not valid JSON: %v", err)
	}
	if dec.More() {
		return Definition{}, fmt.Errorf("value stream definition: unexpected data after the JSON object")
	}
	if def.Name != "" && def.Name != name {
		return Definition{}, fmt.Errorf("value stream definition: name %q differs from %q in the path", def.Name, name)
	}
	def.Name = name
	def.UpdatedAt = ""
	if err := def.Validate(); err != nil {
		return Definition{}, err
	}
	return def, nil
}

func jsonKind(goType string) string {
	switch goType {
	case "int", "*int":
		return "a whole number or null"
	case "string":
		return "a string"
	case "[]flow.Stage":
		return "an array of stages"
	}
	return goType
}

// Validate checks a definition and fills default kinds (active), naming what is wrong.
func (d *Definition) Validate() error {
	if err := checkName("name", d.Name); err != nil {
		return err
	}
	if len(d.Description) > maxDescBytes || !utf8.ValidString(d.Description) {
		return fmt.Errorf("value stream %q: description must be valid UTF-8 of at most %d bytes", d.Name, maxDescBytes)
	}
	if len(d.Stages) == 0 {
		return fmt.Errorf("value stream %q: stages is empty; list the stages in order, e.g. [{\"name\":\"Dev\",\"kind\":\"active\"}]", d.Name)
	}
	if len(d.Stages) > maxStages {
		return fmt.Errorf("value stream %q: %d stages, more than the %d allowed", d.Name, len(d.Stages), maxStages)
	}
	seen := map[string]int{}
	working := 0
	for i := range d.Stages {
		s := &d.Stages[i]
		field := fmt.Sprintf("stages[%d]", i)
		if err := checkName(field+".name", s.Name); err != nil {
			return fmt.Errorf("value stream %q: %w", d.Name, err)
		}
		if j, dup := seen[s.Name]; dup {
			return fmt.Errorf("value stream %q: %s.name %q repeats stages[%d]; each stage appears once (re-entries are counted per item)", d.Name, field, s.Name, j)
		}
		seen[s.Name] = i
		s.Kind = strings.ToLower(strings.TrimSpace(s.Kind))
		if s.Kind == "" {
			s.Kind = KindActive
		}
		switch s.Kind {
		case KindActive, KindWaiting:
			working++
		case KindDone:
			if s.WIPLimit != nil {
				return fmt.Errorf("value stream %q: %s (%q) is a done stage and cannot have a wip_limit", d.Name, field, s.Name)
			}
		default:
			return fmt.Errorf("value stream %q: %s.kind %q is not one of active, waiting, done", d.Name, field, s.Kind)
		}
		if s.WIPLimit != nil && *s.WIPLimit < 1 {
			return fmt.Errorf("value stream %q: %s.wip_limit %d must be at least 1; use null for no limit", d.Name, field, *s.WIPLimit)
		}
	}
	if working == 0 {
		return fmt.Errorf("value stream %q: every stage is a done stage; add the stages where work happens", d.Name)
	}
	return nil
}

func checkName(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("%s is empty", field)
	case s != strings.TrimSpace(s):
		return fmt.Errorf("%s %q has leading or trailing spaces", field, s)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not valid UTF-8", field)
	case len(s) > maxNameBytes:
		return fmt.Errorf("%s is %d bytes, more than the %d allowed", field, len(s), maxNameBytes)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s %q contains a control character", field, s)
		}
	}
	return nil
}

// LoadDefinitions returns every value stream definition by name.
func LoadDefinitions(ctx context.Context, q store.Querier) (map[string]*Definition, error) {
	out := map[string]*Definition{}
	rows, err := q.QueryContext(ctx, `SELECT name, description, updated_at FROM value_streams`)
	if err != nil {
		return nil, fmt.Errorf("reading value streams: %w", err)
	}
	for rows.Next() {
		d := &Definition{Stages: []Stage{}}
		var updated int64
		if err := rows.Scan(&d.Name, &d.Description, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading value streams: %w", err)
		}
		d.UpdatedAt = time.UnixMilli(updated).UTC().Format(time.RFC3339Nano)
		out[d.Name] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading value streams: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT value_stream, stage, kind, wip_limit FROM value_stream_stages ORDER BY value_stream, position`)
	if err != nil {
		return nil, fmt.Errorf("reading value stream stages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var stream string
		var s Stage
		var limit sql.NullInt64
		if err := rows.Scan(&stream, &s.Name, &s.Kind, &limit); err != nil {
			return nil, fmt.Errorf("reading value stream stages: %w", err)
		}
		if limit.Valid {
			v := int(limit.Int64)
			s.WIPLimit = &v
		}
		if d, ok := out[stream]; ok {
			d.Stages = append(d.Stages, s)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading value stream stages: %w", err)
	}
	return out, nil
}

// SaveDefinition replaces a value stream's definition and recomputes the rollups of its
// items, all in tx: a query never sees the new stages with the old stage times.
// It returns how many items were recomputed.
func SaveDefinition(ctx context.Context, tx store.Tx, d store.Dialect, def Definition, now time.Time) (int, error) {
	if err := def.Validate(); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO value_streams (name, description, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET description = excluded.description, updated_at = excluded.updated_at`,
		def.Name, def.Description, now.UnixMilli()); err != nil {
		return 0, fmt.Errorf("saving value stream %q: %w", def.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM value_stream_stages WHERE value_stream = $1`, def.Name); err != nil {
		return 0, fmt.Errorf("saving value stream %q: %w", def.Name, err)
	}
	rows := make([][]any, len(def.Stages))
	for i, s := range def.Stages {
		var limit any
		if s.WIPLimit != nil {
			limit = int64(*s.WIPLimit)
		}
		rows[i] = []any{def.Name, s.Name, int64(i), s.Kind, limit}
	}
	up := store.Upsert{Table: "value_stream_stages", Columns: []string{"value_stream", "stage", "position", "kind", "wip_limit"}, Key: []string{"value_stream", "stage"}}
	if err := up.Exec(ctx, tx, d, rows); err != nil {
		return 0, fmt.Errorf("saving value stream %q: %w", def.Name, err)
	}
	return RefreshStream(ctx, tx, d, def.Name)
}

// DeleteDefinition removes a definition (never its items or transitions) and recomputes
// the stream's rollups without it. found is false when there was no such stream.
func DeleteDefinition(ctx context.Context, tx store.Tx, d store.Dialect, name string) (found bool, recomputed int, err error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM value_streams WHERE name = $1`, name)
	if err != nil {
		return false, 0, fmt.Errorf("deleting value stream %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, 0, nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM value_stream_stages WHERE value_stream = $1`, name); err != nil {
		return false, 0, fmt.Errorf("deleting value stream %q: %w", name, err)
	}
	recomputed, err = RefreshStream(ctx, tx, d, name)
	return true, recomputed, err
}
