package kpi

import (
	"context"
	"io"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
)

// ImportResult reports an import of kpi-definitions: the ingest result (stored counts
// every record applied) and what each applied record did.
type ImportResult struct {
	ingest.Result
	Created   int `json:"created"`
	Versioned int `json:"versioned"`
	Unchanged int `json:"unchanged"`
}

// Import applies definition records (JSON, NDJSON or CSV) in one transaction: each creates
// its KPI, adds a version when it changes it, or changes nothing when it is the same.
func Import(ctx context.Context, st store.Store, format ingest.Format, r io.Reader, w Writer) (ImportResult, error) {
	var out ImportResult
	res, err := ingest.ApplyKPIDefinitions(ctx, st, format, r, ingest.Options{Now: w.Now}, func(ctx context.Context, tx store.Tx, rec ingest.Record) error {
		_, outcome, err := Apply(ctx, tx, rec, w)
		if err != nil {
			return err
		}
		switch outcome {
		case Created:
			out.Created++
		case Versioned:
			out.Versioned++
		case Unchanged:
			out.Unchanged++
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	out.Result = res
	return out, nil
}
