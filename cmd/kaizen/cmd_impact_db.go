package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/stats/impact"
)

// eventRequest is `kaizen impact --db FILE --event ID`.
type eventRequest struct {
	db, event, now string
	// fileFlags says --before, --after or --better were given too.
	fileFlags bool
	opts      impact.Options
}

// impactOfEvent analyses a stored event as the kaizen impact query does and prints
// the file mode's JSON for it.
func impactOfEvent(fs *flag.FlagSet, r eventRequest, stdout io.Writer) error {
	if r.db == "" || r.event == "" {
		return usageError(fs, "--db and --event go together")
	}
	if r.fileFlags {
		return usageError(fs, "--before, --after and --better are for values in files; with --db the event gives its windows and its metric's better direction")
	}
	if fs.NArg() != 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if !(r.opts.Alpha > 0 && r.opts.Alpha < 1) {
		return fmt.Errorf("%w: --alpha %v: must be between 0 and 1", errUsage, r.opts.Alpha)
	}
	if r.opts.MinN < 2 {
		return fmt.Errorf("%w: --min-n %d: must be at least 2", errUsage, r.opts.MinN)
	}
	if r.opts.Resamples < 100 {
		return fmt.Errorf("%w: --resamples %d: must be at least 100", errUsage, r.opts.Resamples)
	}
	now, err := parseTimeFlag(r.now, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("%w: --now: %v", errUsage, err)
	}
	ctx := context.Background()
	st, err := openStore(ctx, r.db)
	if err != nil {
		return err
	}
	defer st.Close()
	e := metrics.Engine()
	deps := kaizen.Deps{Series: e.Series, Catalog: metrics.Catalog}
	an, err := deps.AnalyzeEvent(ctx, st, now, r.event, kaizen.Settings{Options: r.opts})
	if err != nil {
		return err
	}
	return writeJSONLine(stdout, impactJSON(an.Result, an.Options))
}
