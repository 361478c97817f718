// Command kaizenbench runs every Kaizen Ops query of the provisioned dashboards against
// the benchmark data sets at scale, on the embedded SQLite store and (with --postgres or
// KAIZEN_TEST_POSTGRES_DSN) on PostgreSQL, and prints p50/p95, rows in range, peak heap
// and the ratio against a plain SQL baseline. `npm run bench` runs it through
// scripts/bench.sh, which starts the PostgreSQL; docs/benchmarks.md explains the figures.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/bench"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kaizenbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dashboards := fs.String("dashboards", "dashboards", "directory of dashboard JSON files")
	root := fs.String("root", ".", "repository root (missing data sets are built with go test there)")
	smoke := fs.Bool("smoke", false, "tiny demo data set, one repetition (what CI runs)")
	dsn := fs.String("postgres", os.Getenv("KAIZEN_TEST_POSTGRES_DSN"), "PostgreSQL URL; empty measures SQLite only (default $KAIZEN_TEST_POSTGRES_DSN)")
	sets := fs.String("datasets", "", "comma-separated data sets to use (default all: "+strings.Join(bench.DatasetNames(), ",")+")")
	pgOnly := fs.Bool("postgres-only", false, "measure PostgreSQL only")
	noBuild := fs.Bool("no-build", false, "skip data sets that are not built yet instead of building them")
	reps := fs.Int("reps", 10, "timed runs per query and store")
	budget := fs.Duration("budget", time.Second, "time cap per query and store (at least 5 runs)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	only := fs.String("only", "", "only targets whose 'dashboard / panel / refId' contains this")
	jsonOut := fs.String("json", "", "also write the results as JSON to this file")
	mdOut := fs.String("out", "", "also write the table to this file")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "kaizenbench: --cpuprofile: %v\n", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "kaizenbench: --cpuprofile: %v\n", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	if *dsn != "" {
		if err := bench.PostgresConfigFromDSN(*dsn); err != nil {
			fmt.Fprintf(stderr, "kaizenbench: --postgres: %v\n", err)
			return 2
		}
	}
	cfg := bench.Config{Dashboards: *dashboards, Root: *root, Smoke: *smoke, PostgresDSN: *dsn, NoBuild: *noBuild, SkipSQLite: *pgOnly,
		Options: bench.Options{Reps: *reps, Budget: *budget, Only: *only,
			Log: func(format string, a ...any) { fmt.Fprintf(stderr, "kaizenbench: "+format+"\n", a...) }}}
	if *sets != "" {
		known := map[string]bool{}
		for _, n := range bench.DatasetNames() {
			known[n] = true
		}
		for _, s := range strings.Split(*sets, ",") {
			s = strings.TrimSpace(s)
			if !known[s] {
				fmt.Fprintf(stderr, "kaizenbench: --datasets: unknown data set %q; use %s\n", s, strings.Join(bench.DatasetNames(), ", "))
				return 2
			}
			cfg.Datasets = append(cfg.Datasets, s)
		}
	}
	if *smoke {
		dir, err := os.MkdirTemp("", "kaizenbench-smoke-")
		if err != nil {
			fmt.Fprintf(stderr, "kaizenbench: %v\n", err)
			return 1
		}
		defer os.RemoveAll(dir)
		cfg.SmokeDir = dir
		cfg.Reps, cfg.MinReps, cfg.Quick = 1, 1, true
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := bench.Suite(ctx, cfg)
	rep.Write(stdout)
	if *mdOut != "" {
		if f, ferr := os.Create(*mdOut); ferr == nil {
			rep.Write(f)
			_ = f.Close()
		} else {
			fmt.Fprintf(stderr, "kaizenbench: --out: %v\n", ferr)
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(rep.Results, "", "  ")
		if werr := os.WriteFile(*jsonOut, b, 0o644); werr != nil {
			fmt.Fprintf(stderr, "kaizenbench: --json: %v\n", werr)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kaizenbench: %v\n", err)
		return 1
	}
	if _, _, failed := bench.Summary(rep.Results); failed > 0 {
		return 1
	}
	return 0
}
