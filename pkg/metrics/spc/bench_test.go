package spc_test

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
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: an spc query over a year of MTTR (100k incidents, 20 services) on the
// embedded store, against the plain SQL aggregate of the same rows measured in the
// same run (the floor: the database's own work) and against the source query alone
// (what the chart adds on top of it).
//
//	go test ./pkg/metrics/spc -run '^$' -bench . -benchtime 10x

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchStore builds (once per machine, cached in the temp dir) 100k incidents
// through the real ingest path.
func benchStore(b *testing.B) store.Store {
	benchOnce.Do(func() {
		benchPath = filepath.Join(os.TempDir(), "kaizen-bench-spc-100k-v1.db")
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		r := rand.New(rand.NewPCG(5, 1))
		var buf bytes.Buffer
		span := int64(365 * 24 * time.Hour / time.Second)
		for i := 0; i < 100_000; i++ {
			start := benchStart.Add(time.Duration(r.Int64N(span)) * time.Second)
			resolve := start.Add(time.Duration(60+r.ExpFloat64()*3600) * time.Second)
			fmt.Fprintf(&buf, `{"id":"S-%d","service":"svc-%02d","team":"team-%d","severity":"sev2","started_at":%q,"resolved_at":%q}`+"\n",
				i, r.IntN(20), r.IntN(5), start.Format(time.RFC3339), resolve.Format(time.RFC3339))
		}
		tmp := benchPath + ".building"
		_ = os.Remove(tmp)
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			benchErr = err
			return
		}
		kind, _ := ingest.DefaultKinds().Get("incidents")
		if _, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, &buf, ingest.Options{Now: time.Now()}); err != nil {
			benchErr = err
			return
		}
		_ = st.Close()
		benchErr = os.Rename(tmp, benchPath)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	st, err := sqlite.Open(context.Background(), benchPath)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

func BenchmarkSPCQuery(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	e := metrics.Engine()
	env := query.Env{Store: st, From: benchStart, To: benchStart.AddDate(1, 0, 0), Now: benchStart.AddDate(1, 0, 0)}
	ctx := context.Background()
	cases := []struct {
		name, source, spc, baseline string
	}{
		{"xmr_nelson_daily_mean_year", `{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d"}`, `"rules":["nelson"],"baseline":{"points":90}`,
			`SELECT (started_at / 86400000) * 86400000, AVG((resolved_at - started_at) / 1000.0) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1`},
		{"xmr_nelson_hourly_mean_year", `{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1h"}`, `"rules":["nelson","westernelectric"]`,
			`SELECT (started_at / 3600000) * 3600000, AVG((resolved_at - started_at) / 1000.0) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1`},
		{"xmr_p90_weekly_by_service_year", `{"queryType":"incidents","metric":"mttr","stat":"p90","bucket":"1w","groupBy":["service"]}`, `"rules":["nelson"]`,
			`SELECT service, (started_at / 604800000) * 604800000, AVG((resolved_at - started_at) / 1000.0) FROM incidents
			 WHERE started_at >= $1 AND started_at < $2 AND resolved_at IS NOT NULL GROUP BY 1, 2`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q, err := models.ParseQuery([]byte(`{"queryType":"spc","spc":{` + c.spc + `,"source":` + c.source + `}}`))
			if err != nil {
				b.Fatal(err)
			}
			src, err := models.ParseQuery([]byte(c.source))
			if err != nil {
				b.Fatal(err)
			}
			var ours, source, sql time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := e.Run(ctx, env, q); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(t0)
				b.StopTimer()
				t1 := time.Now()
				if _, err := e.Run(ctx, env, src); err != nil {
					b.Fatal(err)
				}
				source += time.Since(t1)
				t2 := time.Now()
				rows, err := st.QueryContext(ctx, c.baseline, env.From.UnixMilli(), env.To.UnixMilli())
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				sql += time.Since(t2)
				b.StartTimer()
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			b.ReportMetric(ms(ours), "ms/query")
			b.ReportMetric(ms(source), "source-ms/query")
			b.ReportMetric(ms(sql), "sql-ms/query")
			b.ReportMetric(ours.Seconds()/sql.Seconds(), "x-vs-sql-aggregate")
			b.ReportMetric(ours.Seconds()/source.Seconds(), "x-vs-source-query")
		})
	}
}
