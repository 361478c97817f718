package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store/postgres"
)

// Config is one run of the suite.
type Config struct {
	// Dashboards is the directory of dashboard JSON files (dashboards/).
	Dashboards string
	// Root is the repository root, where missing data sets are built with go test.
	Root string
	// Smoke runs on the tiny demo data set in SmokeDir instead of the data sets at scale.
	Smoke    bool
	SmokeDir string
	// PostgresDSN, when set, adds PostgreSQL (each data set copied into its own schema).
	PostgresDSN string
	// SkipSQLite measures PostgreSQL only (the SQLite file still gives the data to copy).
	SkipSQLite bool
	// Datasets keeps only these data sets (empty: all).
	Datasets []string
	// NoBuild refuses to build a missing data set (its queries are then not measured).
	NoBuild bool
	Options
}

// Report is what a run found.
type Report struct {
	Results    []Result
	Notes      []string
	LoadBefore string
	LoadAfter  string
	// Versions: Go, the embedded SQLite, the PostgreSQL server.
	Versions         []string
	Setup, Measuring time.Duration
}

// Suite prepares the data sets on every store and runs the dashboards' queries.
func Suite(ctx context.Context, c Config) (Report, error) {
	log := c.Log
	if log == nil {
		log = func(string, ...any) {}
	}
	rep := Report{LoadBefore: LoadAverage()}
	dashboards, err := LoadDashboards(c.Dashboards)
	if err != nil {
		return rep, err
	}
	t0 := time.Now()
	backends := map[string][]*Backend{}
	defer func() {
		seen := map[*Backend]bool{}
		for _, bs := range backends {
			for _, b := range bs {
				if !seen[b] {
					seen[b] = true
					b.Close()
				}
			}
		}
	}()
	sets := Datasets()
	if c.Smoke {
		d, err := SmokeDataset(ctx, c.SmokeDir)
		if err != nil {
			return rep, err
		}
		d.File = c.SmokeDir + "/" + d.File
		sets = []Dataset{d}
	}
	for _, d := range sets {
		if !c.Smoke && len(c.Datasets) > 0 && !slices.Contains(c.Datasets, d.Name) {
			continue
		}
		path := d.Path()
		if c.Smoke {
			path = d.File
		} else if c.NoBuild {
			if _, err := statFile(path); err != nil {
				rep.Notes = append(rep.Notes, fmt.Sprintf("data set %s (%s) is not built: %s missing; run without --no-build", d.Name, d.Size, path))
				continue
			}
		} else if err := d.Build(ctx, c.Root, log); err != nil {
			return rep, err
		}
		var bs []*Backend
		b, err := OpenSQLite(ctx, d.Name, path, d.EndSQL)
		if err != nil {
			return rep, fmt.Errorf("data set %s: %w", d.Name, err)
		}
		bs = append(bs, b)
		if len(rep.Versions) == 0 {
			rep.Versions = append(rep.Versions, runtime.Version(), "SQLite "+version(ctx, b, "SELECT sqlite_version()"))
		}
		if c.PostgresDSN != "" {
			cfg, err := LoadPostgres(ctx, c.PostgresDSN, path, c.Smoke, log) // the smoke data set is new each run
			if err != nil {
				b.Close()
				return rep, fmt.Errorf("data set %s on PostgreSQL: %w", d.Name, err)
			}
			pb, err := OpenPostgres(ctx, d.Name, cfg, d.EndSQL)
			if err != nil {
				b.Close()
				return rep, fmt.Errorf("data set %s on PostgreSQL: %w", d.Name, err)
			}
			bs = append(bs, pb)
			if len(rep.Versions) == 2 {
				rep.Versions = append(rep.Versions, "PostgreSQL "+version(ctx, pb, "SHOW server_version"))
			}
		}
		if c.SkipSQLite && c.PostgresDSN != "" {
			bs = bs[1:]
			defer b.Close()
		}
		if c.Smoke {
			for _, n := range DatasetNames() {
				backends[n] = bs
			}
		} else {
			backends[d.Name] = bs
		}
		log("data set %s ready (%s), data end %s", d.Name, d.Size, b.End.Format(time.RFC3339))
	}
	rep.Setup = time.Since(t0)
	t1 := time.Now()
	results, notes, err := Run(ctx, dashboards, backends, c.Options)
	rep.Measuring = time.Since(t1)
	rep.Results = results
	rep.Notes = append(rep.Notes, notes...)
	rep.LoadAfter = LoadAverage()
	return rep, err
}

func version(ctx context.Context, b *Backend, sqlText string) string {
	var v string
	if err := b.St.QueryRowContext(ctx, sqlText).Scan(&v); err != nil {
		return "unknown"
	}
	return v
}

// Write prints the report: the table, the summary and the notes.
func (r Report) Write(w io.Writer) {
	WriteTable(w, r.Results)
	measured, over, failed := Summary(r.Results)
	fmt.Fprintf(w, "\n%d measured, %d over %d ms p95, %d failed; setup %s, measuring %s; load average %s before, %s after\n",
		measured, over, TargetP95Ms, failed, r.Setup.Round(time.Second), r.Measuring.Round(time.Second), r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(w, "versions: %s\n", strings.Join(r.Versions, ", "))
	if len(r.Notes) > 0 {
		fmt.Fprintf(w, "\nNotes:\n- %s\n", strings.Join(r.Notes, "\n- "))
	}
}

// PostgresConfigFromDSN checks a DSN early, with an error that names the setting.
func PostgresConfigFromDSN(dsn string) error {
	_, err := postgres.ParseURL(dsn)
	return err
}
