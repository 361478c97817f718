package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kaizenops/suite/pkg/demo"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
)

// runDemo writes the demo data set into a new store file or an empty PostgreSQL
// store (docs/dashboards.md).
func runDemo(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", stderr, "kaizen demo --db FILE|postgres://URL [--seed N] [--months M] [--anchor TIME]")
	db := fs.String("db", "", "store to fill: an SQLite file that must not exist yet, or a postgres:// URL of an empty store")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and anchor give the same data set")
	months := fs.Int("months", 6, fmt.Sprintf("months of history, %d to %d", demo.MinMonths, demo.MaxMonths))
	anchorText := fs.String("anchor", "", "end of the history, RFC 3339 (default: now, to the minute)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *db == "" || fs.NArg() != 0 {
		return usageError(fs, "--db is required, and nothing else")
	}
	anchor := time.Now().UTC().Truncate(time.Minute)
	if *anchorText != "" {
		t, err := time.Parse(time.RFC3339, *anchorText)
		if err != nil {
			return fmt.Errorf("%w: --anchor %q is not an RFC 3339 time with zone (2026-01-31T12:00:00Z)", errUsage, *anchorText)
		}
		anchor = t
	}
	if *months < demo.MinMonths || *months > demo.MaxMonths {
		return fmt.Errorf("%w: --months %d: use %d to %d", errUsage, *months, demo.MinMonths, demo.MaxMonths)
	}
	ctx := context.Background()
	st, created, err := openDemoStore(ctx, *db)
	if err != nil {
		return err
	}
	sum, err := demo.Generate(ctx, st, demo.Options{Seed: *seed, Months: *months, Anchor: anchor})
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing %s: %w", redactURL(*db), cerr)
	}
	if err != nil {
		if created {
			_ = os.Remove(*db)
		}
		return err
	}
	return writeJSONLine(stdout, sum)
}

// openDemoStore opens the store the demo writes into. A demo on top of real data
// would mix fiction into it: only a new SQLite file, or a PostgreSQL store with no
// events yet. created says whether a file was made (to remove on failure).
func openDemoStore(ctx context.Context, db string) (*sqlstore.DB, bool, error) {
	if isPostgresURL(db) {
		st, err := openStore(ctx, db)
		if err != nil {
			return nil, false, err
		}
		counts, err := st.Counts(ctx)
		if err != nil {
			_ = st.Close()
			return nil, false, fmt.Errorf("counting the events in %s: %w", redactURL(db), err)
		}
		for kind, n := range counts {
			if n > 0 {
				_ = st.Close()
				return nil, false, fmt.Errorf("%s already holds data (%d %s); the demo writes into an empty store only", redactURL(db), n, kind)
			}
		}
		return st, false, nil
	}
	if _, err := os.Stat(db); err == nil {
		return nil, false, fmt.Errorf("%s exists; the demo writes a new store only (remove the file, or choose another path)", db)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("checking %s: %w", db, err)
	}
	st, err := sqlite.Open(ctx, db)
	return st, true, err
}
