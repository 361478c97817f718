package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/migrations"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func TestMigrationsAndCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		all, err := migrations.All()
		if err != nil {
			t.Fatal(err)
		}
		v, err := st.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := all[len(all)-1].Version; v != want {
			t.Fatalf("schema version %d, want %d", v, want)
		}
		counts, err := st.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range store.EventTables() {
			if n, ok := counts[table]; !ok || n != 0 {
				t.Errorf("count of %s = %d (present %v), want 0", table, n, ok)
			}
		}
		if err := st.CheckWritable(ctx); err != nil {
			t.Fatalf("fresh store not writable: %v", err)
		}
	})
}

func TestUpsertReplacesAndKeeps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		cols := []string{"source", "id", "started_at", "resolved_at", "acknowledged_at", "title", "ingested_at"}
		up := store.Upsert{Table: "incidents", Columns: cols, Key: []string{"source", "id"}}
		write := func(u store.Upsert, rows ...[]any) {
			t.Helper()
			if err := st.WithTx(ctx, func(tx store.Tx) error { return u.Exec(ctx, tx, st.Dialect(), rows) }); err != nil {
				t.Fatal(err)
			}
		}
		write(up, []any{"s", "1", int64(1000), int64(5000), int64(2000), "first", int64(1)})
		// A plain upsert replaces every column, NULL included.
		write(up, []any{"s", "1", int64(1000), nil, nil, "second", int64(2)})
		var resolved, acked sql.NullInt64
		var title string
		row := st.QueryRowContext(ctx, `SELECT resolved_at, acknowledged_at, title FROM incidents WHERE source = $1 AND id = $2`, "s", "1")
		if err := row.Scan(&resolved, &acked, &title); err != nil {
			t.Fatal(err)
		}
		if resolved.Valid || acked.Valid || title != "second" {
			t.Fatalf("after replace: resolved %v acked %v title %q", resolved, acked, title)
		}
		// KeepWhenNull and KeepOnConflict keep what a partial sender does not know.
		partial := up
		partial.KeepWhenNull = []string{"resolved_at"}
		partial.KeepOnConflict = []string{"acknowledged_at"}
		write(up, []any{"s", "1", int64(1000), int64(5000), int64(2000), "third", int64(3)})
		write(partial, []any{"s", "1", int64(1000), nil, nil, "fourth", int64(4)})
		row = st.QueryRowContext(ctx, `SELECT resolved_at, acknowledged_at, title FROM incidents WHERE source = $1 AND id = $2`, "s", "1")
		if err := row.Scan(&resolved, &acked, &title); err != nil {
			t.Fatal(err)
		}
		if resolved.Int64 != 5000 || acked.Int64 != 2000 || title != "fourth" {
			t.Fatalf("after partial: resolved %v acked %v title %q; want 5000, 2000, fourth", resolved, acked, title)
		}
		counts, _ := st.Counts(ctx)
		if counts["incidents"] != 1 {
			t.Fatalf("upserts of one key stored %d rows", counts["incidents"])
		}
	})
}

func TestUpsertManyRowsSpansStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		up := store.Upsert{Table: "incidents", Columns: []string{"source", "id", "started_at", "ingested_at"}, Key: []string{"source", "id"}}
		var rows [][]any
		for i := 0; i < 1234; i++ {
			rows = append(rows, []any{"s", string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260)), int64(i), int64(0)})
		}
		if err := st.WithTx(ctx, func(tx store.Tx) error { return up.Exec(ctx, tx, st.Dialect(), rows) }); err != nil {
			t.Fatal(err)
		}
		counts, _ := st.Counts(ctx)
		if counts["incidents"] != 1234 {
			t.Fatalf("stored %d rows, want 1234", counts["incidents"])
		}
	})
}
