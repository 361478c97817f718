package drift

import (
	"fmt"
	"math"
	"slices"
)

// Next yields a stream's values one at a time; ok is false once it is done.
// A store can back it with a cursor over "ORDER BY value", so the statistics
// never need the raw values in memory. A cursor that fails should stop
// yielding; the declared count then catches the short stream, and the caller
// reports the cursor's own error.
type Next func() (value float64, ok bool)

// FromSlice streams xs in order.
func FromSlice(xs []float64) Next {
	i := 0
	return func() (float64, bool) {
		if i >= len(xs) {
			return 0, false
		}
		i++
		return xs[i-1], true
	}
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

// sortedReader checks a sorted stream as it is consumed: finite values,
// ascending order, exactly the declared count. It holds one value ahead.
type sortedReader struct {
	window string
	next   Next
	n      int // declared count
	read   int // values taken from next so far
	head   float64
	has    bool
}

func newSortedReader(window string, next Next, n int) (*sortedReader, error) {
	if n <= 0 {
		return nil, fmt.Errorf("%s window: %w", window, ErrEmpty)
	}
	r := &sortedReader{window: window, next: next, n: n}
	return r, r.advance()
}

// advance moves head to the next value.
func (r *sortedReader) advance() error {
	x, ok := r.next()
	if !ok {
		r.has = false
		if r.read != r.n {
			return fmt.Errorf("%s window: stream ended after %d of %d values: %w", r.window, r.read, r.n, ErrCount)
		}
		return nil
	}
	r.read++
	if r.read > r.n {
		return fmt.Errorf("%s window: stream has more than %d values: %w", r.window, r.n, ErrCount)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("%s window, value %d (%v): %w", r.window, r.read, x, ErrNonFinite)
	}
	if r.read > 1 && x < r.head {
		return fmt.Errorf("%s window, value %d (%v after %v): %w", r.window, r.read, x, r.head, ErrUnsorted)
	}
	r.head, r.has = x, true
	return nil
}

// merger walks the distinct values of two sorted streams in ascending order.
// After each step, i and j count the reference and current values <= v,
// which is what the empirical CDFs need (searchsorted side='right').
type merger struct {
	a, b *sortedReader
	i, j int64
}

func newMerger(ref Next, nRef int, cur Next, nCur int) (*merger, error) {
	a, err := newSortedReader("reference", ref, nRef)
	if err != nil {
		return nil, err
	}
	b, err := newSortedReader("current", cur, nCur)
	if err != nil {
		return nil, err
	}
	return &merger{a: a, b: b}, nil
}

// step consumes every value equal to the next distinct value v.
func (m *merger) step() (v float64, ok bool, err error) {
	switch {
	case m.a.has && m.b.has:
		v = min(m.a.head, m.b.head)
	case m.a.has:
		v = m.a.head
	case m.b.has:
		v = m.b.head
	default:
		return 0, false, nil
	}
	for m.a.has && m.a.head == v {
		m.i++
		if err := m.a.advance(); err != nil {
			return 0, false, err
		}
	}
	for m.b.has && m.b.head == v {
		m.j++
		if err := m.b.advance(); err != nil {
			return 0, false, err
		}
	}
	return v, true, nil
}
