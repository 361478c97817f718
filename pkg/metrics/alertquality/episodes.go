package alertquality

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// episode is one alert: every notification of (source, fingerprint, starts_at).
type episode struct {
	source, fingerprint string
	start               int64 // Unix ms
	end                 int64 // Unix ms of the resolution; 0 while unresolved
	notifications       int
	// dims holds the alert dimensions by name (alertname, service, ...).
	dims map[string]string
	// Classification (classify).
	inRange, flapping, shortLived, actionable bool
}

func (e *episode) resolved() bool { return e.end != 0 }

// duration is how long a resolved alert fired, in seconds.
func (e *episode) duration() float64 { return float64(e.end-e.start) / 1000 }

// group returns the episode's values of the group-by dimensions.
func (e *episode) group(groupBy []string) []string {
	out := make([]string, len(groupBy))
	for i, g := range groupBy {
		out[i] = e.dims[g]
	}
	return out
}

// episodeColumns are read per notification, in this order, after the key columns.
var episodeColumns = []string{"alertname", "service", "team", "severity", "receiver"}

// loadEpisodes reads the alerts that started in the range (with every notification
// of them) and, for flapping, the alerts that resolved up to flap before it. The
// result is sorted by source, fingerprint and start.
func (p *plan) loadEpisodes(ctx context.Context) ([]*episode, error) {
	from, to := p.env.From.UnixMilli(), p.env.To.UnixMilli()
	w := &query.Where{}
	w.Add("starts_at >= ?", from)
	w.Add("starts_at < ?", to)
	if err := w.Filters(alertDimensions, p.q.Filters); err != nil {
		return nil, err
	}
	byKey := map[string]*episode{}
	var out []*episode
	cols := "source, fingerprint, starts_at, status, ends_at, " + strings.Join(episodeColumns, ", ")
	err := p.scan(ctx, "SELECT "+cols+" FROM alert_events"+w.SQL()+" ORDER BY source, fingerprint, starts_at, received_at", w.Args(),
		func(src, fp string, start int64, status string, end sql.NullInt64, dims []string) {
			key := src + "\x00" + fp + "\x00" + fmt.Sprint(start)
			e, ok := byKey[key]
			if !ok {
				e = &episode{source: src, fingerprint: fp, start: start, inRange: true, dims: map[string]string{"source": src}}
				for i, c := range episodeColumns {
					e.dims[c] = dims[i]
				}
				byKey[key] = e
				out = append(out, e)
			}
			e.notifications++
			if status == "resolved" && end.Valid && end.Int64 > e.end {
				e.end = end.Int64
			}
		})
	if err != nil {
		return nil, err
	}
	// Alerts before the range that resolved within flap of it: the previous firing
	// of an alert the range holds.
	before := &query.Where{}
	before.Add("status = 'resolved'")
	before.Add("ends_at >= ?", from-p.opts.flap.Milliseconds())
	before.Add("ends_at < ?", to)
	before.Add("starts_at < ?", from)
	if err := before.Filters(alertDimensions, p.q.Filters); err != nil {
		return nil, err
	}
	err = p.scan(ctx, "SELECT "+cols+" FROM alert_events"+before.SQL(), before.Args(),
		func(src, fp string, start int64, _ string, end sql.NullInt64, _ []string) {
			key := src + "\x00" + fp + "\x00" + fmt.Sprint(start)
			if e, ok := byKey[key]; ok {
				e.end = max(e.end, end.Int64)
				return
			}
			e := &episode{source: src, fingerprint: fp, start: start, end: end.Int64}
			byKey[key] = e
			out = append(out, e)
		})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.source != b.source {
			return a.source < b.source
		}
		if a.fingerprint != b.fingerprint {
			return a.fingerprint < b.fingerprint
		}
		return a.start < b.start
	})
	return out, nil
}

func (p *plan) scan(ctx context.Context, sqlText string, args []any, fn func(src, fp string, start int64, status string, end sql.NullInt64, dims []string)) error {
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fmt.Errorf("querying alert events: %w", err)
	}
	defer rows.Close()
	var src, fp, status string
	var start int64
	var end sql.NullInt64
	dims := make([]string, len(episodeColumns))
	dest := []any{&src, &fp, &start, &status, &end}
	for i := range dims {
		dest = append(dest, &dims[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading alert events: %w", err)
		}
		fn(src, fp, start, status, end, dims)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading alert events: %w", err)
	}
	return nil
}

// classify marks each episode in the range: flapping when the previous firing of
// the same alert resolved at most flap before it started; actionable when
// acknowledged or linked to an incident; short-lived when resolved within short
// and not actionable. episodes must be sorted as loadEpisodes sorts them.
func (p *plan) classify(episodes []*episode, l links) {
	flap, short := p.opts.flap.Milliseconds(), p.opts.short.Milliseconds()
	for i, e := range episodes {
		if !e.inRange {
			continue
		}
		if i > 0 {
			prev := episodes[i-1]
			if prev.source == e.source && prev.fingerprint == e.fingerprint && prev.resolved() {
				gap := e.start - prev.end
				e.flapping = gap >= 0 && gap <= flap
			}
		}
		e.actionable = l.acknowledged(e) || l.linked(e)
		e.shortLived = e.resolved() && e.end-e.start <= short && !e.actionable
	}
}

// timeMs turns Unix milliseconds into a UTC time.
func timeMs(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
