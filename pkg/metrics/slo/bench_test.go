package slo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: multiwindow burn rates and the status bundle for 1,000 SLOs with
// 30 days of 1-minute SLI counts (43.2M samples) on the embedded store, against a
// plain SQL aggregate measured in the same run.
//
//	go test ./pkg/metrics/slo -run '^$' -bench . -benchtime 10x
//
// The store is built once through the real ingest path (IngestSLI, one
// transaction per SLO-day batch) and cached in the temp dir; KAIZEN_BENCH_SLOS
// shrinks it (e.g. 100) for a quick look.

var benchEnd = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

const benchDays = 30

func benchSLOs() int {
	if n, err := strconv.Atoi(os.Getenv("KAIZEN_BENCH_SLOS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

func benchID(i int) string { return fmt.Sprintf("slo-%04d", i) }

// writeDay streams one day of 1-minute samples for every SLO: traffic of 50 to
// 2,000 events a minute, a background error ratio of 0 to 0.05%, and for some
// SLOs an error burst of 30 to 120 minutes at 1% to 5%.
func writeDay(w io.Writer, n, day int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	start := benchEnd.AddDate(0, 0, day-benchDays)
	for i := 0; i < n; i++ {
		r := rand.New(rand.NewPCG(uint64(i), uint64(day)))
		traffic := 50 + r.IntN(1950)
		background := r.Float64() * 0.0005
		burstAt, burstLen, burstRate := -1, 0, 0.0
		if r.IntN(10) == 0 {
			burstAt, burstLen, burstRate = r.IntN(1440), 30+r.IntN(90), 0.01+r.Float64()*0.04
		}
		id := benchID(i)
		for m := 0; m < 1440; m++ {
			total := traffic + r.IntN(traffic/10+1)
			rate := background
			if m >= burstAt && m < burstAt+burstLen {
				rate = burstRate
			}
			bad := int(float64(total)*rate + r.Float64())
			at := start.Add(time.Duration(m) * time.Minute).Format(time.RFC3339)
			if _, err := fmt.Fprintf(bw, `{"slo":%q,"at":%q,"duration":"1m","good":%d,"total":%d}`+"\n", id, at, total-bad, total); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchStore builds (once per machine) the store: definitions for n SLOs (99.9%
// over 30 days) and 30 days of samples, ingested a day at a time.
func benchStore(b *testing.B) store.Store {
	n := benchSLOs()
	benchOnce.Do(func() {
		benchPath = filepath.Join(os.TempDir(), fmt.Sprintf("kaizen-bench-slo-%dx30d-v3.db", n))
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		tmp := benchPath + ".building"
		_ = os.Remove(tmp)
		ctx := context.Background()
		st, err := sqlite.Open(ctx, tmp)
		if err != nil {
			benchErr = err
			return
		}
		defer st.Close()
		for i := 0; i < n; i++ {
			d := Definition{ID: benchID(i), Service: fmt.Sprintf("svc-%04d", i), Team: fmt.Sprintf("team-%02d", i%20), Objective: 99.9, Window: "30d"}
			if _, err := CreateDefinition(ctx, st, d, benchEnd); err != nil {
				benchErr = err
				return
			}
		}
		var total time.Duration
		for day := 0; day < benchDays; day++ {
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(writeDay(pw, n, day)) }()
			t0 := time.Now()
			res, err := ingest.IngestSLI(ctx, st, ingest.NDJSON, pr, ingest.Options{Now: benchEnd.Add(time.Duration(day) * time.Second)})
			if err != nil || len(res.Rejected) > 0 {
				benchErr = fmt.Errorf("day %d: %v %+v", day, err, res.Rejected)
				return
			}
			total += time.Since(t0)
			fmt.Fprintf(os.Stderr, "bench store: day %d: %d samples in %s (%.0f samples/s so far)\n", day+1, res.Stored, time.Since(t0).Round(time.Millisecond),
				float64(n*1440*(day+1))/total.Seconds())
		}
		if _, err := st.ExecContext(ctx, "ANALYZE"); err != nil {
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

// durations summarises per-iteration times: median and p95 (nearest rank).
type durations []time.Duration

func (d durations) pct(p float64) time.Duration {
	s := append(durations(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(p*float64(len(s))+0.999999) - 1
	return s[max(0, min(k, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkMultiwindowBurnRates: burn rates over 5m, 30m, 1h, 6h and 3d for every
// SLO at an instant that is not on a minute boundary (as "now" never is), with and
// without rollups, against the plain SQL aggregate of the same five windows over
// the samples.
func BenchmarkMultiwindowBurnRates(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	ctx := context.Background()
	at := benchEnd.Add(-37*time.Minute - 12*time.Second)
	e := query.Env{Store: st, From: at.Add(-24 * time.Hour), To: at, Now: at}
	q := models.Query{QueryType: models.QueryTypeSLO, Metric: BurnRate, Bucket: "none"}
	q.Normalize()
	windows := WorkbookWindows()
	// Baseline: the five window sums per SLO straight from the samples, one pass
	// over the longest window's rows.
	args := []any{at.Add(-windows[len(windows)-1]).UnixMilli(), at.UnixMilli()}
	marks := ""
	for i := 0; i < benchSLOs(); i++ {
		args = append(args, benchID(i))
		marks += fmt.Sprintf(", $%d", len(args))
	}
	sel := "SELECT slo"
	for _, w := range windows {
		args = append(args, at.Add(-w).UnixMilli())
		sel += fmt.Sprintf(", SUM(CASE WHEN at >= $%d THEN total - good ELSE 0 END), SUM(CASE WHEN at >= $%d THEN total ELSE 0 END)", len(args), len(args))
	}
	sqlText := sel + " FROM sli_samples WHERE slo IN (" + marks[2:] + ") AND at >= $1 AND at < $2 GROUP BY slo"
	cases := []struct {
		name string
		r    reader
	}{{"rollups", reader{}}, {"samples-only", reader{noRollups: true}}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var ours, base durations
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				res, err := c.r.compute(ctx, e, q)
				if err != nil {
					b.Fatal(err)
				}
				ours = append(ours, time.Since(t0))
				if len(res.Series) != benchSLOs()*len(windows) {
					b.Fatalf("%d series", len(res.Series))
				}
				b.StopTimer()
				t1 := time.Now()
				rows, err := st.QueryContext(ctx, sqlText, args...)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				base = append(base, time.Since(t1))
				b.StartTimer()
			}
			b.ReportMetric(ms(ours.pct(0.5)), "ms/query-p50")
			b.ReportMetric(ms(ours.pct(0.95)), "ms/query-p95")
			b.ReportMetric(ms(base.pct(0.5)), "sql-ms/query-p50")
			b.ReportMetric(ms(ours.pct(0.5))/ms(base.pct(0.5)), "x-vs-sql-aggregate")
		})
	}
}

// BenchmarkStatusBundle: the panel's one query (status frames) for every SLO
// over a 7-day dashboard range, against the same plain SQL aggregate of the five
// burn-rate windows (the cheapest part of what it answers).
func BenchmarkStatusBundle(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	ctx := context.Background()
	at := benchEnd.Add(-37*time.Minute - 12*time.Second)
	e := query.Env{Store: st, From: at.Add(-statusBenchDays * 24 * time.Hour), To: at, Now: at, Interval: 10 * time.Minute, MaxDataPoints: 1000}
	q := models.Query{QueryType: models.QueryTypeSLO, Metric: Status}
	q.Normalize()
	args := []any{at.Add(-time.Hour).UnixMilli(), at.UnixMilli()}
	marks := ""
	for i := 0; i < benchSLOs(); i++ {
		args = append(args, benchID(i))
		marks += fmt.Sprintf(", $%d", len(args))
	}
	base := "SELECT slo, SUM(total - good), SUM(total) FROM sli_samples WHERE slo IN (" + marks[2:] + ") AND at >= $1 AND at < $2 GROUP BY slo"
	var ours, sqlT durations
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := Frames(ctx, e, q); err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(t0))
		b.StopTimer()
		t1 := time.Now()
		rows, err := st.QueryContext(ctx, base, args...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
		sqlT = append(sqlT, time.Since(t1))
		b.StartTimer()
	}
	b.ReportMetric(ms(ours.pct(0.5)), "ms/query-p50")
	b.ReportMetric(ms(ours.pct(0.95)), "ms/query-p95")
	b.ReportMetric(ms(sqlT.pct(0.5)), "sql-1h-ms/query-p50")
	b.ReportMetric(ms(ours.pct(0.5))/ms(sqlT.pct(0.5)), "x-vs-sql-1h-aggregate")
}

// statusBenchDays is the status bundle's range: the ops wall's 7 days by default;
// KAIZEN_SLO_STATUS_DAYS=30 measures the SRE overview's.
var statusBenchDays = func() time.Duration {
	if d, err := strconv.Atoi(os.Getenv("KAIZEN_SLO_STATUS_DAYS")); err == nil && d > 0 {
		return time.Duration(d)
	}
	return 7
}()
