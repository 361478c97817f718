package model

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/kaizenops/suite/pkg/store"
)

// chunkLen is how many values a store stream hands over at once (drift's own chunk).
const chunkLen = 4096

// rowStream is a drift.Stream over a query that returns ascending values, one per
// row, or (value, count) rows of a snapshot, each expanded into count copies. It holds
// one chunk: memory is O(1) in the number of rows.
type rowStream struct {
	rows      *sql.Rows
	withCount bool
	buf       []float64
	pending   float64
	repeat    int64 // copies of pending still to hand over
	err       error
}

// openStream runs a query whose rows are (value) or, withCount, (value, n).
func openStream(ctx context.Context, q store.Querier, sqlText string, args []any, withCount bool) (*rowStream, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("reading observations: %w", err)
	}
	return &rowStream{rows: rows, withCount: withCount, buf: make([]float64, 0, chunkLen)}, nil
}

// Next returns the next chunk of values; io.EOF after the last.
func (s *rowStream) Next() ([]float64, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.buf = s.buf[:0]
	for len(s.buf) < cap(s.buf) {
		if s.repeat > 0 {
			k := min(s.repeat, int64(cap(s.buf)-len(s.buf)))
			for range k {
				s.buf = append(s.buf, s.pending)
			}
			s.repeat -= k
			continue
		}
		if !s.rows.Next() {
			if err := s.rows.Err(); err != nil {
				s.err = fmt.Errorf("reading observations: %w", err)
				return nil, s.err
			}
			break
		}
		var v float64
		n := int64(1)
		var err error
		if s.withCount {
			err = s.rows.Scan(&v, &n)
		} else {
			err = s.rows.Scan(&v)
		}
		if err != nil {
			s.err = fmt.Errorf("reading observations: %w", err)
			return nil, s.err
		}
		s.pending, s.repeat = v, n
	}
	if len(s.buf) == 0 {
		return nil, io.EOF
	}
	return s.buf, nil
}

// Close releases the cursor; safe to call more than once.
func (s *rowStream) Close() error { return s.rows.Close() }
