package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/kaizenops/suite/pkg/metrics"
	metricsbacktest "github.com/kaizenops/suite/pkg/metrics/backtest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// backtestStore runs a backtest query against a store, as the data source would,
// and prints the file mode's JSON (plus the source, its interval and notices).
func backtestStore(stdout io.Writer, db, queryJSON, from, to string) error {
	now := time.Now().UTC()
	fromT, err := parseTimeFlag(from, now)
	if err != nil {
		return fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	toT, err := parseTimeFlag(to, now)
	if err != nil {
		return fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	if !toT.After(fromT) {
		return fmt.Errorf("%w: --from %s is not before --to %s", errUsage, fromT.Format(time.RFC3339), toT.Format(time.RFC3339))
	}
	q, err := models.ParseQuery([]byte(queryJSON))
	if err != nil {
		return fmt.Errorf("%w: --json: %v", errUsage, err)
	}
	switch q.QueryType {
	case "":
		q.QueryType = models.QueryTypeBacktest
	case models.QueryTypeBacktest:
	default:
		return fmt.Errorf("%w: --json has queryType %q; kaizen backtest takes a backtest query (kaizen query runs the others)", errUsage, q.QueryType)
	}
	ctx := context.Background()
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	env := query.Env{Store: st, From: fromT, To: toT, Now: now}
	r, err := metricsbacktest.Compute(ctx, metrics.Engine().Series, env, q)
	if err != nil {
		return fmt.Errorf("backtest query: %w", err)
	}
	return writeJSONLine(stdout, backtestOut{
		Source: r.Source, IntervalSeconds: r.Interval.Seconds(), SeriesPoints: r.Points, Incidents: r.Incidents,
		LeadSeconds: r.Lead.Seconds(), Rows: backtestRows(r.Rows, r.Candidates), Notices: r.Notices,
	})
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
