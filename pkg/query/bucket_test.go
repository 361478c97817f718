package query

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"5m", 5 * time.Minute, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"1d", 24 * time.Hour, ""},
		{"2w", 14 * 24 * time.Hour, ""},
		{"0.5d", 12 * time.Hour, ""},
		{"", 0, "empty"},
		{"-1h", 0, "positive"},
		{"0d", 0, "positive"},
		{"xd", 0, "positive number"},
		{"fortnight", 0, "forms such as"},
	}
	for _, c := range cases {
		got, err := ParseDuration(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseDuration(%q) error %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestResolveBuckets(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	env := func(span, interval time.Duration, maxPoints int64) Env {
		return Env{From: from, To: from.Add(span), Interval: interval, MaxDataPoints: maxPoints}
	}
	cases := []struct {
		name    string
		setting string
		env     Env
		want    time.Duration
		err     string
	}{
		{"none", "none", env(24*time.Hour, time.Minute, 0), 0, ""},
		{"auto rounds the interval up", "auto", env(24*time.Hour, 40*time.Second, 0), time.Minute, ""},
		{"auto rounds 20m up to 30m", "", env(24*time.Hour, 20*time.Minute, 0), 30 * time.Minute, ""},
		{"auto keeps within max data points", "auto", env(30*24*time.Hour, time.Minute, 100), 12 * time.Hour, ""},
		{"fixed", "1d", env(7*24*time.Hour, time.Minute, 0), 24 * time.Hour, ""},
		{"fixed too fine for the range", "1m", env(365*24*time.Hour, 0, 0), 0, "more than the"},
		{"below a minute", "30s", env(time.Hour, 0, 0), 0, "1m minimum"},
		{"garbage", "often", env(time.Hour, 0, 0), 0, "bucket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := ResolveBuckets(c.setting, c.env)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil || b.Width != c.want {
				t.Fatalf("width %v, %v; want %v", b.Width, err, c.want)
			}
		})
	}
}

func TestWeeksStartOnMonday(t *testing.T) {
	b, err := ResolveBuckets("1w", Env{From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	// 2024-01-10 is a Wednesday; its ISO week starts Monday 2024-01-08.
	got := b.Start(time.Date(2024, 1, 10, 15, 0, 0, 0, time.UTC))
	if want := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC); !got.Equal(want) || got.Weekday() != time.Monday {
		t.Fatalf("week start %s, want %s", got, want)
	}
	starts := b.Range(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC))
	if len(starts) != 2 || !starts[0].Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("range %v", starts)
	}
}

func TestBucketSQLMatchesStart(t *testing.T) {
	// The SQL expression and Start must agree, or SQL-grouped rows would miss their bucket.
	b := Buckets{Width: 7 * 24 * time.Hour, Offset: mondayOffset}
	if got := b.SQL("t"); got != "((t - 345600000) / 604800000 * 604800000 + 345600000)" {
		t.Fatalf("SQL %s", got)
	}
	ts := time.Date(2024, 3, 14, 9, 26, 53, 0, time.UTC)
	ms := ts.UnixMilli()
	w, off := b.Width.Milliseconds(), b.Offset.Milliseconds()
	if sqlStart := (ms-off)/w*w + off; sqlStart != b.Start(ts).UnixMilli() {
		t.Fatalf("SQL bucket %d != Start %d", sqlStart, b.Start(ts).UnixMilli())
	}
}

func TestWhereNumbersPlaceholders(t *testing.T) {
	w := &Where{}
	w.Add("a >= ?", 1)
	if err := w.Filters(Dimensions{"service": "service", "team": "team"}, map[string][]string{"team": {"x"}, "service": {"a", "b"}, "empty": nil}); err != nil {
		t.Fatal(err)
	}
	if got := w.SQL(); got != " WHERE a >= $1 AND service IN ($2, $3) AND team IN ($4)" {
		t.Fatalf("SQL %q", got)
	}
	if len(w.Args()) != 4 {
		t.Fatalf("args %v", w.Args())
	}
	if err := w.Filters(Dimensions{"service": "service"}, map[string][]string{"title": {"x"}}); err == nil {
		t.Fatal("filter on a dimension outside the allow-list accepted")
	}
}

func TestFloorAndCeilDiv(t *testing.T) {
	cases := []struct{ a, b, floor, ceil int64 }{
		{7, 2, 3, 4}, {-7, 2, -4, -3}, {6, 3, 2, 2}, {-6, 3, -2, -2}, {0, 5, 0, 0}, {-1, 86_400_000, -1, 0},
	}
	for _, c := range cases {
		if got := FloorDiv(c.a, c.b); got != c.floor {
			t.Errorf("FloorDiv(%d, %d) = %d, want %d", c.a, c.b, got, c.floor)
		}
		if got := CeilDiv(c.a, c.b); got != c.ceil {
			t.Errorf("CeilDiv(%d, %d) = %d, want %d", c.a, c.b, got, c.ceil)
		}
	}
}

func TestSplitDays(t *testing.T) {
	const d = 10
	cases := []struct {
		name     string
		from, to int64
		serves   bool
		days     [2]int64
		ends     [][2]int64
	}{
		{"aligned", 20, 50, true, [2]int64{20, 50}, nil},
		{"ragged both ends", 15, 57, true, [2]int64{20, 50}, [][2]int64{{15, 20}, {50, 57}}},
		{"within one cell", 21, 29, true, [2]int64{29, 29}, [][2]int64{{21, 29}}},
		{"across one boundary", 25, 35, true, [2]int64{35, 35}, [][2]int64{{25, 35}}},
		{"not served", 15, 57, false, [2]int64{57, 57}, [][2]int64{{15, 57}}},
		{"before 1970", -25, 35, true, [2]int64{35, 35}, [][2]int64{{-25, 35}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := SplitDays(c.from, c.to, d, c.serves)
			if got.Days != c.days || !reflect.DeepEqual(got.Ends, c.ends) {
				t.Fatalf("got %v %v, want %v %v", got.Days, got.Ends, c.days, c.ends)
			}
		})
	}
}
