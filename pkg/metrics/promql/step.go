package promql

import (
	"fmt"
	"time"

	"github.com/kaizenops/suite/pkg/prometheus"
	"github.com/kaizenops/suite/pkg/query"
)

// MaxSteps is Prometheus' own limit: it refuses a range query whose
// (end − start) / step is above 11,000.
const MaxSteps = 11000

// defaultMaxDataPoints is what Grafana assumes when a request gives none.
const defaultMaxDataPoints = 1500

// autoStep is the step of Grafana's Prometheus data source: the smallest step
// (prometheus.step, else the panel interval floored at the scrape interval) or the
// range over maxDataPoints rounded to a round interval, whichever is larger, and
// at least the range over 11,000 rounded likewise (pkg/promlib's
// calculatePrometheusInterval with intervalv2's Calculate and CalculateSafeInterval).
func autoStep(env query.Env, minStep, scrape time.Duration) time.Duration {
	span := env.To.Sub(env.From)
	floor := minStep
	if floor == 0 {
		floor = max(env.Interval, scrape)
	}
	points := env.MaxDataPoints
	if points <= 0 {
		points = defaultMaxDataPoints
	}
	step := span / time.Duration(points)
	if step < floor {
		step = floor
	} else {
		step = roundInterval(step)
	}
	return max(step, roundInterval(span/MaxSteps))
}

// capSteps raises a step so that the aligned range has at most MaxSteps steps:
// alignment can add up to one step before the range, so the step must be at least
// span / (MaxSteps − 1); it is rounded up to a whole second. ok is false when the
// step was raised.
func capSteps(span, step time.Duration) (time.Duration, bool) {
	if span/step <= MaxSteps-1 {
		return step, true
	}
	need := (span + MaxSteps - 2) / (MaxSteps - 1)
	return ((need + time.Second - 1) / time.Second) * time.Second, false
}

// alignedRange aligns start and end down to multiples of the step since the
// epoch, as Grafana's Prometheus data source does (with a UTC offset of 0), so
// points fall on the same times whatever the dashboard's exact range.
func alignedRange(from, to time.Time, step time.Duration) prometheus.Range {
	s := step.Milliseconds()
	align := func(t time.Time) time.Time {
		ms := t.UnixMilli()
		q := ms / s
		if ms < 0 && ms%s != 0 {
			q--
		}
		return time.UnixMilli(q * s).UTC()
	}
	return prometheus.Range{Start: align(from), End: align(to), Step: step}
}

// formatDuration writes a duration as PromQL reads it: 1h30m, 15s, 250ms.
func formatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	out := ""
	for _, u := range []struct {
		unit string
		d    time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}} {
		if n := d / u.d; n > 0 {
			out += fmt.Sprintf("%d%s", n, u.unit)
			d -= n * u.d
		}
	}
	if out == "" {
		return "1ms"
	}
	return out
}

// roundSteps are Grafana's round intervals: an interval up to Limit becomes Step
// (gtime.RoundInterval of the plugin SDK; that package pulls in a date-math module
// this repository does not otherwise need, so the table is repeated here).
var roundSteps = []struct{ limit, step time.Duration }{
	{10 * time.Millisecond, time.Millisecond}, {15 * time.Millisecond, 10 * time.Millisecond},
	{35 * time.Millisecond, 20 * time.Millisecond}, {75 * time.Millisecond, 50 * time.Millisecond},
	{150 * time.Millisecond, 100 * time.Millisecond}, {350 * time.Millisecond, 200 * time.Millisecond},
	{750 * time.Millisecond, 500 * time.Millisecond}, {1500 * time.Millisecond, time.Second},
	{3500 * time.Millisecond, 2 * time.Second}, {7500 * time.Millisecond, 5 * time.Second},
	{12500 * time.Millisecond, 10 * time.Second}, {17500 * time.Millisecond, 15 * time.Second},
	{25 * time.Second, 20 * time.Second}, {45 * time.Second, 30 * time.Second},
	{90 * time.Second, time.Minute}, {210 * time.Second, 2 * time.Minute},
	{450 * time.Second, 5 * time.Minute}, {750 * time.Second, 10 * time.Minute},
	{1050 * time.Second, 15 * time.Minute}, {1500 * time.Second, 20 * time.Minute},
	{2700 * time.Second, 30 * time.Minute}, {5400 * time.Second, time.Hour},
	{9000 * time.Second, 2 * time.Hour}, {16200 * time.Second, 3 * time.Hour},
	{32400 * time.Second, 6 * time.Hour}, {24 * time.Hour, 12 * time.Hour},
	{48 * time.Hour, 24 * time.Hour}, {7 * 24 * time.Hour, 24 * time.Hour},
	{21 * 24 * time.Hour, 7 * 24 * time.Hour},
}

func roundInterval(d time.Duration) time.Duration {
	for _, r := range roundSteps {
		if d <= r.limit {
			return r.step
		}
	}
	if d < 2*365*24*time.Hour {
		return 30 * 24 * time.Hour
	}
	return 365 * 24 * time.Hour
}
