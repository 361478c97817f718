package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// BenchmarkMTTRQuery1M: dashboard-shaped MTTR queries over the same 1M incidents on
// SQLite and on PostgreSQL (the indexes of migration 0001, no partitioning), each
// against a plain SQL aggregate over the same rows measured in the same run. The
// data is loaded once through the real ingest path and kept (a file in the temp
// directory; a schema in the test database) for later runs.
func BenchmarkMTTRQuery1M(b *testing.B) {
	stores := map[string]store.Store{"sqlite": million(b, "sqlite"), "postgres": million(b, "postgres")}
	ctx := context.Background()
	end := benchStart.AddDate(1, 0, 0)
	cases := []struct {
		name     string
		q        models.Query
		from     time.Time
		baseline string
	}{
		{"mean_by_day_year", models.Query{Metric: "mttr", Stat: "mean", Bucket: "1d"}, benchStart,
			`SELECT (started_at / 86400000) * 86400000, AVG((resolved_at - started_at) / 1000.0) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1`},
		{"p90_by_week_by_service_year", models.Query{Metric: "mttr", Stat: "p90", Bucket: "1w", GroupBy: []string{"service"}}, benchStart,
			`SELECT service, (started_at / 604800000) * 604800000, AVG((resolved_at - started_at) / 1000.0) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1, 2`},
		{"median_one_service_30d", models.Query{Metric: "mttr", Stat: "median", Bucket: "1d", Filters: map[string][]string{"service": {"svc-03"}}}, end.AddDate(0, 0, -30),
			`SELECT (started_at / 86400000) * 86400000, AVG((resolved_at - started_at) / 1000.0) FROM incidents
			 WHERE service = 'svc-03' AND started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1`},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		st := stores[name]
		for _, c := range cases {
			b.Run(name+"/"+c.name, func(b *testing.B) {
				q := c.q
				q.QueryType = models.QueryTypeIncidents
				q.Normalize()
				env := query.Env{Store: st, From: c.from, To: end, Now: end}
				var ours, sql time.Duration
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if _, err := incidents.Compute(ctx, env, q); err != nil {
						b.Fatal(err)
					}
					ours += time.Since(t0)
					b.StopTimer()
					t1 := time.Now()
					rows, err := st.QueryContext(ctx, c.baseline, env.From.UnixMilli(), env.To.UnixMilli())
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					rows.Close()
					sql += time.Since(t1)
					b.StartTimer()
				}
				b.ReportMetric(float64(ours.Microseconds())/1000/float64(b.N), "ms/query")
				b.ReportMetric(float64(sql.Microseconds())/1000/float64(b.N), "sql-ms/query")
				b.ReportMetric(ours.Seconds()/sql.Seconds(), "x-vs-sql-aggregate")
			})
		}
	}
}

const millionSchema = "kaizen_bench_incidents_1m_v1"

// million opens the store holding the 1M incidents, loading them when missing.
func million(b *testing.B, which string) store.Store {
	b.Helper()
	ctx := context.Background()
	var st store.Store
	var err error
	switch which {
	case "sqlite":
		st, err = sqlite.Open(ctx, filepath.Join(os.TempDir(), "kaizen-bench-incidents-1M-pgcompare-v1.db"))
	default:
		cfg := storetest.PostgresConfig(b) // skips without a server; its own schema goes unused
		cfg.Schema = millionSchema
		st, err = postgres.Open(ctx, cfg)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	counts, err := st.Counts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if counts["incidents"] == 1_000_000 {
		return st
	}
	kind, _ := ingest.DefaultKinds().Get("incidents")
	for chunk := 0; chunk < 10; chunk++ {
		payload := benchNDJSON(100_000, uint64(100+chunk), fmt.Sprintf("C%d-", chunk))
		if _, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: benchStart.AddDate(2, 0, 0)}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return st
}
