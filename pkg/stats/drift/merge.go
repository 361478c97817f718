package drift

import "math"

// The two merge walks below are the hot loops of KS and Wasserstein over
// sorted streams: one comparison picks the smaller head, and the choice is
// turned into arithmetic rather than a branch, because for two samples of
// one distribution the choice is a coin flip a branch predictor loses.

// ksExtremes holds where n1*n2*(F_ref - F_cur) = i*n2 - j*n1 is largest
// and smallest, in exact integers.
type ksExtremes struct {
	maxDiff, maxI, maxJ int64
	minDiff, minI, minJ int64
}

func (e *ksExtremes) note(i, j, n1, n2 int64) {
	d := i*n2 - j*n1
	if d > e.maxDiff {
		e.maxDiff, e.maxI, e.maxJ = d, i, j
	} else if d < e.minDiff {
		e.minDiff, e.minI, e.minJ = d, i, j
	}
}

// walkKS merges the streams. The CDF gap is only a candidate between
// distinct values (all ties on both sides consumed), so it is noted when
// the next value differs from the last one. Once a stream is done the gap
// moves monotonically to 0, so the rest need not be walked, only checked.
func walkKS(a, b *sortedReader, n1, n2 int64) (ksExtremes, error) {
	var e ksExtremes
	var i, j int64
	prev := math.Inf(-1)
	for a.has() && b.has() {
		// Locals keep the hot loop in registers until a chunk runs out.
		ab, bb, ak, bk := a.buf, b.buf, a.k, b.k
		for ak < len(ab) && bk < len(bb) {
			x, y := ab[ak], bb[bk]
			v, t := y, 0
			if x <= y {
				v, t = x, 1
			}
			if v != prev {
				e.note(i, j, n1, n2)
				prev = v
			}
			i += int64(t)
			j += int64(1 - t)
			ak += t
			bk += 1 - t
		}
		a.k, b.k = ak, bk
	}
	i += a.skip(prev)
	j += b.skip(prev)
	e.note(i, j, n1, n2)
	if err := a.drain(); err != nil {
		return e, err
	}
	return e, b.drain()
}

// walkArea merges the streams and returns n1*n2 times the area between the
// empirical CDFs: between consecutive values the gap is constant, so each
// value adds |gap| * (value - previous value) and then moves the gap. Ties
// need no grouping: they add zero width.
func walkArea(a, b *sortedReader, n1, n2 int64) (float64, error) {
	var area kahan
	var gap int64 // i*n2 - j*n1
	prev := min(a.buf[a.k], b.buf[b.k])
	for a.has() && b.has() {
		// A plain sum per chunk (at most 2*chunkLen positive terms, so a
		// relative error below 1e-12), compensated across chunks.
		ab, bb, ak, bk := a.buf, b.buf, a.k, b.k
		part := 0.0
		for ak < len(ab) && bk < len(bb) {
			x, y := ab[ak], bb[bk]
			v, t := y, 0
			if x <= y {
				v, t = x, 1
			}
			part += float64(abs64(gap)) * (v - prev)
			prev = v
			gap += int64(t)*n2 - int64(1-t)*n1
			ak += t
			bk += 1 - t
		}
		area.add(part)
		a.k, b.k = ak, bk
	}
	for _, tail := range []struct {
		r    *sortedReader
		step int64
	}{{a, n2}, {b, -n1}} {
		for tail.r.has() {
			part := 0.0
			for _, v := range tail.r.buf[tail.r.k:] {
				part += float64(abs64(gap)) * (v - prev)
				prev = v
				gap += tail.step
			}
			area.add(part)
			tail.r.k = len(tail.r.buf)
		}
		if tail.r.err != nil {
			return 0, tail.r.err
		}
	}
	return area.sum(), nil
}

// abs64 without a branch: the gap's sign flips unpredictably when the two
// distributions are close.
func abs64(x int64) int64 {
	m := x >> 63
	return (x ^ m) - m
}
