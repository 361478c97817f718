package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

func runQuery(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("query", stderr, `kaizen query --db FILE --json '<query JSON>' [--from T] [--to T] [--interval D]`)
	db := fs.String("db", "", "store: an SQLite file, or a postgres:// URL")
	queryJSON := fs.String("json", "", "the query, as the data source takes it")
	from := fs.String("from", "now-30d", "range start: RFC 3339 or now-<duration> (e.g. now-7d)")
	to := fs.String("to", "now", "range end: RFC 3339 or now-<duration>")
	interval := fs.String("interval", "", "panel interval for bucket \"auto\" (e.g. 1h)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *db == "" || *queryJSON == "" {
		return usageError(fs, "--db and --json are required")
	}
	now := time.Now().UTC()
	fromT, err := parseTimeFlag(*from, now)
	if err != nil {
		return fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	toT, err := parseTimeFlag(*to, now)
	if err != nil {
		return fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	var iv time.Duration
	if *interval != "" {
		if iv, err = query.ParseDuration(*interval); err != nil {
			return fmt.Errorf("%w: --interval: %v", errUsage, err)
		}
	}
	q, err := models.ParseQuery([]byte(*queryJSON))
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	ctx := context.Background()
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	frames, err := metrics.Engine().Run(ctx, query.Env{Store: st, From: fromT, To: toT, Interval: iv, Now: now}, q)
	if err != nil {
		return err
	}
	out, err := json.Marshal(frames)
	if err != nil {
		return fmt.Errorf("encoding frames: %w", err)
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}

// parseTimeFlag accepts RFC 3339, "now" and "now-<duration>".
func parseTimeFlag(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now, nil
	}
	if len(s) > 4 && s[:4] == "now-" {
		d, err := query.ParseDuration(s[4:])
		if err != nil {
			return time.Time{}, err
		}
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not RFC 3339 or now-<duration>", s)
	}
	return t.UTC(), nil
}
