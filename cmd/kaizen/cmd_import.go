package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/flow"
)

func runImport(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", stderr, "kaizen import --db FILE --kind KIND [--format json|ndjson|csv] [--source NAME] PATH|-")
	db := fs.String("db", "", "store: an SQLite file, or a postgres:// URL")
	kindName := fs.String("kind", "", "event kind: "+strings.Join(ingest.DefaultKinds().Names(), ", "))
	formatName := fs.String("format", "", "json, ndjson or csv (default: from the file extension, else json)")
	source := fs.String("source", "", "source for records that name none (default api)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *db == "" || *kindName == "" || fs.NArg() != 1 {
		return usageError(fs, "--db, --kind and one PATH (or - for stdin) are required")
	}
	if *kindName == ingest.KPIDefinitionsKind {
		return importKPIDefinitions(*db, fs.Arg(0), *formatName, stdin, stdout)
	}
	if *kindName == ingest.KaizenEventsKind {
		return importKaizenEvents(*db, fs.Arg(0), *formatName, stdin, stdout)
	}
	kind, err := ingest.DefaultKinds().Get(*kindName)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	path := fs.Arg(0)
	format, err := importFormat(*formatName, path)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("reading input: %w", err)
		}
		defer f.Close()
		in = f
	}
	ctx := context.Background()
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if kind.Name == "usage" {
		// Usage events fold into the usage_days rollup in the same transaction.
		res, err := ingest.IngestUsage(ctx, st, format, in, ingest.Options{Source: *source, Now: time.Now()})
		if err != nil {
			return fmt.Errorf("import of %s: %w", path, err)
		}
		return writeJSONLine(stdout, res)
	}
	if kind.Name == ingest.SLIKind {
		// SLI samples fold into their rollups in the same transaction.
		res, err := ingest.IngestSLI(ctx, st, format, in, ingest.Options{Now: time.Now()})
		if err != nil {
			return fmt.Errorf("import of %s: %w", path, err)
		}
		return writeJSONLine(stdout, res)
	}
	now := time.Now()
	// Work items and transitions recompute their flow rollups in the same transaction.
	res, err := ingest.Ingest(ctx, flow.WithRollups(st, now), kind, format, in, ingest.Options{Source: *source, Now: now})
	if err != nil {
		return fmt.Errorf("import of %s: %w", path, err)
	}
	return writeJSONLine(stdout, res)
}

func importFormat(flagValue, path string) (ingest.Format, error) {
	if flagValue != "" {
		return ingest.ParseFormat(flagValue)
	}
	switch {
	case strings.HasSuffix(path, ".csv"):
		return ingest.CSV, nil
	case strings.HasSuffix(path, ".ndjson"), strings.HasSuffix(path, ".jsonl"):
		return ingest.NDJSON, nil
	}
	return ingest.JSON, nil
}

func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding output: %w", err)
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: "+usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags turns flag errors into usage errors; -h prints help and succeeds.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

func usageError(fs *flag.FlagSet, msg string) error {
	fs.Usage()
	return fmt.Errorf("%w: %s", errUsage, msg)
}
