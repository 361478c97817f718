package model

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestSortedReadsUseTheIndexes checks on SQLite that a sorted read of a large window
// walks the value index with no sort, and that a narrow one sorts its range of the
// time index rather than reading every value of the feature.
func TestSortedReadsUseTheIndexes(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 30; i++ {
		if _, err := st.ExecContext(ctx, `INSERT INTO model_observations (model, feature, observed_at, value, ingested_at) VALUES ('m', 'f', $1, $2, 0)`,
			day.AddDate(0, 0, i).UnixMilli(), float64(i%7)); err != nil {
			t.Fatal(err)
		}
	}
	src := source{st: st, model: "m"}
	cases := []struct {
		name     string
		from, to time.Time
		plan     string
		sorts    bool
	}{
		{"the whole month", day, day.AddDate(0, 1, 0), "USING COVERING INDEX model_observations_value", false},
		{"one day", day.AddDate(0, 0, 3), day.AddDate(0, 0, 4), "USING COVERING INDEX model_observations_time", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sqlText, args, _, err := src.sortedQuery(ctx, "f", window{from: c.from.UnixMilli(), to: c.to.UnixMilli()})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := st.QueryContext(ctx, "EXPLAIN QUERY PLAN "+sqlText, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if got := strings.Join(plan, "; "); !strings.Contains(got, c.plan) || strings.Contains(got, "TEMP B-TREE") != c.sorts {
				t.Fatalf("plan %q, want %q", got, c.plan)
			}
		})
	}
}
