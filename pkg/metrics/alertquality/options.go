package alertquality

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Defaults of the alert-quality options (docs/improvement.md).
const (
	DefaultFlapMinutes  = 30
	DefaultShortMinutes = 5
	DefaultLinkMinutes  = 30
	DefaultTop          = 10
	DefaultShift        = "1w"
	DefaultHandover     = "09:00"
	maxTop              = 1000
)

// ShiftBucket is the bucket setting that buckets by on-call shift.
const ShiftBucket = "shift"

// options are the checked alert-quality options.
type options struct {
	flap, short, link time.Duration
	top               int
	opts              models.ImprovementOptions
}

func parseOptions(q models.Query) (options, error) {
	var o options
	if q.Improvement != nil {
		o.opts = *q.Improvement
	}
	var err error
	if o.flap, err = minutes("flapMinutes", o.opts.FlapMinutes, DefaultFlapMinutes, false); err != nil {
		return o, err
	}
	if o.short, err = minutes("shortMinutes", o.opts.ShortMinutes, DefaultShortMinutes, false); err != nil {
		return o, err
	}
	if o.link, err = minutes("linkMinutes", o.opts.LinkMinutes, DefaultLinkMinutes, true); err != nil {
		return o, err
	}
	o.top = DefaultTop
	if o.opts.Top != 0 {
		if o.opts.Top < 1 || o.opts.Top > maxTop {
			return o, fmt.Errorf("improvement.top %d: give 1 to %d rows", o.opts.Top, maxTop)
		}
		o.top = o.opts.Top
	}
	return o, nil
}

// minutes reads an option in minutes: positive (or zero when allowed), finite, at
// most 30 days.
func minutes(name string, v *float64, def float64, zeroOK bool) (time.Duration, error) {
	m := def
	if v != nil {
		m = *v
	}
	if math.IsNaN(m) || m < 0 || (m == 0 && !zeroOK) || m > 30*24*60 {
		want := "more than 0"
		if zeroOK {
			want = "0 or more"
		}
		return 0, fmt.Errorf("improvement.%s %v: give %s minutes, at most 43200 (30 days)", name, m, want)
	}
	return time.Duration(m * float64(time.Minute)), nil
}

// buckets resolves the query's bucket setting; "shift" buckets by on-call shift.
func (o options) buckets(setting string, env query.Env) (query.Buckets, error) {
	if strings.TrimSpace(setting) != ShiftBucket {
		return query.ResolveBuckets(setting, env)
	}
	b, err := Shifts(o.opts.Shift, o.opts.Handover)
	if err != nil {
		return b, err
	}
	if n := int64(env.To.Sub(env.From) / b.Width); n > query.DefaultMaxBuckets {
		return b, fmt.Errorf("shifts of %s over this time range give %d buckets, more than the %d allowed", b.Width, n, query.DefaultMaxBuckets)
	}
	return b, nil
}

// mondayOffset: the Unix epoch was a Thursday; the first Monday is four days later.
const mondayOffset = 4 * 24 * time.Hour

const week = 7 * 24 * time.Hour

// Shifts returns on-call shift buckets: length (default 1w) from one handover,
// "HH:MM" UTC (on Mondays when shifts last whole weeks) or an RFC 3339 instant.
func Shifts(length, handover string) (query.Buckets, error) {
	if strings.TrimSpace(length) == "" {
		length = DefaultShift
	}
	w, err := query.ParseDuration(length)
	if err != nil {
		return query.Buckets{}, fmt.Errorf("improvement.shift: %w", err)
	}
	if w < time.Hour || w%time.Minute != 0 {
		return query.Buckets{}, fmt.Errorf("improvement.shift %q: give whole minutes, at least 1h (e.g. 12h, 1d, 1w)", length)
	}
	if strings.TrimSpace(handover) == "" {
		handover = DefaultHandover
	}
	var anchor time.Duration
	if hh, mm, ok := strings.Cut(strings.TrimSpace(handover), ":"); ok && len(hh) <= 2 && len(mm) == 2 {
		h, errH := strconv.Atoi(hh)
		m, errM := strconv.Atoi(mm)
		if errH != nil || errM != nil || h < 0 || h > 23 || m < 0 || m > 59 {
			return query.Buckets{}, fmt.Errorf("improvement.handover %q: give HH:MM (00:00 to 23:59, UTC) or an RFC 3339 time", handover)
		}
		anchor = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		if w%week == 0 {
			anchor += mondayOffset
		}
	} else {
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(handover))
		if err != nil {
			return query.Buckets{}, fmt.Errorf("improvement.handover %q: give HH:MM (UTC) or an RFC 3339 time such as 2024-01-01T09:00:00+01:00", handover)
		}
		anchor = time.Duration(t.UnixMilli()) * time.Millisecond
	}
	// Any handover is a bucket boundary: the offset is the anchor modulo the length.
	off := anchor % w
	if off < 0 {
		off += w
	}
	return query.Buckets{Width: w, Offset: off}, nil
}
