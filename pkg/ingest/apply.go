package ingest

import (
	"context"
	"errors"
	"io"

	"github.com/kaizenops/suite/pkg/store"
)

// RecordApplier stores one valid record inside an import's transaction. A
// *FieldError rejects that record alone; any other error aborts the whole import.
type RecordApplier func(ctx context.Context, tx store.Tx, rec Record) error

// applyRecords reads records of kind (JSON, NDJSON or CSV) and applies each valid
// one in order, all in one transaction, reporting rejected records as Ingest does.
// For kinds whose records are managed objects (KPI definitions, kaizen events)
// rather than plain upserts. prepare, when set, reshapes a raw record before it is
// converted (nil: converted as read).
func applyRecords(ctx context.Context, st store.Store, kind Kind, prepare func(rawRecord) *FieldError, format Format, r io.Reader, opts Options, apply RecordApplier) (Result, error) {
	opts = opts.withDefaults()
	res := Result{Kind: kind.Name, Rejected: []Rejected{}}
	unknown := map[string]bool{}
	required := kind.requiredFields()
	err := st.WithTx(ctx, func(tx store.Tx) error {
		return decode(format, r, required, func(d decoded) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.err == nil && prepare != nil {
				d.err = prepare(d.raw)
			}
			if d.err == nil {
				rec, fe := kind.convert(d.raw, opts.Now, unknown)
				if fe == nil {
					err := apply(ctx, tx, rec)
					if err == nil {
						res.Stored++
						return nil
					}
					if !errors.As(err, &fe) {
						return err
					}
				}
				d.err = fe
			}
			res.reject(d, opts.MaxRejected)
			return nil
		})
	})
	if err != nil {
		return Result{}, err
	}
	res.IgnoredFields = sortedKeys(unknown)
	return res, nil
}
