package slo

import (
	"fmt"
	"time"
)

// periodOf returns the calendar period (UTC) that an instant closes: the period
// holding the millisecond just before it. Evaluating "at" the first instant of
// May thus reads April, the period that has just ended.
func periodOf(kind string, atMs int64) (start, end int64) {
	t := time.UnixMilli(atMs - 1).UTC()
	var s, e time.Time
	switch kind {
	case Week:
		// ISO weeks start on Monday.
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		offset := (int(day.Weekday()) + 6) % 7
		s = day.AddDate(0, 0, -offset)
		e = s.AddDate(0, 0, 7)
	case Quarter:
		m := time.Month((int(t.Month())-1)/3*3 + 1)
		s = time.Date(t.Year(), m, 1, 0, 0, 0, 0, time.UTC)
		e = s.AddDate(0, 3, 0)
	default: // Month
		s = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		e = s.AddDate(0, 1, 0)
	}
	return s.UnixMilli(), e.UnixMilli()
}

// periodsOverlapping lists the periods that overlap [from, to), in order.
func periodsOverlapping(kind string, from, to int64) [][2]int64 {
	var out [][2]int64
	s, e := periodOf(kind, from+1)
	for s < to {
		out = append(out, [2]int64{s, e})
		s, e = periodOf(kind, e+1)
	}
	return out
}

// periodLabel reads "2024-05", "2024-Q2" or "2024-W18".
func periodLabel(kind string, startMs int64) string {
	t := time.UnixMilli(startMs).UTC()
	switch kind {
	case Quarter:
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
	case Week:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	return t.Format("2006-01")
}
