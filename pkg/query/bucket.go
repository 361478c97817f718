package query

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Buckets are fixed-width time intervals aligned to the Unix epoch, except weeks,
// which start on Monday 00:00 UTC as ISO weeks do.
type Buckets struct {
	// Width is 0 when the query asks for one value over the whole range.
	Width time.Duration
	// Offset shifts bucket boundaries from the epoch (weeks: to a Monday).
	Offset time.Duration
}

// DefaultMaxBuckets bounds how many buckets a query may produce.
const DefaultMaxBuckets = 10000

// niceWidths are what "auto" rounds the panel interval up to.
var niceWidths = []time.Duration{
	time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 7 * 24 * time.Hour, 28 * 24 * time.Hour,
}

const week = 7 * 24 * time.Hour

// mondayOffset: the epoch was a Thursday; the first Monday is four days later.
const mondayOffset = 4 * 24 * time.Hour

// ResolveBuckets turns the query's bucket setting into bucket boundaries.
func ResolveBuckets(setting string, env Env) (Buckets, error) {
	maxBuckets := int64(DefaultMaxBuckets)
	if env.MaxDataPoints > 0 && env.MaxDataPoints < maxBuckets {
		maxBuckets = env.MaxDataPoints
	}
	span := env.To.Sub(env.From)
	switch strings.TrimSpace(setting) {
	case "none":
		return Buckets{}, nil
	case "", "auto":
		want := env.Interval
		if min := span / time.Duration(maxBuckets); want < min {
			want = min
		}
		for _, w := range niceWidths {
			if w >= want {
				return withOffset(w), nil
			}
		}
		return withOffset(niceWidths[len(niceWidths)-1]), nil
	}
	w, err := ParseDuration(setting)
	if err != nil {
		return Buckets{}, fmt.Errorf("bucket: %w", err)
	}
	if w < time.Minute {
		return Buckets{}, fmt.Errorf("bucket %q is shorter than the 1m minimum", setting)
	}
	if n := int64(span / w); n > DefaultMaxBuckets {
		return Buckets{}, fmt.Errorf("bucket %q over this time range gives %d buckets, more than the %d allowed; choose a wider bucket", setting, n, DefaultMaxBuckets)
	}
	return withOffset(w), nil
}

func withOffset(w time.Duration) Buckets {
	if w%week == 0 {
		return Buckets{Width: w, Offset: mondayOffset}
	}
	return Buckets{Width: w}
}

// Start returns the start of the bucket holding t.
func (b Buckets) Start(t time.Time) time.Time {
	ms := t.UnixMilli() - b.Offset.Milliseconds()
	w := b.Width.Milliseconds()
	q := ms / w
	if ms < 0 && ms%w != 0 {
		q-- // floor, not truncation, before the epoch
	}
	return time.UnixMilli(q*w + b.Offset.Milliseconds()).UTC()
}

// Range lists the starts of every bucket overlapping [from, to).
func (b Buckets) Range(from, to time.Time) []time.Time {
	var out []time.Time
	for t := b.Start(from); t.Before(to); t = t.Add(b.Width) {
		out = append(out, t)
	}
	return out
}

// SQL returns an expression for the bucket start (Unix ms) of the ms column col,
// with the width and offset as literal integers (computed here, never from input text).
func (b Buckets) SQL(col string) string {
	w := b.Width.Milliseconds()
	off := b.Offset.Milliseconds()
	return fmt.Sprintf("((%s - %d) / %d * %d + %d)", col, off, w, w, off)
}

// ParseDuration accepts Go durations and the day and week units dashboards use ("1d", "2w").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	unit := s[len(s)-1]
	if unit == 'd' || unit == 'w' {
		n, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err != nil || !(n > 0) { // !(n > 0) also refuses NaN
			return 0, fmt.Errorf("duration %q: want a positive number before %q", s, string(unit))
		}
		d := 24 * time.Hour
		if unit == 'w' {
			d = week
		}
		// Converting a float beyond int64 to a Duration wraps to a negative value.
		ns := n * float64(d)
		if ns >= math.MaxInt64 {
			return 0, fmt.Errorf("duration %q is longer than the %v maximum", s, time.Duration(math.MaxInt64).Truncate(time.Hour))
		}
		if ns < 1 {
			return 0, fmt.Errorf("duration %q must be positive", s)
		}
		return time.Duration(ns), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: use forms such as 30s, 5m, 1h, 1d, 1w", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q must be positive", s)
	}
	return d, nil
}

// FloorDiv is a/b rounded toward negative infinity (Go's / rounds toward zero), for
// aligning instants before 1970 to days and buckets as well as after.
func FloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// CeilDiv is a/b rounded toward positive infinity.
func CeilDiv(a, b int64) int64 { return -FloorDiv(-a, b) }

// AlignedTo says whether every bucket is a whole number of cells of width ms starting on
// a cell boundary (true unbucketed): then a rollup of such cells can answer it.
func (b Buckets) AlignedTo(ms int64) bool {
	return b.Width == 0 || (b.Width.Milliseconds()%ms == 0 && b.Offset.Milliseconds()%ms == 0)
}

// DaySplit is a range [from, to) cut for a daily rollup: Days, the whole cells it
// answers (empty when Days[0] >= Days[1]), and Ends, the ragged ends (and, when the
// rollup cannot serve, the whole range) that the rows answer.
type DaySplit struct {
	Days [2]int64
	Ends [][2]int64
}

// SplitDays cuts [from, to) (Unix ms) into cells of width day for a rollup that can
// serve the query (serves), from 1970 on (integer division truncates before it), and
// the ends around them.
func SplitDays(from, to, day int64, serves bool) DaySplit {
	dStart, dEnd := CeilDiv(from, day)*day, FloorDiv(to, day)*day
	if !serves || dStart < 0 || dEnd <= dStart {
		dStart, dEnd = to, to
	}
	sp := DaySplit{Days: [2]int64{dStart, dEnd}}
	for _, r := range [][2]int64{{from, min(dStart, to)}, {max(dEnd, from), to}} {
		if r[0] < r[1] {
			sp.Ends = append(sp.Ends, r)
		}
	}
	return sp
}
