package drift

import (
	"fmt"
	"math"
	"slices"
)

// Edges are the cut points that split the real line into bins. Bin k holds
// x with Cuts[k-1] <= x < Cuts[k], where Cuts[-1] = -Inf and
// Cuts[len] = +Inf: the outer bins are open, so no current value can fall
// outside the reference's range and be lost.
type Edges struct {
	Cuts      []float64 // strictly ascending, finite
	Requested int       // bins asked for
	Collapsed int       // cut points dropped because tied reference values made them equal
}

// Bins is the number of bins the cuts define.
func (e Edges) Bins() int { return len(e.Cuts) + 1 }

// Note describes collapsed bins, or "" when there were none.
func (e Edges) Note() string {
	if e.Collapsed == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d reference-quantile bins collapsed (tied reference values): %d bins used",
		e.Collapsed, e.Requested, e.Bins())
}

// QuantileEdges cuts at the reference's k/bins quantiles, k = 1..bins-1,
// read from an ascending stream of n values in one pass, keeping O(bins)
// values. Quantiles follow numpy.quantile's default ('linear', Hyndman-Fan
// type 7): position (n-1)*q, interpolated between its two neighbours.
// Equal cut points (from tied reference values; a constant reference gives
// a single cut) are collapsed, and Collapsed says how many.
func QuantileEdges(sortedRef Stream, n, bins int) (Edges, error) {
	if bins < 2 {
		return Edges{}, fmt.Errorf("quantile edges: %d bins: %w", bins, ErrBadOption)
	}
	if bins > MaxBins {
		// The edges are allocated up front; an unchecked count would be gigabytes.
		return Edges{}, fmt.Errorf("quantile edges: %d bins, more than the %d allowed: %w", bins, MaxBins, ErrBadOption)
	}
	r, err := newSortedReader("reference", sortedRef, n, false)
	if err != nil {
		return Edges{}, fmt.Errorf("quantile edges: %w", err)
	}
	type cut struct {
		lo    int64   // index of the lower neighbour
		gamma float64 // weight of the upper neighbour
		a, b  float64 // the neighbours once read
	}
	cuts := make([]cut, bins-1)
	last := int64(n - 1)
	// Indices of the neighbours to capture while streaming.
	want := make([]int64, 0, 2*(bins-1))
	for k := range cuts {
		vi := float64(n-1) * (float64(k+1) / float64(bins))
		lo := int64(math.Floor(vi))
		c := cut{lo: lo, gamma: vi - float64(lo)}
		if vi >= float64(last) { // numpy takes the maximum
			c = cut{lo: last}
		}
		cuts[k] = c
		want = append(want, c.lo, min(c.lo+1, last))
	}
	slices.Sort(want)
	want = slices.Compact(want)
	got := make(map[int64]float64, len(want))
	w := 0
	for idx := int64(0); w < len(want) && r.has(); { // only as far as the last wanted index
		chunk := r.buf[r.k:]
		for w < len(want) && want[w] < idx+int64(len(chunk)) {
			got[want[w]] = chunk[want[w]-idx]
			w++
		}
		idx += int64(len(chunk))
		r.k = len(r.buf)
	}
	if err := r.drain(); err != nil { // the rest is read to check order and count
		return Edges{}, fmt.Errorf("quantile edges: %w", err)
	}
	e := Edges{Requested: bins}
	for _, c := range cuts {
		x := lerp(got[c.lo], got[min(c.lo+1, last)], c.gamma)
		if len(e.Cuts) > 0 && x <= e.Cuts[len(e.Cuts)-1] {
			e.Collapsed++
			continue
		}
		e.Cuts = append(e.Cuts, x)
	}
	return e, nil
}

// lerp is numpy's _lerp: exact at both ends and monotone.
func lerp(a, b, t float64) float64 {
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}

// CheckCuts validates caller-given cut points and returns them without
// leading -Inf or trailing +Inf (the outer bins are always open).
func CheckCuts(cuts []float64) ([]float64, error) {
	if len(cuts) > 0 && math.IsInf(cuts[0], -1) {
		cuts = cuts[1:]
	}
	if len(cuts) > 0 && math.IsInf(cuts[len(cuts)-1], 1) {
		cuts = cuts[:len(cuts)-1]
	}
	if len(cuts) == 0 {
		return nil, fmt.Errorf("bin edges: need at least one finite cut point: %w", ErrBadOption)
	}
	for i, c := range cuts {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return nil, fmt.Errorf("bin edges: edge %d is %v: %w", i+1, c, ErrBadOption)
		}
		if i > 0 && c <= cuts[i-1] {
			return nil, fmt.Errorf("bin edges: edge %d (%v) is not above %v: %w", i+1, c, cuts[i-1], ErrBadOption)
		}
	}
	return cuts, nil
}
