package bench

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeRange resolves a dashboard's saved range (Grafana's relative syntax: now,
// now-30d, now-1d/d, now/w; or an absolute RFC 3339 time or Unix milliseconds)
// with "now" anchored at the data set's end.
func TimeRange(from, to string, now time.Time) (time.Time, time.Time, error) {
	f, err := relativeTime(from, now)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("time.from %q: %w", from, err)
	}
	t, err := relativeTime(to, now)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("time.to %q: %w", to, err)
	}
	if !t.After(f) {
		return time.Time{}, time.Time{}, fmt.Errorf("time range %q to %q is empty", from, to)
	}
	return f, t, nil
}

func relativeTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "now") {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.UnixMilli(ms).UTC(), nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("want now[-+N unit][/unit], an RFC 3339 time or Unix milliseconds")
		}
		return t.UTC(), nil
	}
	t := now.UTC()
	rest := s[len("now"):]
	for rest != "" {
		switch rest[0] {
		case '/':
			unit := rest[1:]
			r, err := roundDown(t, unit)
			if err != nil {
				return time.Time{}, err
			}
			t, rest = r, ""
		case '-', '+':
			sign := 1
			if rest[0] == '-' {
				sign = -1
			}
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			n, err := strconv.Atoi(rest[1:i])
			if err != nil || i >= len(rest) {
				return time.Time{}, fmt.Errorf("want a number and a unit (s, m, h, d, w, M, y) after %q", rest[:1])
			}
			unit := rest[i : i+1]
			t, err = shift(t, sign*n, unit)
			if err != nil {
				return time.Time{}, err
			}
			rest = rest[i+1:]
		default:
			return time.Time{}, fmt.Errorf("unexpected %q", rest)
		}
	}
	return t, nil
}

func shift(t time.Time, n int, unit string) (time.Time, error) {
	switch unit {
	case "s":
		return t.Add(time.Duration(n) * time.Second), nil
	case "m":
		return t.Add(time.Duration(n) * time.Minute), nil
	case "h":
		return t.Add(time.Duration(n) * time.Hour), nil
	case "d":
		return t.AddDate(0, 0, n), nil
	case "w":
		return t.AddDate(0, 0, 7*n), nil
	case "M":
		return t.AddDate(0, n, 0), nil
	case "y":
		return t.AddDate(n, 0, 0), nil
	}
	return time.Time{}, fmt.Errorf("unknown unit %q; use s, m, h, d, w, M or y", unit)
}

// roundDown is Grafana's "/unit": the start of the unit containing t (weeks start Monday).
func roundDown(t time.Time, unit string) (time.Time, error) {
	y, mo, d := t.Date()
	switch unit {
	case "s", "m", "h":
		step := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[unit]
		return t.Truncate(step), nil
	case "d":
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), nil
	case "w":
		day := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)), nil
	case "M":
		return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), nil
	case "y":
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("unknown rounding unit %q; use s, m, h, d, w, M or y", unit)
}
