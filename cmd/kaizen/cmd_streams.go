package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// runStreams manages value stream definitions in a store, as PUT/GET/DELETE
// flow/streams do: put NAME FILE|- , list, delete NAME, rebuild.
func runStreams(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("streams", stderr, "kaizen streams --db FILE put NAME FILE|- | list | delete NAME | rebuild")
	db := fs.String("db", "", "store file (SQLite)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if *db == "" || len(rest) == 0 {
		return usageError(fs, "--db and an action (put, list, delete, rebuild) are required")
	}
	want := map[string]int{"put": 3, "list": 1, "delete": 2, "rebuild": 1}
	n, ok := want[rest[0]]
	if !ok || len(rest) != n {
		return usageError(fs, fmt.Sprintf("%q: use put NAME FILE, list, delete NAME or rebuild", rest))
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch rest[0] {
	case "list":
		defs, err := flow.LoadDefinitions(ctx, st)
		if err != nil {
			return err
		}
		out := make([]*flow.Definition, 0, len(defs))
		for _, d := range defs {
			out = append(out, d)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return writeJSONLine(stdout, out)
	case "put":
		in := stdin
		if rest[2] != "-" {
			f, err := os.Open(rest[2])
			if err != nil {
				return fmt.Errorf("reading definition: %w", err)
			}
			defer f.Close()
			in = f
		}
		def, err := flow.ParseDefinition(rest[1], in)
		if err != nil {
			return err
		}
		var recomputed int
		err = st.WithTx(ctx, func(tx store.Tx) error {
			recomputed, err = flow.SaveDefinition(ctx, tx, st.Dialect(), def, time.Now())
			return err
		})
		if err != nil {
			return err
		}
		return writeJSONLine(stdout, map[string]any{"stream": def.Name, "recomputed_items": recomputed})
	case "delete":
		var found bool
		var recomputed int
		err := st.WithTx(ctx, func(tx store.Tx) error {
			var err error
			found, recomputed, err = flow.DeleteDefinition(ctx, tx, st.Dialect(), rest[1])
			return err
		})
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("no value stream %q", rest[1])
		}
		return writeJSONLine(stdout, map[string]any{"deleted": rest[1], "recomputed_items": recomputed})
	}
	var recomputed int
	err = st.WithTx(ctx, func(tx store.Tx) error {
		var err error
		recomputed, err = flow.Rebuild(ctx, tx, st.Dialect())
		return err
	})
	if err != nil {
		return err
	}
	return writeJSONLine(stdout, map[string]any{"recomputed_items": recomputed})
}
