package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// Rejected names a record that was not stored and why.
type Rejected struct {
	// Position is the 1-based record number in the payload.
	Position int `json:"position"`
	// Line is the 1-based line for line-based formats (NDJSON, CSV).
	Line   int    `json:"line,omitempty"`
	ID     string `json:"id,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// Result reports an ingest: the records stored (in one transaction) and those rejected.
type Result struct {
	Kind   string `json:"kind"`
	Stored int    `json:"stored"`
	// Superseded counts records replaced by a later record with the same key in the same payload.
	Superseded    int        `json:"superseded,omitempty"`
	Rejected      []Rejected `json:"rejected"`
	IgnoredFields []string   `json:"ignored_fields,omitempty"`
}

// Options tune one ingest.
type Options struct {
	// Source fills the source field of records that have none.
	Source string
	// Now is the ingest time (ingested_at, and the limit for future timestamps).
	Now time.Time
	// MaxRejected bounds the rejections listed; the count beyond is summarized.
	MaxRejected int
}

// chunkRows is how many rows go into one upsert statement batch.
const chunkRows = 500

// Ingest reads a payload of one kind and upserts every valid record in a single
// transaction: either all valid records are stored and the result says so, or the
// error is returned and nothing is stored. Invalid records are listed, never stored.
func Ingest(ctx context.Context, st store.Store, kind Kind, format Format, r io.Reader, opts Options) (Result, error) {
	opts = opts.withDefaults()
	res := Result{Kind: kind.Name, Rejected: []Rejected{}}
	unknown := map[string]bool{}
	required := kind.requiredFields()
	err := st.WithTx(ctx, func(tx store.Tx) error {
		w := newWriter(ctx, tx, st.Dialect(), kind, opts.Now)
		derr := decode(format, r, required, func(d decoded) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.err == nil {
				if opts.Source != "" {
					if s, _ := d.raw.fields["source"].(string); s == "" {
						d.raw.fields["source"] = opts.Source
					}
				}
				rec, fe := kind.convert(d.raw, opts.Now, unknown)
				if fe == nil {
					return w.add(rec)
				}
				d.err = fe
			}
			res.reject(d, opts.MaxRejected)
			return nil
		})
		if derr != nil {
			return derr
		}
		if err := w.flush(); err != nil {
			return err
		}
		res.Stored, res.Superseded = w.stored, w.superseded
		return kind.afterWrite(ctx, tx, opts.Now.UnixMilli())
	})
	if err != nil {
		return Result{}, err
	}
	res.IgnoredFields = sortedKeys(unknown)
	return res, nil
}

func (res *Result) reject(d decoded, max int) {
	if len(res.Rejected) >= max {
		if len(res.Rejected) == max {
			res.Rejected = append(res.Rejected, Rejected{Reason: "further rejected records are not listed"})
		}
		return
	}
	rj := Rejected{Position: d.position, Line: d.line, Reason: d.err.Reason, Field: d.err.Field}
	if d.raw.fields != nil {
		if id, ok := d.raw.fields["id"].(string); ok {
			rj.ID = id
		}
	}
	if rj.Field != "" && !strings.HasPrefix(rj.Reason, rj.Field) {
		rj.Reason = rj.Field + " " + rj.Reason
	}
	res.Rejected = append(res.Rejected, rj)
}

// IsPayloadError reports whether err rejects the whole payload (a client error).
func IsPayloadError(err error) bool {
	var pe *PayloadError
	return errors.As(err, &pe)
}

// writer batches rows into upserts. Within one statement a key may appear only
// once (PostgreSQL refuses to update a row twice in one statement), so a repeated
// key replaces the earlier row of the batch: the later record wins, as it would
// across payloads.
type writer struct {
	ctx        context.Context
	tx         store.Tx
	dialect    store.Dialect
	kind       Kind
	upsert     store.Upsert
	now        int64
	rows       [][]any
	index      map[string]int
	seen       map[string]bool
	stored     int
	superseded int
}

func newWriter(ctx context.Context, tx store.Tx, d store.Dialect, k Kind, now time.Time) *writer {
	return &writer{
		ctx: ctx, tx: tx, dialect: d, kind: k, now: now.UnixMilli(),
		upsert: store.Upsert{Table: k.Table, Columns: k.Columns(), Key: k.Key},
		index:  map[string]int{},
		seen:   map[string]bool{},
	}
}

func (w *writer) add(rec Record) error {
	row := make([]any, 0, len(w.kind.Fields)+1)
	for _, f := range w.kind.Fields {
		row = append(row, rec[f.Name])
	}
	row = append(row, w.now)
	key := w.key(rec)
	if w.seen[key] {
		w.superseded++
	} else {
		w.seen[key] = true
		w.stored++
	}
	if i, dup := w.index[key]; dup {
		w.rows[i] = row
		return nil
	}
	w.index[key] = len(w.rows)
	w.rows = append(w.rows, row)
	if len(w.rows) >= chunkRows {
		return w.flush()
	}
	return nil
}

func (w *writer) key(rec Record) string {
	parts := make([]string, len(w.kind.Key))
	for i, k := range w.kind.Key {
		parts[i] = fmt.Sprint(rec[k])
	}
	return strings.Join(parts, "\x00")
}

func (w *writer) flush() error {
	if len(w.rows) == 0 {
		return nil
	}
	if err := w.kind.write(w.ctx, w.tx, w.dialect, w.upsert, w.rows); err != nil {
		return err
	}
	w.rows = w.rows[:0]
	clear(w.index)
	return nil
}

// withDefaults fills the options every import leaves at zero: now, and the cap on
// rejected records listed.
func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.MaxRejected == 0 {
		o.MaxRejected = 1000
	}
	return o
}
