package kpi_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: KPI query latency at 1M samples (100 KPIs, three versions each, a year of
// samples every ~53 minutes with a region label) and sample ingest rate on the embedded
// store, each with a ratio against plain SQL over the same rows measured in the same run.
//
//	go test ./pkg/metrics/kpi -run '^$' -bench . -benchtime 20x

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	benchKPIs       = 100
	benchPerKPI     = 10_000
	benchSpanMillis = int64(365 * 24 * time.Hour / time.Millisecond)
)

func benchKPIID(i int) string { return fmt.Sprintf("kpi_%03d", i) }

// generateSamples writes n samples per KPI for KPIs [first, last), evenly over a year,
// with a deterministic random walk around each KPI's level.
func generateSamples(first, last, n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 3))
	var b bytes.Buffer
	step := benchSpanMillis / int64(n)
	for k := first; k < last; k++ {
		level := 100 + float64(k)
		for i := 0; i < n; i++ {
			at := benchStart.Add(time.Duration(int64(i)*step) * time.Millisecond)
			level += r.NormFloat64()
			region := "eu"
			if i%2 == 1 {
				region = "us"
			}
			fmt.Fprintf(&b, `{"kpi":%q,"at":%q,"value":%.3f,"labels":{"region":%q}}`+"\n", benchKPIID(k), at.Format(time.RFC3339Nano), level, region)
		}
	}
	return b.Bytes()
}

// defineBenchKPIs creates every KPI with two later versions (from May and September);
// even KPIs are higher-is-better, odd ones lower; every fifth has a price.
func defineBenchKPIs(st store.Store) error {
	ctx := context.Background()
	w := kpi.Writer{By: "bench", Now: benchStart}
	for k := 0; k < benchKPIs; k++ {
		level := 100 + float64(k)
		dir, side := "higher", -1.0
		if k%2 == 1 {
			dir, side = "lower", 1.0
		}
		cost := ""
		if k%5 == 0 {
			cost = `,"cost_per_unit":2.5,"currency":"USD"`
		}
		for v, from := range []string{"", "2024-05-01T00:00:00Z", "2024-09-01T00:00:00Z"} {
			eff := ""
			if from != "" {
				eff = fmt.Sprintf(`,"effective_from":%q`, from)
			}
			// Each version moves the thresholds one unit further from the target.
			warn, crit := level+side*float64(5+v), level+side*float64(10+v)
			body := fmt.Sprintf(`{"id":%q,"name":"KPI %d","direction":%q,"target":%g,"warning":%g,"critical":%g,"owner":"team-%d"%s%s}`,
				benchKPIID(k), k, dir, level, warn, crit, k%7, cost, eff)
			rec, _, err := ingest.ParseKPIDefinition([]byte(body), benchStart)
			if err != nil {
				return err
			}
			if v == 0 {
				_, err = kpi.Create(ctx, st, rec, w)
			} else {
				_, _, err = kpi.Update(ctx, st, rec, w)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	millionOnce sync.Once
	millionPath string
	millionErr  error
)

// millionSamples builds (once per machine, cached in the temp dir) a store of 1M KPI
// samples loaded through the real ingest path, with their versioned definitions.
func millionSamples(b *testing.B) store.Store {
	millionOnce.Do(func() {
		millionPath = filepath.Join(os.TempDir(), "kaizen-bench-kpi-1M-v1.db")
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
		if millionErr = defineBenchKPIs(st); millionErr != nil {
			return
		}
		kind, _ := ingest.DefaultKinds().Get("kpi-samples")
		for chunk := 0; chunk < 10; chunk++ {
			payload := generateSamples(chunk*10, chunk*10+10, benchPerKPI, uint64(chunk))
			if _, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: benchStart.AddDate(1, 0, 0)}); err != nil {
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
	st, err := sqlite.Open(context.Background(), millionPath)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkKPIQuery1M: dashboard-shaped KPI queries over 1M samples, each against a plain
// SQL aggregate over the same rows and range measured in the same run (ratio of medians).
func BenchmarkKPIQuery1M(b *testing.B) {
	st := millionSamples(b)
	defer st.Close()
	year := query.Env{Store: st, From: benchStart, To: benchStart.AddDate(1, 0, 0), Now: benchStart.AddDate(1, 0, 0)}
	month := year
	month.From = month.To.AddDate(0, 0, -30)
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = benchKPIID(i * 10)
	}
	tenIn := `('kpi_000','kpi_010','kpi_020','kpi_030','kpi_040','kpi_050','kpi_060','kpi_070','kpi_080','kpi_090')`
	cases := []struct {
		name     string
		env      query.Env
		q        models.Query
		baseline string
	}{
		{"attainment_by_day_all_kpis_year", year, models.Query{Metric: "attainment", Bucket: "1d"},
			`SELECT (at / 86400000) * 86400000, kpi, AVG(value), MAX(at) FROM kpi_samples WHERE at >= $1 AND at < $2 GROUP BY 1, 2`},
		{"state_by_hour_one_kpi_30d", month, models.Query{Metric: "state", Bucket: "1h", KPI: &models.KPIOptions{KPIs: []string{"kpi_042"}}},
			`SELECT (at / 3600000) * 3600000, kpi, AVG(value), MAX(at) FROM kpi_samples WHERE kpi = 'kpi_042' AND at >= $1 AND at < $2 GROUP BY 1, 2`},
		{"p90_by_week_by_region_10_kpis_year", year, models.Query{Metric: "value", Stat: "p90", Bucket: "1w", GroupBy: []string{"label.region"}, KPI: &models.KPIOptions{KPIs: ten}},
			`SELECT (at / 604800000) * 604800000, kpi, labels, AVG(value) FROM kpi_samples WHERE kpi IN ` + tenIn + ` AND at >= $1 AND at < $2 GROUP BY 1, 2, 3`},
		{"cost_by_day_priced_kpis_year", year, models.Query{Metric: "cost", Bucket: "1d"},
			`SELECT (at / 86400000) * 86400000, kpi, SUM(value * 2.5) FROM kpi_samples WHERE kpi IN ` + pricedIn() + ` AND at >= $1 AND at < $2 GROUP BY 1, 2`},
		{"stale_audit_all_kpis", year, models.Query{Metric: "stale"},
			// The audit reads every KPI's whole history up to the range end; $1 is unused.
			`SELECT kpi, MAX(at) FROM kpi_samples WHERE at <= $2 AND $1 > 0 GROUP BY kpi`},
	}
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.QueryType = models.QueryTypeKPI
			q.Normalize()
			ours := make([]time.Duration, 0, b.N)
			sqlTimes := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				var err error
				if q.Metric == "stale" {
					_, err = kpi.Frames(ctx, c.env, q)
				} else {
					_, err = kpi.Compute(ctx, c.env, q)
				}
				if err != nil {
					b.Fatal(err)
				}
				ours = append(ours, time.Since(t0))
				b.StopTimer()
				t1 := time.Now()
				rows, err := st.QueryContext(ctx, c.baseline, c.env.From.UnixMilli(), c.env.To.UnixMilli())
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				sqlTimes = append(sqlTimes, time.Since(t1))
				b.StartTimer()
			}
			p50, p95 := percentiles(ours)
			s50, s95 := percentiles(sqlTimes)
			b.ReportMetric(p50, "p50-ms")
			b.ReportMetric(p95, "p95-ms")
			b.ReportMetric(s50, "sql-p50-ms")
			b.ReportMetric(s95, "sql-p95-ms")
			b.ReportMetric(p50/s50, "x-vs-sql-aggregate")
		})
	}
}

func pricedIn() string {
	var ids []string
	for k := 0; k < benchKPIs; k += 5 {
		ids = append(ids, "'"+benchKPIID(k)+"'")
	}
	return "(" + strings.Join(ids, ",") + ")"
}

// percentiles returns the median and the 95th percentile (nearest rank) in milliseconds.
func percentiles(ds []time.Duration) (float64, float64) {
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	rank := (95*len(s) + 99) / 100
	return ms(s[len(s)/2]), ms(s[max(rank, 1)-1])
}

// BenchmarkKPISampleIngest: samples through the real ingest path (parse, validate,
// canonical labels, batched upserts) against one prepared INSERT per row in one transaction.
func BenchmarkKPISampleIngest(b *testing.B) {
	const n = 100_000
	payload := generateSamples(0, 10, n/10, 7)
	kind, _ := ingest.DefaultKinds().Get("kpi-samples")
	var ours, baseline time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "ingest.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		res, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: benchStart.AddDate(1, 0, 0)})
		if err != nil || res.Stored != n {
			b.Fatalf("ingest: %d %v", res.Stored, err)
		}
		ours += time.Since(t0)
		b.StopTimer()
		raw, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		err = raw.WithTx(context.Background(), func(tx store.Tx) error {
			for j := 0; j < n; j++ {
				if _, err := tx.ExecContext(context.Background(), `INSERT INTO kpi_samples (kpi, at, value, labels, source, ingested_at) VALUES ($1, $2, $3, $4, $5, $6)`,
					benchKPIID(j%10), benchStart.UnixMilli()+int64(j)*1000, 1.5, `{"region":"eu"}`, "api", benchStart.UnixMilli()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		baseline += time.Since(t1)
		_ = st.Close()
		_ = raw.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/ours.Seconds(), "records/s")
	b.ReportMetric(float64(n*b.N)/baseline.Seconds(), "sql-records/s")
	b.ReportMetric(ours.Seconds()/baseline.Seconds(), "x-vs-prepared-insert")
}
