package demo_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/demo"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// anchor is fixed so the data sets of two runs can be compared row for row.
var anchor = time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)

// generated is a demo store written once per options for this test binary.
type generated struct {
	st  store.Store
	sum demo.Summary
}

var (
	cacheMu  sync.Mutex
	cache    = map[demo.Options]*sync.Once{}
	results  = map[demo.Options]generated{}
	errs     = map[demo.Options]error{}
	cacheDir string
)

// generate writes the demo data set for opts into a new SQLite store, once per
// options in this binary (tests in parallel wait for the same run).
func generate(t *testing.T, opts demo.Options) (store.Store, demo.Summary) {
	t.Helper()
	if testing.Short() {
		t.Skip("generating the demo takes seconds; not under -short")
	}
	cacheMu.Lock()
	once, ok := cache[opts]
	if !ok {
		once = &sync.Once{}
		cache[opts] = once
	}
	if cacheDir == "" {
		dir, err := os.MkdirTemp("", "kaizen-demo-test-")
		if err != nil {
			cacheMu.Unlock()
			t.Fatal(err)
		}
		cacheDir = dir
	}
	dir := cacheDir
	cacheMu.Unlock()
	once.Do(func() {
		ctx := context.Background()
		path := filepath.Join(dir, fmt.Sprintf("demo-%d-%d-%d.db", opts.Seed, opts.Months, opts.Anchor.Unix()))
		st, err := sqlite.Open(ctx, path)
		var sum demo.Summary
		if err == nil {
			sum, err = demo.Generate(ctx, st, opts)
		}
		cacheMu.Lock()
		results[opts], errs[opts] = generated{st, sum}, err
		cacheMu.Unlock()
	})
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if err := errs[opts]; err != nil {
		t.Fatalf("demo.Generate(%+v): %v", opts, err)
	}
	return results[opts].st, results[opts].sum
}

// TestMain removes the stores the tests generated.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, g := range results {
		if g.st != nil {
			_ = g.st.Close()
		}
	}
	if cacheDir != "" {
		_ = os.RemoveAll(cacheDir)
	}
	os.Exit(code)
}

// checksums hashes every table's rows (every column, in a fixed order) per table:
// what two data sets must agree on to be the same, beyond their counts.
func checksums(t *testing.T, st store.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := st.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		if table == "schema_migrations" || table == "store_health" {
			continue // when the store was made and last checked, not the data set
		}
		out[table] = tableChecksum(t, st, table)
	}
	return out
}

func tableChecksum(t *testing.T, st store.Store, table string) string {
	t.Helper()
	rows, err := st.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	// Rows are hashed one by one and the row hashes sorted, so the order the
	// engine returns them in does not matter, their content does.
	var lines []string
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if v == nil {
				b.WriteString("\x00NULL")
			} else {
				b.Write(v)
			}
			if i < len(vals)-1 {
				b.WriteByte('\x1f')
			}
		}
		lines = append(lines, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", strings.Join(cols, ","))
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf("%d rows %s", len(lines), hex.EncodeToString(h.Sum(nil))[:16])
}

// TestDeterministic: the same seed and anchor give the same data set (counts per
// kind, the story, and every stored row); another seed gives another one.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	base := demo.Options{Seed: 7, Months: 1, Anchor: anchor}
	st1, sum1 := generate(t, base)
	// A second run with the same options, into a store of its own.
	ctx := context.Background()
	st2, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "again.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	sum2, err := demo.Generate(ctx, st2, base)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(sum1.Stored, sum2.Stored) {
		t.Fatalf("stored per kind differs: %v vs %v", sum1.Stored, sum2.Stored)
	}
	if fmt.Sprint(sum1.Story) != fmt.Sprint(sum2.Story) {
		t.Fatalf("story differs:\n%v\n%v", sum1.Story, sum2.Story)
	}
	c1, c2 := checksums(t, st1), checksums(t, st2)
	if len(c1) < 20 {
		t.Fatalf("only %d tables hashed: %v", len(c1), c1)
	}
	for table, h := range c1 {
		if c2[table] != h {
			t.Errorf("table %s: %s, then %s", table, h, c2[table])
		}
	}
	for _, table := range store.EventTables() {
		if strings.HasPrefix(c1[table], "0 rows") {
			t.Errorf("event table %s is empty in the demo", table)
		}
	}

	other := base
	other.Seed = 8
	st3, sum3 := generate(t, other)
	c3 := checksums(t, st3)
	// Another seed draws other events: the randomly drawn tables differ (the
	// definitions, such as SLOs and value streams, are the same by design).
	for _, table := range []string{"incidents", "deployments", "usage_events", "model_observations", "work_item_transitions", "alert_events"} {
		if c3[table] == c1[table] {
			t.Errorf("table %s is the same with seeds 7 and 8: %s", table, c1[table])
		}
	}
	if maps.Equal(sum1.Stored, sum3.Stored) && c1["incidents"] == c3["incidents"] {
		t.Errorf("seeds 7 and 8 gave the same data set")
	}
}

// TestGenerateRefusesBadOptions: bounds on the history and a required anchor.
func TestGenerateRefusesBadOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "refused.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, c := range []struct {
		opts demo.Options
		want string
	}{
		{demo.Options{Months: 0, Anchor: anchor}, "months 0: use 1 to 36"},
		{demo.Options{Months: 37, Anchor: anchor}, "months 37: use 1 to 36"},
		{demo.Options{Months: 2}, "anchor is required"},
	} {
		if _, err := demo.Generate(ctx, st, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opts, err, c.want)
		}
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for kind, n := range counts {
		if n != 0 {
			t.Errorf("a refused run stored %d %s", n, kind)
		}
	}
}
