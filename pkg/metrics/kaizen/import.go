package kaizen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
)

// ImportResult reports an import of kaizen-events: the ingest result, and how many
// events were created, updated or left unchanged.
type ImportResult struct {
	ingest.Result
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Import applies event records (JSON, NDJSON or CSV) in one transaction: each creates
// its event or updates it. A record whose checks fail, or that conflicts with the
// stored event (an archived event, a stale base_revision), is listed and not stored.
func (d Deps) Import(ctx context.Context, st store.Store, format ingest.Format, r io.Reader, w Writer) (ImportResult, error) {
	var out ImportResult
	res, err := ingest.ApplyKaizenEvents(ctx, st, format, r, ingest.Options{Now: w.Now}, func(ctx context.Context, tx store.Tx, rec ingest.Record) error {
		_, outcome, err := d.Apply(ctx, st, tx, rec, w)
		var ce *ConflictError
		if errors.As(err, &ce) {
			field := "id"
			if strings.Contains(ce.Reason, "revision") {
				field = "base_revision"
			}
			return &ingest.FieldError{Field: field, Reason: ce.Reason}
		}
		if err != nil {
			return err
		}
		switch outcome {
		case Created:
			out.Created++
		case Updated:
			out.Updated++
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

// maxValues bounds a values list; pickers and variables need choices, not exports.
const maxValues = 1000

// Values lists the distinct non-empty values of a dimension over events not archived.
func Values(ctx context.Context, st store.Querier, dimension string) ([]string, error) {
	col, ok := dimensions[dimension]
	if !ok {
		return nil, fmt.Errorf("unknown kaizen dimension %q; use one of %s", dimension, strings.Join(dimensions.Names(), ", "))
	}
	rows, err := st.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM kaizen_events WHERE archived_at IS NULL AND %s <> '' ORDER BY %s LIMIT %d", col, col, col, maxValues))
	if err != nil {
		return nil, fmt.Errorf("listing kaizen %s values: %w", dimension, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing kaizen %s values: %w", dimension, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
