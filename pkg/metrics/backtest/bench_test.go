package backtest_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// Benchmark: a backtest query of 20 candidates over a year of one-minute SLI samples
// (525,600 points, a KPI in the store) against 5,000 stored incidents, through the
// query type (the source fetched by the kpi query type in windows), against a plain
// SQL baseline measured in the same run: reading the same samples and incidents
// with two SELECTs, no bucketing and no replay.
//
//	go test ./pkg/metrics/backtest -run '^$' -bench . -benchtime 3x

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

const benchPoints = 525_600

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchStore builds (once per machine, cached in the temp dir) the year through the
// real ingest path: SLI 1 − noise, 3,000 short noise dips without an incident, and
// 5,000 incidents of 5 to 60 minutes, 9 in 10 showing as a dip (the pure engine's
// benchmark data, pkg/stats/backtest).
func benchStore(b *testing.B) store.Store {
	benchOnce.Do(func() {
		benchPath = filepath.Join(os.TempDir(), "kaizen-bench-backtest-year-v1.db")
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		rng := rand.New(rand.NewPCG(1, 2))
		values := make([]float64, benchPoints)
		for i := range values {
			values[i] = 1 - rng.Float64()*0.001
		}
		for range 3000 {
			at := rng.IntN(benchPoints - 10)
			for j := range 1 + rng.IntN(8) {
				values[at+j] = 0.97 + rng.Float64()*0.02
			}
		}
		var incidents bytes.Buffer
		for k := range 5000 {
			start := rng.IntN(benchPoints - 100)
			dur := 5 + rng.IntN(55)
			fmt.Fprintf(&incidents, `{"id":"BT-%d","service":"checkout","severity":"sev2","started_at":%q,"resolved_at":%q}`+"\n", k,
				benchStart.Add(time.Duration(start)*time.Minute).Format(time.RFC3339), benchStart.Add(time.Duration(start+dur)*time.Minute).Format(time.RFC3339))
			if rng.IntN(10) == 0 {
				continue // silent incident
			}
			depth := 0.002 + rng.Float64()*0.2
			for j := range dur {
				values[start+j] = 1 - depth*(0.5+rng.Float64())
			}
		}
		tmp := benchPath + ".building"
		_ = os.Remove(tmp)
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			benchErr = err
			return
		}
		now := benchStart.AddDate(1, 0, 1)
		samples, _ := ingest.DefaultKinds().Get("kpi-samples")
		for chunk := 0; chunk < benchPoints; chunk += 100_000 {
			var buf bytes.Buffer
			for i := chunk; i < min(chunk+100_000, benchPoints); i++ {
				fmt.Fprintf(&buf, `{"kpi":"checkout_sli","at":%q,"value":%s}`+"\n",
					benchStart.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), json.Number(fmt.Sprint(values[i])))
			}
			if _, err := ingest.Ingest(context.Background(), st, samples, ingest.NDJSON, &buf, ingest.Options{Now: now}); err != nil {
				benchErr = err
				return
			}
		}
		kind, _ := ingest.DefaultKinds().Get("incidents")
		if _, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, &incidents, ingest.Options{Now: now}); err != nil {
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

// benchCandidates are the pure engine benchmark's 20: thresholds with and without a
// pending period, the SRE workbook's three burn-rate pairs, XmR charts with a day's
// baseline and various run rules.
func benchCandidates() string {
	var cs []map[string]any
	for _, v := range []float64{0.999, 0.99, 0.98, 0.95, 0.9} {
		for _, f := range []string{"0s", "5m"} {
			cs = append(cs, map[string]any{"name": fmt.Sprintf("below %v for %s", v, f), "type": "threshold", "op": "below", "value": v, "for": f})
		}
	}
	for _, w := range []struct {
		long, short string
		factor      float64
	}{{"1h", "5m", 14.4}, {"6h", "30m", 6}, {"3d", "6h", 1}} {
		for _, f := range []string{"0s", "2m"} {
			cs = append(cs, map[string]any{"name": fmt.Sprintf("burn %s/%s for %s", w.long, w.short, f), "type": "burn_rate",
				"objective": 99.9, "long": w.long, "short": w.short, "factor": w.factor, "for": f})
		}
	}
	for _, rules := range [][]string{{"nelson-1"}, {"nelson-1", "nelson-2"}, {"westernelectric"}, {"nelson"}} {
		cs = append(cs, map[string]any{"name": fmt.Sprint("xmr ", rules), "type": "control", "baseline_points": 1440, "rules": rules})
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

func BenchmarkBacktestQueryYear(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	e := metrics.Engine()
	ctx := context.Background()
	env := query.Env{Store: st, From: benchStart, To: benchStart.AddDate(1, 0, 0), Now: benchStart.AddDate(1, 0, 1)}
	source := `{"queryType":"kpi","metric":"value","kpi":{"kpis":["checkout_sli"]},"bucket":"1m"}`
	q, err := models.ParseQuery([]byte(`{"queryType":"backtest","improvement":{"lead":"5m","source":` + source + `,"candidates":` + benchCandidates() + `}}`))
	if err != nil {
		b.Fatal(err)
	}
	var ours, sqlBase time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		frames, err := e.Run(ctx, env, q)
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(t0)
		if f := frames[0]; f.Rows() != 20 || f.Fields[3].At(0).(int64) == 0 {
			b.Fatalf("scores: %d rows", f.Rows())
		}
		b.StopTimer()
		t1 := time.Now()
		readAll(b, st, `SELECT at, value FROM kpi_samples WHERE kpi = $1 AND at >= $2 AND at < $3`, "checkout_sli", env.From.UnixMilli(), env.To.UnixMilli())
		readAll(b, st, `SELECT started_at, resolved_at FROM incidents WHERE started_at >= $1 AND started_at < $2`, env.From.UnixMilli(), env.To.UnixMilli())
		sqlBase += time.Since(t1)
		b.StartTimer()
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(ours), "ms/query")
	b.ReportMetric(ms(sqlBase), "sql-ms/query")
	b.ReportMetric(ours.Seconds()/sqlBase.Seconds(), "x-vs-plain-select")
}

// BenchmarkBacktestSourceYear: the source alone (the kpi query over the year in
// windows of 10,000 buckets), to show where a backtest query's time goes.
func BenchmarkBacktestSourceYear(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	e := metrics.Engine()
	env := query.Env{Store: st, From: benchStart, To: benchStart.AddDate(1, 0, 0), Now: benchStart.AddDate(1, 0, 1)}
	q, err := models.ParseQuery([]byte(`{"queryType":"backtest","improvement":{"source":{"queryType":"kpi","metric":"value","kpi":{"kpis":["checkout_sli"]},"bucket":"1m"},
		"candidates":[{"name":"one","type":"threshold","op":"below","value":0.99}]}}`))
	if err != nil {
		b.Fatal(err)
	}
	var ours time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := e.Run(context.Background(), env, q); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(t0)
	}
	b.ReportMetric(float64(ours.Microseconds())/1000/float64(b.N), "ms/query")
}

func readAll(b *testing.B, st store.Store, sqlText string, args ...any) {
	rows, err := st.QueryContext(context.Background(), sqlText, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var x int64
	var y any
	n := 0
	for rows.Next() {
		if err := rows.Scan(&x, &y); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n == 0 {
		b.Fatal("baseline read no rows")
	}
}
