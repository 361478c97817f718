package delivery_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/delivery"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: DORA queries at 1M deployments (and 30k incidents naming some of them)
// on the embedded store, each with a ratio against a plain SQL aggregate over the
// same rows measured in the same run.
//
//	go test ./pkg/metrics/delivery -run '^$' -bench . -benchtime 5x

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	benchDeployments = 1_000_000
	benchChunk       = 100_000
)

// generateDeployments writes deployments [first, first+n) spread over a year, in
// time order: 40 services of 8 teams, 70% to production, 8% failed and 3% rolled
// back, lead times lognormal around 6 hours, 10% without a commit time.
func generateDeployments(first, n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 2))
	var b bytes.Buffer
	span := float64(365 * 24 * time.Hour / time.Millisecond)
	for i := first; i < first+n; i++ {
		at := benchStart.Add(time.Duration(float64(i)/benchDeployments*span) * time.Millisecond)
		svc := r.IntN(40)
		env := "production"
		if r.Float64() < 0.3 {
			env = "staging"
		}
		status := "success"
		switch u := r.Float64(); {
		case u < 0.08:
			status = "failed"
		case u < 0.11:
			status = "rolled_back"
		}
		commit := ""
		if r.Float64() >= 0.1 {
			lead := time.Duration(math.Exp(r.NormFloat64()*1.2+math.Log(6*3600))) * time.Second
			commit = fmt.Sprintf(`,"commit_at":%q`, at.Add(-lead).Format(time.RFC3339))
		}
		fmt.Fprintf(&b, `{"id":"D%d","service":"svc-%02d","team":"team-%d","environment":%q,"deployed_at":%q,"status":%q%s}`+"\n",
			i, svc, svc%8, env, at.Format(time.RFC3339), status, commit)
	}
	return b.Bytes()
}

// generateIncidents names every 33rd deployment (3%) as an incident's cause.
func generateIncidents() []byte {
	var b bytes.Buffer
	span := float64(365 * 24 * time.Hour / time.Millisecond)
	for i := 0; i < benchDeployments; i += 33 {
		at := benchStart.Add(time.Duration(float64(i)/benchDeployments*span)*time.Millisecond + 10*time.Minute)
		fmt.Fprintf(&b, `{"id":"INC-%d","service":"svc-%02d","started_at":%q,"resolved_at":%q,"caused_by_deployment":"D%d"}`+"\n",
			i, i%40, at.Format(time.RFC3339), at.Add(45*time.Minute).Format(time.RFC3339), i)
	}
	return b.Bytes()
}

var (
	storeOnce sync.Once
	storePath string
	storeErr  error
)

// millionDeployments builds (once per machine, cached in the temp dir) a store of 1M
// deployments and their incidents, loaded through the real ingest path.
func millionDeployments(b *testing.B) store.Store {
	storeOnce.Do(func() {
		storePath = filepath.Join(os.TempDir(), "kaizen-bench-deployments-1M-v1.db")
		if _, err := os.Stat(storePath); err == nil {
			return
		}
		tmp := storePath + ".building"
		_ = os.Remove(tmp)
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			storeErr = err
			return
		}
		deployments, _ := ingest.DefaultKinds().Get("deployments")
		for first := 0; first < benchDeployments; first += benchChunk {
			payload := generateDeployments(first, benchChunk, uint64(first))
			if _, err := ingest.Ingest(context.Background(), st, deployments, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: time.Now()}); err != nil {
				storeErr = err
				return
			}
		}
		incidents, _ := ingest.DefaultKinds().Get("incidents")
		if _, err := ingest.Ingest(context.Background(), st, incidents, ingest.NDJSON, bytes.NewReader(generateIncidents()), ingest.Options{Now: time.Now()}); err != nil {
			storeErr = err
			return
		}
		_ = st.Close()
		storeErr = os.Rename(tmp, storePath)
	})
	if storeErr != nil {
		b.Fatal(storeErr)
	}
	st, err := sqlite.Open(context.Background(), storePath)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkDORAQuery1M: dashboard-shaped lead time and change failure rate queries
// (and frequency and recovery time) over 1M deployments, against plain SQL aggregates.
func BenchmarkDORAQuery1M(b *testing.B) {
	st := millionDeployments(b)
	defer st.Close()
	year := query.Env{Store: st, From: benchStart, To: benchStart.AddDate(1, 0, 0), Now: benchStart.AddDate(1, 0, 0)}
	month := year
	month.From = year.To.AddDate(0, 0, -30)
	ctx := context.Background()
	const prodYear = ` FROM deployments WHERE environment = 'production' AND deployed_at >= $1 AND deployed_at < $2`
	cases := []struct {
		name     string
		env      query.Env
		q        models.Query
		baseline string
	}{
		{"lead_time_median_by_week_year", year, models.Query{Metric: "lead_time", Bucket: "1w"},
			`SELECT (deployed_at - 345600000) / 604800000, AVG((deployed_at - commit_at) / 1000.0)` + prodYear + ` AND status = 'success' AND commit_at IS NOT NULL GROUP BY 1`},
		{"lead_time_p90_by_service_30d", month, models.Query{Metric: "lead_time", Stat: "p90", Bucket: "none", GroupBy: []string{"service"}},
			`SELECT service, AVG((deployed_at - commit_at) / 1000.0)` + prodYear + ` AND status = 'success' AND commit_at IS NOT NULL GROUP BY 1`},
		{"change_failure_rate_by_week_year", year, models.Query{Metric: "change_failure_rate", Bucket: "1w"},
			`SELECT (deployed_at - 345600000) / 604800000, COUNT(*), SUM(CASE WHEN status IN ('failed', 'rolled_back') THEN 1 ELSE 0 END)` + prodYear + ` GROUP BY 1`},
		{"change_failure_rate_by_service_30d", month, models.Query{Metric: "change_failure_rate", Bucket: "none", GroupBy: []string{"service"}},
			`SELECT service, COUNT(*), SUM(CASE WHEN status IN ('failed', 'rolled_back') THEN 1 ELSE 0 END)` + prodYear + ` GROUP BY 1`},
		{"deployment_frequency_by_day_year", year, models.Query{Metric: "deployment_frequency", Bucket: "1d"},
			`SELECT deployed_at / 86400000, COUNT(*)` + prodYear + ` GROUP BY 1`},
		{"recovery_time_median_by_service_30d", month, models.Query{Metric: "recovery_time", Bucket: "none", GroupBy: []string{"service"}},
			`SELECT service, COUNT(*)` + prodYear + ` AND status IN ('failed', 'rolled_back') GROUP BY 1`},
		{"recovery_time_median_by_week_year", year, models.Query{Metric: "recovery_time", Bucket: "1w"},
			`SELECT (deployed_at - 345600000) / 604800000, COUNT(*)` + prodYear + ` AND status IN ('failed', 'rolled_back') GROUP BY 1`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.QueryType = models.QueryTypeDelivery
			q.Normalize()
			var ours, sqlTime time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := delivery.Compute(ctx, c.env, q); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(t0)
				b.StopTimer()
				t1 := time.Now()
				rows, err := st.QueryContext(ctx, c.baseline, c.env.From.UnixMilli(), c.env.To.UnixMilli())
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				sqlTime += time.Since(t1)
				b.StartTimer()
			}
			b.ReportMetric(float64(ours.Microseconds())/1000/float64(b.N), "ms/query")
			b.ReportMetric(float64(sqlTime.Microseconds())/1000/float64(b.N), "sql-ms/query")
			b.ReportMetric(ours.Seconds()/sqlTime.Seconds(), "x-vs-sql-aggregate")
		})
	}
}
