package kaizen_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/impact"
	"github.com/kaizenops/suite/pkg/stats/summary"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: the impact query for 500 kaizen events over 1M incidents on the
// embedded store (two years, 500 services, 2000 incidents each; every event targets
// MTTR median per day of its own service, deployed somewhere in the second year,
// 30-day windows), against two baselines measured in the same run:
//   - plain-sql-sort: per event, each window's durations fetched by plain SQL on the
//     (service, started_at) index and sorted (what any medians-based answer must at
//     least do);
//   - sql-plus-stats: the same rows, cut into daily medians by hand and handed to
//     pkg/stats/impact (Analyze, and Sustain per review): the floor for the same
//     answer, so the ratio is what the query path adds on top of the statistics.
//
//	go test ./pkg/metrics/kaizen -run '^$' -bench . -benchtime 3x

const (
	benchIncidents = 1_000_000
	benchServices  = 500
)

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchStore builds (once per machine, cached in the temp dir) the incidents through
// the real ingest path and the events through the real write path.
func benchStore(b *testing.B) store.Store {
	benchOnce.Do(func() {
		benchPath = filepath.Join(os.TempDir(), "kaizen-bench-kaizen-1M-v1.db")
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		benchErr = buildBenchStore(benchPath)
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

func buildBenchStore(path string) error {
	tmp := path + ".building"
	_ = os.Remove(tmp)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(12, 1))
	span := int64(2 * 365 * 24 * time.Hour / time.Second)
	kind, _ := ingest.DefaultKinds().Get("incidents")
	const chunk = 100_000
	for start := 0; start < benchIncidents; start += chunk {
		var buf bytes.Buffer
		for i := start; i < start+chunk; i++ {
			begin := benchStart.Add(time.Duration(r.Int64N(span)) * time.Second)
			// Restore times around an hour; the second year's are shorter for even services.
			mttr := 600 + r.ExpFloat64()*3000
			fmt.Fprintf(&buf, `{"id":"K-%d","service":"svc-%03d","team":"team-%d","severity":"sev2","started_at":%q,"resolved_at":%q}`+"\n",
				i, i%benchServices, r.IntN(5), begin.Format(time.RFC3339), begin.Add(time.Duration(mttr)*time.Second).Format(time.RFC3339))
		}
		if _, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, &buf, ingest.Options{Now: time.Now()}); err != nil {
			return err
		}
	}
	d := deps()
	w := kaizen.Writer{By: "bench", Now: benchStart.AddDate(2, 0, 0)}
	for i := 0; i < benchServices; i++ {
		deployed := benchStart.AddDate(1, 0, 0).Add(time.Duration(r.Int64N(int64(300*24*time.Hour/time.Second))) * time.Second).Truncate(time.Hour)
		body := fmt.Sprintf(`{"id":"kz-%03d","name":"Improvement %d","target":%s,"proposed_at":"%s","deployed_at":"%s"}`,
			i, i, mttrTarget(fmt.Sprintf("svc-%03d", i)), deployed.AddDate(0, 0, -20).Format(time.RFC3339), deployed.Format(time.RFC3339))
		rec, _, err := ingest.ParseKaizenEvent([]byte(body), w.Now)
		if err != nil {
			return err
		}
		if _, err := d.Create(ctx, st, rec, w); err != nil {
			return err
		}
	}
	if err := st.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func BenchmarkImpact500Events(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	ctx := context.Background()
	evs, err := kaizen.List(ctx, st, false)
	if err != nil || len(evs) != benchServices {
		b.Fatalf("%d events: %v", len(evs), err)
	}
	now := benchStart.AddDate(2, 0, 0)
	env := query.Env{Store: st, From: benchStart, To: now, Now: now}
	e := metrics.Engine()
	for _, c := range []struct{ name, q string }{
		{"table", `{"queryType":"kaizen","metric":"impact","format":"table"}`},
		{"sustainability_table", `{"queryType":"kaizen","metric":"sustainability","format":"table"}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			q, err := models.ParseQuery([]byte(c.q))
			if err != nil {
				b.Fatal(err)
			}
			reviews := c.name == "sustainability_table"
			var ours, plain, floor time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				frames, err := e.Run(ctx, env, q)
				if err != nil || frames[0].Rows() != benchServices {
					b.Fatalf("%v rows, %v", frames, err)
				}
				ours += time.Since(t0)
				b.StopTimer()
				t1 := time.Now()
				plainWindows(b, st, evs, reviews, false)
				plain += time.Since(t1)
				t2 := time.Now()
				plainWindows(b, st, evs, reviews, true)
				floor += time.Since(t2)
				b.StartTimer()
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			b.ReportMetric(ms(ours), "ms/query")
			b.ReportMetric(ms(ours)/benchServices, "ms/event")
			b.ReportMetric(ms(plain), "plain-sql-sort-ms/query")
			b.ReportMetric(ms(floor), "sql-plus-stats-ms/query")
			b.ReportMetric(ours.Seconds()/plain.Seconds(), "x-vs-plain-sql-sort")
			b.ReportMetric(ours.Seconds()/floor.Seconds(), "x-vs-sql-plus-stats")
		})
	}
}

// plainWindows is a baseline: per event, each window's durations by plain SQL on
// the (service, started_at) index, sorted. With stats, each window's daily medians
// then go through impact.Analyze (and impact.Sustain per review, as the query runs
// them). With reviews, the three review windows are fetched too.
func plainWindows(b *testing.B, st store.Store, evs []kaizen.Event, reviews, stats bool) {
	ctx := context.Background()
	for _, e := range evs {
		dep := *e.DeployedAt
		windows := [][2]time.Time{{dep.AddDate(0, 0, -30), dep}, {dep, dep.AddDate(0, 0, 30)}}
		if reviews {
			for _, d := range []int{30, 60, 90} {
				windows = append(windows, [2]time.Time{dep.AddDate(0, 0, d-30), dep.AddDate(0, 0, d)})
			}
		}
		service := "svc-" + e.ID[3:]
		var medians [][]float64
		for _, w := range windows {
			rows, err := st.QueryContext(ctx, `SELECT started_at, CAST(resolved_at - started_at AS DOUBLE PRECISION) / 1000.0 FROM incidents
				WHERE service = $1 AND started_at >= $2 AND started_at < $3 AND resolved_at IS NOT NULL`, service, w[0].UnixMilli(), w[1].UnixMilli())
			if err != nil {
				b.Fatal(err)
			}
			var vals []float64
			byDay := map[int64][]float64{}
			for rows.Next() {
				var at int64
				var v float64
				if err := rows.Scan(&at, &v); err != nil {
					b.Fatal(err)
				}
				vals = append(vals, v)
				if stats {
					byDay[at/86_400_000] = append(byDay[at/86_400_000], v)
				}
			}
			rows.Close()
			slices.Sort(vals)
			if stats {
				days := slices.Sorted(maps.Keys(byDay))
				m := make([]float64, len(days))
				for i, d := range days {
					m[i], _ = summary.Of(byDay[d], summary.Median)
				}
				medians = append(medians, m)
			}
		}
		if !stats {
			continue
		}
		opts := impact.Options{Better: impact.LowerIsBetter}
		if _, err := impact.Analyze(medians[0], medians[1], opts); err != nil {
			b.Fatal(err)
		}
		opts.Resamples = 100
		for _, m := range medians[2:] {
			if _, err := impact.Sustain(medians[0], m, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}
