package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/store"
)

// record is one ingest record, as a sender would put it in a JSON payload.
type record map[string]any

// ts writes a time as senders do: RFC 3339, UTC, whole seconds.
func ts(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// writer sends records through the ingest code, as the resource API and `kaizen
// import` do, stamping every write with the anchor so the data set is reproducible.
type writer struct {
	st     store.Store
	now    time.Time
	by     string
	stored map[string]int
}

func ndjson(recs []record) (io.Reader, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return nil, fmt.Errorf("encoding a record: %w", err)
		}
	}
	return &buf, nil
}

// ingest stores records of one kind in one transaction, through the same path the
// resource API takes for that kind (rollups folded in where the kind has them). A
// rejected record is an error: the demo must pass the validation it demonstrates.
func (w *writer) ingest(ctx context.Context, kindName string, recs []record) error {
	if len(recs) == 0 {
		return nil
	}
	body, err := ndjson(recs)
	if err != nil {
		return err
	}
	opts := ingest.Options{Now: w.now}
	var res ingest.Result
	switch kindName {
	case "usage":
		res, err = ingest.IngestUsage(ctx, w.st, ingest.NDJSON, body, opts)
	case ingest.SLIKind:
		res, err = ingest.IngestSLI(ctx, w.st, ingest.NDJSON, body, opts)
	case ingest.ObservationsBatchKind:
		res, err = ingest.IngestObservationBatches(ctx, w.st, ingest.NDJSON, body, opts)
	default:
		kind, kerr := ingest.DefaultKinds().Get(kindName)
		if kerr != nil {
			return kerr
		}
		st := w.st
		if kindName == "work_items" || kindName == "transitions" {
			st = flow.WithRollups(w.st, w.now)
		}
		res, err = ingest.Ingest(ctx, st, kind, ingest.NDJSON, body, opts)
	}
	if err != nil {
		return fmt.Errorf("ingesting %s: %w", kindName, err)
	}
	if err := rejected(kindName, res); err != nil {
		return err
	}
	w.stored[kindName] += res.Stored
	return nil
}

// rejected turns the first rejection of a result into an error naming the record.
func rejected(kind string, res ingest.Result) error {
	if len(res.Rejected) == 0 {
		return nil
	}
	r := res.Rejected[0]
	return fmt.Errorf("%s record %d (id %q) was rejected: %s (%d rejected in all)", kind, r.Position, r.ID, r.Reason, len(res.Rejected))
}
