package query_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestDistinctIndexed: the loose index scan lists what SELECT DISTINCT would, on
// every store: sorted, duplicates once, empty strings and NULLs left out, limited.
func TestDistinctIndexed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		for _, stmt := range []string{
			`CREATE TABLE distinct_probe (v TEXT, n INTEGER)`,
			`CREATE INDEX distinct_probe_v ON distinct_probe (v, n)`,
		} {
			if _, err := st.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := query.DistinctIndexed(ctx, st, "distinct_probe", "v", 10); err != nil || len(got) != 0 {
			t.Fatalf("empty table: %v, %v; want an empty list", got, err)
		}
		// Values with quotes, case and a space, some many times over.
		for i, v := range []any{"web", "api", "", nil, "api", "Zeta", "o'hare", "web", "a b", "api"} {
			if _, err := st.ExecContext(ctx, `INSERT INTO distinct_probe (v, n) VALUES (`+st.Dialect().Placeholder(1)+`, `+st.Dialect().Placeholder(2)+`)`, v, i); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"Zeta", "a b", "api", "o'hare", "web"} // byte order, as ORDER BY on both stores' C/binary text here
		got, err := query.DistinctIndexed(ctx, st, "distinct_probe", "v", 10)
		if err != nil {
			t.Fatal(err)
		}
		// Compare against the plain SELECT DISTINCT of the same store (collations differ between stores).
		rows, err := st.QueryContext(ctx, `SELECT DISTINCT v FROM distinct_probe WHERE v <> '' ORDER BY v`)
		if err != nil {
			t.Fatal(err)
		}
		plain := []string{}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			plain = append(plain, v)
		}
		_ = rows.Close()
		if !reflect.DeepEqual(got, plain) {
			t.Fatalf("loose index scan %q, plain DISTINCT %q", got, plain)
		}
		if len(got) != len(want) {
			t.Fatalf("%d values %q, want the %d distinct non-empty ones %q", len(got), got, len(want), want)
		}
		if got, err := query.DistinctIndexed(ctx, st, "distinct_probe", "v", 2); err != nil || !reflect.DeepEqual(got, plain[:2]) {
			t.Fatalf("limit 2: %q, %v; want %q", got, err, plain[:2])
		}
	})
}
