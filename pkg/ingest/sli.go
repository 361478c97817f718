package ingest

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/slo/rollup"
	"github.com/kaizenops/suite/pkg/store"
)

// SLIKind is the name of the SLI sample kind.
const SLIKind = "sli"

// SLOIDPattern is what an SLO id may look like: it names samples and definitions alike.
var SLOIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$`)

// maxSampleDuration bounds one sample's interval; longer counts belong in several samples.
const maxSampleDuration = 31 * 24 * time.Hour

// sliKind: good and total events of one SLO over one interval [at, end_at),
// given by its end or by its duration ("1m", "5m", "1h", "1d"). Re-sending the
// same slo and at replaces the sample.
func sliKind() Kind {
	return Kind{
		Name:  SLIKind,
		Table: "sli_samples",
		Key:   []string{"slo", "at"},
		Fields: []Field{
			{Name: "slo", Type: String, Required: true},
			{Name: "at", Type: Time, Required: true},
			{Name: "end_at", Type: Time},
			{Name: "duration", Type: String},
			{Name: "good", Type: Number, Required: true},
			{Name: "total", Type: Number, Required: true},
		},
		Check: checkSLISample,
	}
}

func checkSLISample(r Record) *FieldError {
	id, _ := r["slo"].(string)
	if !SLOIDPattern.MatchString(id) {
		return &FieldError{Field: "slo", Reason: fmt.Sprintf("%q is not an SLO id (letters, digits, '.', '_', ':' or '-', at most 100, starting with a letter or digit)", id)}
	}
	at, _ := r.Time("at")
	end, hasEnd := r.Time("end_at")
	durText, _ := r["duration"].(string)
	durText = strings.TrimSpace(durText)
	switch {
	case !hasEnd && durText == "":
		return &FieldError{Field: "end_at", Reason: "is required when duration is not given (give the interval's end_at or its duration, e.g. \"1m\")"}
	case durText != "":
		d, err := parseSampleDuration(durText)
		if err != nil {
			return &FieldError{Field: "duration", Reason: err.Error()}
		}
		if hasEnd && end-at != d.Milliseconds() {
			return &FieldError{Field: "duration", Reason: fmt.Sprintf("duration %s does not match end_at − at = %s", durText, time.Duration(end-at)*time.Millisecond)}
		}
		end = at + d.Milliseconds()
	case end <= at:
		return &FieldError{Field: "end_at", Reason: "end_at " + fmtMs(end) + " is not after at " + fmtMs(at)}
	case time.Duration(end-at)*time.Millisecond > maxSampleDuration:
		return &FieldError{Field: "end_at", Reason: fmt.Sprintf("the interval is %s long, more than the %s allowed; send one sample per day or shorter", time.Duration(end-at)*time.Millisecond, maxSampleDuration)}
	}
	r["end_at"] = end
	r["duration"] = formatSampleDuration(time.Duration(end-at) * time.Millisecond)
	good, _ := r["good"].(float64)
	total, _ := r["total"].(float64)
	if total < 0 {
		return &FieldError{Field: "total", Reason: "total " + fmtNum(total) + " cannot be negative"}
	}
	if good < 0 {
		return &FieldError{Field: "good", Reason: "good " + fmtNum(good) + " cannot be negative"}
	}
	if good > total {
		return &FieldError{Field: "good", Reason: "good " + fmtNum(good) + " is more than total " + fmtNum(total) + " (good events are a subset of all events)"}
	}
	return nil
}

// parseSampleDuration accepts Go durations and days ("1d").
func parseSampleDuration(s string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration (e.g. 1m, 5m, 1h, 1d)", s)
		}
		d = time.Duration(days * float64(24*time.Hour))
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a duration (e.g. 1m, 5m, 1h, 1d)", s)
		}
	}
	switch {
	case d < time.Second:
		return 0, fmt.Errorf("%q is shorter than the 1s minimum", s)
	case d > maxSampleDuration:
		return 0, fmt.Errorf("%q is longer than the %s allowed; send one sample per day or shorter", s, maxSampleDuration)
	case d%time.Millisecond != 0:
		return 0, fmt.Errorf("%q is not a whole number of milliseconds", s)
	}
	return d, nil
}

// formatSampleDuration writes the stored form: "1m", "90s", "1h", "1d".
func formatSampleDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// IngestSLI ingests SLI samples like Ingest, and in the same transaction folds
// them into the hourly and daily rollups that long windows read, so the rollups
// never disagree with the samples: both land together or neither does.
func IngestSLI(ctx context.Context, st store.Store, format Format, r io.Reader, opts Options) (Result, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	return Ingest(ctx, rollupStore{Store: st, ingestedAt: opts.Now.UnixMilli()}, sliKind(), format, r, opts)
}

// rollupStore runs the rollup fold at the end of every ingest transaction.
type rollupStore struct {
	store.Store
	ingestedAt int64
}

func (s rollupStore) WithTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return s.Store.WithTx(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return rollup.Fold(ctx, tx, s.ingestedAt)
	})
}
