package drift

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Stream yields a window's values in chunks, so the statistics never need
// all raw values in memory: a store backs it with a cursor (ORDER BY value
// where the statistic needs sorted input) and hands over a batch of rows at
// a time. Next returns the next non-empty chunk, valid only until the
// following call; io.EOF after the last one; any other error aborts the
// computation and is returned wrapped.
type Stream interface {
	Next() ([]float64, error)
}

// chunkLen is how many values a slice stream hands over at once: large
// enough to amortize the call, small enough that validating a chunk and
// then using it stays in cache.
const chunkLen = 4096

type sliceStream struct{ xs []float64 }

func (s *sliceStream) Next() ([]float64, error) {
	if len(s.xs) == 0 {
		return nil, io.EOF
	}
	n := min(chunkLen, len(s.xs))
	c := s.xs[:n:n]
	s.xs = s.xs[n:]
	return c, nil
}

// FromSlice streams xs in order without copying.
func FromSlice(xs []float64) Stream { return &sliceStream{xs: xs} }

type funcStream struct {
	next func() (float64, bool)
	buf  []float64
}

func (s *funcStream) Next() ([]float64, error) {
	s.buf = s.buf[:0]
	for len(s.buf) < cap(s.buf) {
		x, ok := s.next()
		if !ok {
			break
		}
		s.buf = append(s.buf, x)
	}
	if len(s.buf) == 0 {
		return nil, io.EOF
	}
	return s.buf, nil
}

// FromFunc adapts a one-value-at-a-time iterator (ok false when done),
// buffering chunkLen values: memory stays O(1) in the stream's length.
func FromFunc(next func() (float64, bool)) Stream {
	return &funcStream{next: next, buf: make([]float64, 0, chunkLen)}
}

// sortedCopy validates xs and returns an ascending copy.
func sortedCopy(window string, xs []float64) ([]float64, error) {
	if err := checkFinite(window, xs); err != nil {
		return nil, err
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s, nil
}

func checkFinite(window string, xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("%s window: %w", window, ErrEmpty)
	}
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s window, value %d (%v): %w", window, i+1, x, ErrNonFinite)
		}
	}
	return nil
}

// sortedReader reads a stream that must be ascending, checking each chunk
// as it arrives: finite values, ascending order (also across chunks),
// exactly the declared count. buf[k] is the head value while k < len(buf).
type sortedReader struct {
	window string
	src    Stream
	n      int64 // declared count
	read   int64 // values received so far
	last   float64
	buf    []float64
	k      int
	err    error
	done   bool
	// With moments set, check also accumulates the mean and the sum of
	// squared deviations (chunk by chunk, combined as Chan et al.).
	moments  bool
	mean, m2 float64
}

func newSortedReader(window string, src Stream, n int, moments bool) (*sortedReader, error) {
	if n <= 0 {
		return nil, fmt.Errorf("%s window: %w", window, ErrEmpty)
	}
	r := &sortedReader{window: window, src: src, n: int64(n), last: math.Inf(-1), moments: moments}
	r.fill()
	return r, r.err
}

// drain reads the rest of the stream, so its order and count are checked
// even when the statistic needs no more values.
func (r *sortedReader) drain() error {
	for r.has() {
		r.k = len(r.buf)
	}
	return r.err
}

// has says whether a head value is available, refilling when needed.
func (r *sortedReader) has() bool {
	return r.k < len(r.buf) || r.fill()
}

// fill loads and checks the next chunk; false at the end or on error.
func (r *sortedReader) fill() bool {
	r.buf, r.k = nil, 0
	for !r.done {
		chunk, err := r.src.Next()
		switch {
		case errors.Is(err, io.EOF):
			r.done = true
			if r.read != r.n {
				r.err = fmt.Errorf("%s window: stream ended after %d of %d values: %w", r.window, r.read, r.n, ErrCount)
			}
			return false
		case err != nil:
			r.done = true
			r.err = fmt.Errorf("%s window: reading values: %w", r.window, err)
			return false
		case len(chunk) == 0:
			continue
		}
		if err := r.check(chunk); err != nil {
			r.done, r.err = true, err
			return false
		}
		r.buf = chunk
		return true
	}
	return false
}

func (r *sortedReader) check(chunk []float64) error {
	if r.read+int64(len(chunk)) > r.n {
		return fmt.Errorf("%s window: stream has more than %d values: %w", r.window, r.n, ErrCount)
	}
	prev := r.last
	for i, x := range chunk {
		// x-x is NaN for NaN and both infinities: one test for both.
		if x-x != 0 || x < prev {
			pos := r.read + int64(i) + 1
			if x-x != 0 {
				return fmt.Errorf("%s window, value %d (%v): %w", r.window, pos, x, ErrNonFinite)
			}
			return fmt.Errorf("%s window, value %d (%v after %v): %w", r.window, pos, x, prev, ErrUnsorted)
		}
		prev = x
	}
	r.last = prev
	if r.moments {
		r.addMoments(chunk)
	}
	r.read += int64(len(chunk))
	return nil
}

func (r *sortedReader) addMoments(chunk []float64) {
	sum := 0.0
	for _, x := range chunk {
		sum += x
	}
	nb := float64(len(chunk))
	cm := sum / nb
	q := 0.0
	for _, x := range chunk {
		d := x - cm
		q += d * d
	}
	na := float64(r.read)
	n := na + nb
	delta := cm - r.mean
	r.mean += delta * nb / n
	r.m2 += q + delta*delta*na*nb/n
}

// skip consumes every value equal to v and returns how many there were.
func (r *sortedReader) skip(v float64) int64 {
	var c int64
	for r.has() {
		k := r.k
		for k < len(r.buf) && r.buf[k] == v {
			k++
		}
		c += int64(k - r.k)
		r.k = k
		if k < len(r.buf) {
			break
		}
	}
	return c
}
