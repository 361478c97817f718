package drift

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
)

// Histogram counts values into the bins of a set of cut points (see Edges).
// Memory is O(bins) however many values are added; values may come in any
// order. A store that bins in SQL can skip it and pass its counts to
// PSIFromCounts or JSDFromCounts.
type Histogram struct {
	cuts   []float64
	counts []int64
	n      int64
}

// NewHistogram takes cut points as returned by QuantileEdges or CheckCuts.
func NewHistogram(cuts []float64) *Histogram {
	return &Histogram{cuts: cuts, counts: make([]int64, len(cuts)+1)}
}

// Add counts x; NaN and infinities are rejected.
func (h *Histogram) Add(x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ErrNonFinite
	}
	h.counts[h.bin(x)]++
	h.n++
	return nil
}

// addChunk counts checked values.
func (h *Histogram) addChunk(xs []float64) {
	if len(h.cuts) > 16 {
		for _, x := range xs {
			h.counts[h.bin(x)]++
		}
	} else {
		cuts, counts := h.cuts, h.counts
		for _, x := range xs {
			k := 0
			for _, c := range cuts {
				if x >= c { // compiled to a flag set, not a branch
					k++
				}
			}
			counts[k]++
		}
	}
	h.n += int64(len(xs))
}

// addAscending counts an ascending run: the bin index only moves forward.
func (h *Histogram) addAscending(xs []float64) {
	if len(xs) == 0 {
		return
	}
	cuts, counts := h.cuts, h.counts
	k := h.bin(xs[0])
	for _, x := range xs {
		for k < len(cuts) && x >= cuts[k] {
			k++
		}
		counts[k]++
	}
	h.n += int64(len(xs))
}

// bin is the number of cuts <= x. A linear scan beats binary search for the
// usual ten bins (no unpredictable branches per level).
func (h *Histogram) bin(x float64) int {
	if len(h.cuts) <= 16 {
		k := 0
		for _, c := range h.cuts {
			if x >= c {
				k++
			}
		}
		return k
	}
	return sort.Search(len(h.cuts), func(i int) bool { return h.cuts[i] > x })
}

// Counts returns a copy of the counts per bin.
func (h *Histogram) Counts() []int64 { return slices.Clone(h.counts) }

// N is the number of values added.
func (h *Histogram) N() int64 { return h.n }

// CountBins bins a whole stream, in any order; window names it in errors.
// Ascending chunks (a store reading ORDER BY value) take a merge-like path
// that costs one comparison per value.
func CountBins(window string, cuts []float64, src Stream) ([]int64, error) {
	h := NewHistogram(cuts)
	for {
		chunk, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s window: reading values: %w", window, err)
		}
		ascending := true
		prev := math.Inf(-1)
		for i, x := range chunk {
			if x-x != 0 { // NaN or infinite
				return nil, fmt.Errorf("%s window, value %d (%v): %w", window, h.n+int64(i)+1, x, ErrNonFinite)
			}
			ascending = ascending && x >= prev
			prev = x
		}
		if ascending {
			h.addAscending(chunk)
		} else {
			h.addChunk(chunk)
		}
	}
	if h.n == 0 {
		return nil, fmt.Errorf("%s window: %w", window, ErrEmpty)
	}
	return h.counts, nil
}

// binned holds two windows' counts over shared bins.
type binned struct {
	edges    Edges
	ref, cur []int64
}

// binByReferenceQuantiles builds quantile edges from the reference and
// counts both windows (in-memory convenience: sorts a reference copy).
func binByReferenceQuantiles(reference, current []float64, bins int) (binned, error) {
	ref, err := sortedCopy("reference", reference)
	if err != nil {
		return binned{}, err
	}
	if err := checkFinite("current", current); err != nil {
		return binned{}, err
	}
	e, err := QuantileEdges(FromSlice(ref), len(ref), bins)
	if err != nil {
		return binned{}, err
	}
	return countBoth(e, ref, current)
}

// binByCuts counts both windows over caller-given cut points.
func binByCuts(reference, current, cuts []float64) (binned, error) {
	c, err := CheckCuts(cuts)
	if err != nil {
		return binned{}, err
	}
	return countBoth(Edges{Cuts: c, Requested: len(c) + 1}, reference, current)
}

func countBoth(e Edges, reference, current []float64) (binned, error) {
	r, err := CountBins("reference", e.Cuts, FromSlice(reference))
	if err != nil {
		return binned{}, err
	}
	c, err := CountBins("current", e.Cuts, FromSlice(current))
	if err != nil {
		return binned{}, err
	}
	return binned{edges: e, ref: r, cur: c}, nil
}

// proportions checks a window's counts and returns count/total.
func proportions(window string, counts []int64) ([]float64, error) {
	var total int64
	for i, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("%s window, bin %d: negative count %d: %w", window, i+1, c, ErrBadOption)
		}
		total += c
	}
	if total == 0 {
		return nil, fmt.Errorf("%s window: %w", window, ErrEmpty)
	}
	p := make([]float64, len(counts))
	for i, c := range counts {
		p[i] = float64(c) / float64(total)
	}
	return p, nil
}
