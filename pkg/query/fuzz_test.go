package query

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Bucket and duration settings come from query JSON and dashboard variables. Run a
// target for longer with
//
//	go test ./pkg/query -run '^$' -fuzz '^FuzzParseDuration$' -fuzztime 5m
//
// scripts/fuzz.sh runs each for a few seconds (FUZZTIME); inputs that once failed
// stay in testdata/fuzz/<target>/ and run with every go test.

func seedDurations(f *testing.F) {
	for _, s := range []string{
		"5m", "1h30m", "1d", "2w", "0.5d", "", " ", "-1h", "0d", "xd", "fortnight", "d", "w",
		"1e300d", "1e-300w", "NaNd", "+Infw", "-Infd", "9223372036854775807ns", "2562048h",
		"106752d", "15250w", "1.5d ", "\xffd", "1d; DROP TABLE incidents", "0x10d", "1_000d",
	} {
		f.Add(s)
	}
}

// FuzzParseDuration: no panic; a duration is positive or refused with an error that
// quotes the input; day and week forms agree with the same number of hours.
func FuzzParseDuration(f *testing.F) {
	seedDurations(f)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if strings.TrimSpace(s) != "" && !strings.Contains(err.Error(), "duration") {
				t.Fatalf("ParseDuration(%q) error %q does not say what was wrong", s, err)
			}
			return
		}
		if d <= 0 {
			t.Fatalf("ParseDuration(%q) = %v, want a positive duration or an error", s, d)
		}
		trimmed := strings.TrimSpace(s)
		if u := trimmed[len(trimmed)-1]; u == 'd' || u == 'w' {
			hours := 24.0
			if u == 'w' {
				hours = 7 * 24
			}
			// "1.5d" and "36h" are the same duration, to the nanosecond rounding of a float.
			want := time.Duration(0)
			if n, perr := strconv.ParseFloat(trimmed[:len(trimmed)-1], 64); perr == nil {
				want = time.Duration(n * hours * float64(time.Hour))
			}
			if diff := math.Abs(float64(d - want)); diff > 1e-9*math.Abs(float64(want))+1 {
				t.Fatalf("ParseDuration(%q) = %v, want %v", s, d, want)
			}
		}
	})
}

// FuzzResolveBuckets: no panic; a fixed bucket is at least a minute and yields no
// more than DefaultMaxBuckets buckets over the range, and neither does "auto"; every
// instant falls in the bucket Start says.
func FuzzResolveBuckets(f *testing.F) {
	seedDurations(f)
	f.Add("auto")
	f.Add("none")
	f.Fuzz(func(t *testing.T, setting string) {
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, span := range []time.Duration{time.Hour, 90 * 24 * time.Hour, 200 * 365 * 24 * time.Hour} {
			for _, env := range []Env{
				{From: from, To: from.Add(span)},
				{From: from, To: from.Add(span), Interval: 17 * time.Second, MaxDataPoints: 300},
				{From: from, To: from.Add(span), Interval: time.Duration(math.MaxInt64)},
			} {
				b, err := ResolveBuckets(setting, env)
				if err != nil {
					if !strings.Contains(err.Error(), "bucket") {
						t.Fatalf("ResolveBuckets(%q) error %q does not name the bucket", setting, err)
					}
					continue
				}
				if b.Width == 0 {
					continue
				}
				if b.Width < time.Minute {
					t.Fatalf("ResolveBuckets(%q) width %v is below a minute", setting, b.Width)
				}
				if n := int64(span/b.Width) + 1; n > DefaultMaxBuckets+1 {
					t.Fatalf("ResolveBuckets(%q) over %v gives %d buckets, more than %d", setting, span, n, DefaultMaxBuckets)
				}
				for _, at := range []time.Time{from, from.Add(span / 3), from.Add(-time.Millisecond), time.UnixMilli(0), time.UnixMilli(-1)} {
					start := b.Start(at)
					if at.Before(start) || !at.Before(start.Add(b.Width)) {
						t.Fatalf("ResolveBuckets(%q): %v is not in the bucket [%v, +%v) Start gives", setting, at, start, b.Width)
					}
				}
			}
		}
	})
}
