package promql

import (
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

var day = 24 * time.Hour

func TestAutoStepGrafanaRules(t *testing.T) {
	from := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name          string
		span          time.Duration
		interval      time.Duration
		maxDataPoints int64
		minStep       time.Duration
		want          time.Duration
	}{
		// 86400 s / 1000 = 86.4 s, at least the 1m floor, rounds (≤ 90 s) to 1m; safe 86400/11000 = 7.9 s → 10 s.
		{"24h panel at 1m interval", day, time.Minute, 1000, 0, time.Minute},
		// no maxDataPoints: 1500 → 57.6 s, above the 15 s scrape floor, rounds to 1m.
		{"defaults", day, 0, 0, 0, time.Minute},
		// 3600 s / 1000 = 3.6 s is under the floor max(1 s, 15 s scrape) → 15 s, not rounded.
		{"short range floors at the scrape interval", time.Hour, time.Second, 1000, 0, 15 * time.Second},
		// min step replaces the floor: 3.6 s < 5m → 5m.
		{"min step", time.Hour, time.Second, 1000, 5 * time.Minute, 5 * time.Minute},
		// alerting's 43200 points over 7d: 14 s < 15 s → 15 s; the safe interval 604800/11000 = 55 s rounds to 1m and wins.
		{"alert rule over 7d: the 11,000-point safe interval", 7 * day, time.Second, 43200, 0, time.Minute},
		// 30d / 1000 = 2592 s (43.2 min) rounds (≤ 45 min) to 30m.
		{"30 days", 30 * day, 30 * time.Minute, 1000, 0, 30 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := query.Env{From: from, To: from.Add(c.span), Interval: c.interval, MaxDataPoints: c.maxDataPoints}
			if got := autoStep(env, c.minStep, 15*time.Second); got != c.want {
				t.Fatalf("step %s, want %s", got, c.want)
			}
		})
	}
}

func TestCapSteps(t *testing.T) {
	cases := []struct {
		name       string
		span, step time.Duration
		want       time.Duration
		ok         bool
	}{
		{"7d at 1m: 10080 steps pass", 7 * day, time.Minute, time.Minute, true},
		{"exactly 10999 steps pass (alignment may add one)", 10999 * time.Second, time.Second, time.Second, true},
		// 2592000 s / 10999 = 235.66 s → 236 s
		{"30d at 30s is raised", 30 * day, 30 * time.Second, 236 * time.Second, false},
		// Grafana's safe interval rounds 40 s down to 30 s (14,667 steps, which Prometheus
		// refuses); 440000 s / 10999 = 40.004 s → 41 s.
		{"a rounded-down safe interval is raised", 440000 * time.Second, 30 * time.Second, 41 * time.Second, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := capSteps(c.span, c.step)
			if got != c.want || ok != c.ok {
				t.Fatalf("capSteps = %s %v, want %s %v", got, ok, c.want, c.ok)
			}
			from := time.Date(2024, 3, 1, 0, 0, 27, 0, time.UTC)
			if r := alignedRange(from, from.Add(c.span), got); r.End.Sub(r.Start)/got > MaxSteps {
				t.Fatalf("aligned range has %d steps", r.End.Sub(r.Start)/got)
			}
		})
	}
}

func TestAlignedRange(t *testing.T) {
	from := time.Date(2024, 3, 1, 10, 0, 27, 0, time.UTC)
	r := alignedRange(from, from.Add(time.Hour+18*time.Second), time.Minute)
	if !r.Start.Equal(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)) || !r.End.Equal(time.Date(2024, 3, 1, 11, 0, 0, 0, time.UTC)) || r.Points() != 61 {
		t.Fatalf("%+v (%d points)", r, r.Points())
	}
	// Before the epoch, alignment still goes down (floor, not truncation).
	neg := alignedRange(time.UnixMilli(-90_000), time.UnixMilli(0), time.Minute)
	if neg.Start.UnixMilli() != -120_000 {
		t.Fatalf("%v", neg.Start.UnixMilli())
	}
}

func TestInterpolate(t *testing.T) {
	// step 1m, scrape 15s: $__rate_interval = max(1m + 15s, 4 × 15s) = 75 s; range 1h = 3600 s.
	got := interpolate(`rate(x[$__rate_interval]) / rate(y[${__rate_interval}]) + $__rate_interval_ms + avg_over_time(z[$__interval]) + $__interval_ms + ${__interval} + $__range_ms + $__range_s + $__range + q`,
		time.Minute, 15*time.Second, time.Hour)
	want := `rate(x[1m15s]) / rate(y[1m15s]) + 75000 + avg_over_time(z[1m]) + 60000 + 1m + 3600000 + 3600 + 3600s + q`
	if got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	// A long step: 4 × scrape is smaller, so rate interval = step + scrape = 5m15s.
	if got := interpolate(`$__rate_interval`, 5*time.Minute, 15*time.Second, day); got != "5m15s" {
		t.Fatalf("%s", got)
	}
}

func TestNames(t *testing.T) {
	labels := map[string]string{"__name__": "http_latency", "service": "api", "env": "prod"}
	cases := []struct{ got, want string }{
		{legendName("{{service}} p95", labels), "api p95"},
		{legendName("{{ service }}/{{env}} ({{missing}})", labels), "api/prod ()"},
		{defaultName(labels, "x"), `http_latency{env="prod", service="api"}`},
		{defaultName(map[string]string{"__name__": "up"}, "x"), "up"},
		{defaultName(map[string]string{"job": "a\"b"}, "x"), `{job="a\"b"}`},
		{defaultName(map[string]string{}, "sum(\n  rate(x[5m])\n)"), "sum( rate(x[5m]) )"},
		{formatDuration(90 * time.Minute), "1h30m"},
		{formatDuration(36*time.Hour + 250*time.Millisecond), "1d12h250ms"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %q, want %q", i, c.got, c.want)
		}
	}
}
