// Package ingest turns payloads (JSON arrays, NDJSON, CSV and senders' webhooks)
// into validated rows and upserts them, reporting per record what was rejected and why.
package ingest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/store"
)

// FieldType says how a field's text or JSON value is read.
type FieldType int

const (
	// String is free text.
	String FieldType = iota
	// Time is RFC 3339 with a zone, stored as Unix milliseconds UTC.
	Time
	// Number is a finite float.
	Number
	// Labels is a flat JSON object of string values, stored as JSON text.
	Labels
	// Enum is a string from a fixed list.
	Enum
)

// Field is one column of an event kind.
type Field struct {
	Name     string
	Type     FieldType
	Required bool
	// Enum lists the allowed values of an Enum field.
	Enum []string
	// Default is stored for an absent String or Enum field (the columns are NOT NULL).
	Default string
	// Future allows times beyond the clock-skew allowance (e.g. due dates).
	Future bool
}

// Kind is an event kind: its table, fields, key and cross-field checks.
type Kind struct {
	Name  string
	Table string
	// Fields in column order; the column name is the field name.
	Fields []Field
	// Key identifies a record; re-sending a key replaces the stored record.
	Key []string
	// Check validates a record after its fields parsed, naming the field at fault.
	Check func(r Record) *FieldError
	// BeforeWrite, when set, sees each batch of rows (Fields in order, then
	// ingested_at) inside the transaction before they replace what is stored.
	BeforeWrite func(ctx context.Context, tx store.Tx, rows [][]any) error
	// AfterWrite, when set, runs at the end of every transaction that wrote the
	// kind's rows, stamped with ingestedAt (rollups fold there).
	AfterWrite func(ctx context.Context, tx store.Tx, ingestedAt int64) error
}

// requiredFields names the fields a record must have.
func (k Kind) requiredFields() []string {
	var out []string
	for _, f := range k.Fields {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return out
}

// write upserts rows of the kind inside tx, calling BeforeWrite first.
func (k Kind) write(ctx context.Context, tx store.Tx, d store.Dialect, up store.Upsert, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if k.BeforeWrite != nil {
		if err := k.BeforeWrite(ctx, tx, rows); err != nil {
			return err
		}
	}
	return up.Exec(ctx, tx, d, rows)
}

// afterWrite runs AfterWrite when the kind has one.
func (k Kind) afterWrite(ctx context.Context, tx store.Tx, ingestedAt int64) error {
	if k.AfterWrite == nil {
		return nil
	}
	return k.AfterWrite(ctx, tx, ingestedAt)
}

// Record is one parsed record: field name to value (string, int64 ms, float64, or nil).
type Record map[string]any

// Time returns a time field in Unix ms, and whether it is set.
func (r Record) Time(name string) (int64, bool) {
	v, ok := r[name].(int64)
	return v, ok
}

// FieldError rejects one record.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// Kinds is the set of event kinds the ingest API accepts.
type Kinds map[string]Kind

// DefaultKinds returns every event kind.
func DefaultKinds() Kinds {
	ks := Kinds{}
	for _, k := range []Kind{
		incidentKind(),
		deploymentKind(),
		usageKind(),
		headcountKind(),
		sliKind(),
		workItemKind(),
		transitionKind(),
		kpiSampleKind(),
		observationKind(),
		outcomeKind(),
		alertEventKind(),
		postmortemKind(),
		actionItemKind(),
	} {
		ks[k.Name] = k
	}
	return ks
}

// Get returns a kind by name, with an error that lists the known kinds.
func (ks Kinds) Get(name string) (Kind, error) {
	k, ok := ks[name]
	if !ok {
		names := make([]string, 0, len(ks))
		for n := range ks {
			names = append(names, n)
		}
		sort.Strings(names)
		return Kind{}, fmt.Errorf("unknown kind %q; known kinds: %s", name, strings.Join(names, ", "))
	}
	return k, nil
}

// Columns lists the table columns written for the kind, ending with ingested_at.
func (k Kind) Columns() []string {
	cols := make([]string, 0, len(k.Fields)+1)
	for _, f := range k.Fields {
		cols = append(cols, f.Name)
	}
	return append(cols, "ingested_at")
}

func (k Kind) field(name string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Names lists the kind names, sorted.
func (ks Kinds) Names() []string {
	names := make([]string, 0, len(ks))
	for n := range ks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
