package incidents_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: bulk ingest rate and MTTR query latency at 1M incidents on the embedded
// store, each with a ratio against plain SQL measured in the same run.
//
//	go test ./pkg/metrics/incidents -run '^$' -bench . -benchtime 10x

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// generateNDJSON writes n incidents spread over a year, 20 services and 5 teams,
// with lognormal-ish restore times; deterministic for a seed.
func generateNDJSON(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	span := int64(365 * 24 * time.Hour / time.Second)
	for i := 0; i < n; i++ {
		start := benchStart.Add(time.Duration(r.Int64N(span)) * time.Second)
		detect := start.Add(time.Duration(r.IntN(1800)) * time.Second)
		ack := detect.Add(time.Duration(r.IntN(900)) * time.Second)
		resolve := ack.Add(time.Duration(60+r.ExpFloat64()*3600) * time.Second)
		fmt.Fprintf(&b, `{"id":"INC-%d","service":"svc-%02d","team":"team-%d","severity":"sev%d","started_at":%q,"detected_at":%q,"acknowledged_at":%q,"resolved_at":%q,"detected_by":"monitoring"}`+"\n",
			i, r.IntN(20), r.IntN(5), 1+r.IntN(4), start.Format(time.RFC3339), detect.Format(time.RFC3339), ack.Format(time.RFC3339), resolve.Format(time.RFC3339))
	}
	return b.Bytes()
}

func BenchmarkIngestNDJSON(b *testing.B) {
	const n = 100_000
	payload := generateNDJSON(n, 7)
	kind, _ := ingest.DefaultKinds().Get("incidents")
	var ours, baseline time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := openBenchStore(b, filepath.Join(b.TempDir(), "ingest.db"))
		b.StartTimer()
		t0 := time.Now()
		res, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: time.Now()})
		if err != nil || res.Stored != n {
			b.Fatalf("ingest: %+v %v", res.Stored, err)
		}
		ours += time.Since(t0)
		b.StopTimer()
		// Baseline: the same rows through one prepared INSERT in one transaction,
		// with no parsing or validation (the floor for this store).
		raw := openBenchStore(b, filepath.Join(b.TempDir(), "raw.db"))
		t1 := time.Now()
		rawInsert(b, raw, n)
		baseline += time.Since(t1)
		_ = st.Close()
		_ = raw.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/ours.Seconds(), "records/s")
	b.ReportMetric(float64(n*b.N)/baseline.Seconds(), "sql-records/s")
	b.ReportMetric(ours.Seconds()/baseline.Seconds(), "x-vs-prepared-insert")
}

func rawInsert(b *testing.B, st store.Store, n int) {
	err := st.WithTx(context.Background(), func(tx store.Tx) error {
		for i := 0; i < n; i++ {
			t := benchStart.UnixMilli() + int64(i)*1000
			if _, err := tx.ExecContext(context.Background(), `INSERT INTO incidents (source, id, service, team, severity, started_at, detected_at, acknowledged_at, resolved_at, detected_by, ingested_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, "api", fmt.Sprint("INC-", i), "svc", "team", "sev1", t, t+1, t+2, t+3, "monitoring", t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func openBenchStore(b *testing.B, path string) store.Store {
	b.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

var (
	millionOnce sync.Once
	millionPath string
	millionErr  error
)

// millionIncidents builds (once per machine, cached in the temp dir) a store of
// 1M incidents loaded through the real ingest path.
func millionIncidents(b *testing.B) store.Store {
	millionOnce.Do(func() {
		millionPath = filepath.Join(os.TempDir(), "kaizen-bench-incidents-1M-v1.db")
		if _, err := os.Stat(millionPath); err == nil {
			return
		}
		tmp := millionPath + ".building"
		_ = os.Remove(tmp)
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			millionErr = err
			return
		}
		kind, _ := ingest.DefaultKinds().Get("incidents")
		for chunk := 0; chunk < 10; chunk++ {
			payload := generateNDJSON(100_000, uint64(100+chunk))
			payload = bytes.ReplaceAll(payload, []byte(`"id":"INC-`), []byte(fmt.Sprintf(`"id":"C%d-`, chunk)))
			if _, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: time.Now()}); err != nil {
				millionErr = err
				return
			}
		}
		_ = st.Close()
		millionErr = os.Rename(tmp, millionPath)
	})
	if millionErr != nil {
		b.Fatal(millionErr)
	}
	return openBenchStore(b, millionPath)
}

// BenchmarkMTTRQuery1M: dashboard-shaped MTTR queries over 1M incidents, against a
// plain SQL aggregate over the same rows and range measured in the same run.
func BenchmarkMTTRQuery1M(b *testing.B) {
	st := millionIncidents(b)
	defer st.Close()
	env := query.Env{Store: st, From: benchStart, To: benchStart.AddDate(1, 0, 0), Now: benchStart.AddDate(1, 0, 0)}
	ctx := context.Background()
	cases := []struct {
		name     string
		q        models.Query
		baseline string
	}{
		{"mean_by_day_year", models.Query{Metric: "mttr", Stat: "mean", Bucket: "1d"},
			`SELECT (started_at / 86400000) * 86400000, AVG(CAST(resolved_at - started_at AS DOUBLE PRECISION) / 1000) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1`},
		{"p90_by_week_by_service_year", models.Query{Metric: "mttr", Stat: "p90", Bucket: "1w", GroupBy: []string{"service"}},
			`SELECT service, (started_at / 604800000) * 604800000, AVG(CAST(resolved_at - started_at AS DOUBLE PRECISION) / 1000) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1, 2`},
		{"median_one_service_30d", models.Query{Metric: "mttr", Stat: "median", Bucket: "1d", Filters: map[string][]string{"service": {"svc-03"}}},
			`SELECT (started_at / 86400000) * 86400000, AVG(CAST(resolved_at - started_at AS DOUBLE PRECISION) / 1000) FROM incidents
			 WHERE service = 'svc-03' AND started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.QueryType = models.QueryTypeIncidents
			q.Normalize()
			e := env
			if c.name == "median_one_service_30d" {
				e.From = e.To.AddDate(0, 0, -30)
			}
			var ours, sql time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := incidents.Compute(ctx, e, q); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(t0)
				b.StopTimer()
				t1 := time.Now()
				rows, err := st.QueryContext(ctx, c.baseline, e.From.UnixMilli(), e.To.UnixMilli())
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				sql += time.Since(t1)
				b.StartTimer()
			}
			b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "ms/query")
			b.ReportMetric(float64(sql.Milliseconds())/float64(b.N), "sql-ms/query")
			b.ReportMetric(ours.Seconds()/sql.Seconds(), "x-vs-sql-aggregate")
		})
	}
}
