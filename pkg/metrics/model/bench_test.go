package model_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/drift"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: drift of one feature at 10M observations and of 100 features x 100k on
// the embedded store, latency and heap peak, each against an in-memory single-pass
// histogram of the same values measured in the same run (the practical floor: the
// values already in memory, binned once); SQL vs Go binning; bulk ingest rate.
//
//	go test ./pkg/metrics/model -run '^$' -bench . -benchtime 1x
//
// The stores are built once (deterministic data, through the batch ingest path) and
// cached in os.TempDir(); the build time is logged.

var benchDay0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const benchDays = 100

// benchSet is a cached store: features x perFeature observations over benchDays
// days, N(0, 1) for the first half and N(0.1, 1.1) for the second (a mild drift).
type benchSet struct {
	name       string
	model      string
	features   int
	perFeature int
	once       sync.Once
	path       string
	err        error
}

var (
	oneFeature10M  = &benchSet{name: "kaizen-bench-model-1x10M-v1.db", model: "bench", features: 1, perFeature: 10_000_000}
	wide100x100k   = &benchSet{name: "kaizen-bench-model-100x100k-v1.db", model: "wide", features: 100, perFeature: 100_000}
	benchFrom      = benchDay0
	benchMid       = benchDay0.AddDate(0, 0, benchDays/2)
	benchTo        = benchDay0.AddDate(0, 0, benchDays)
	batchesPerDay  = 96 // a scorer flushing every 15 minutes
	rowsPerPayload = 100_000
)

func featureName(set *benchSet, f int) string {
	if set.features == 1 {
		return "x"
	}
	return fmt.Sprintf("f%03d", f)
}

// benchValues generates a feature's values for one batch, deterministically.
func benchValues(r *rand.Rand, n int, secondHalf bool) []float64 {
	mean, sd := 0.0, 1.0
	if secondHalf {
		mean, sd = 0.1, 1.1
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = mean + sd*r.NormFloat64()
	}
	return out
}

// visit calls fn with every batch of the set in order: feature, time, values.
func (set *benchSet) visit(fn func(feature string, at time.Time, values []float64) error) error {
	perBatch := set.perFeature / (benchDays * batchesPerDay)
	extra := set.perFeature - perBatch*benchDays*batchesPerDay
	for f := 0; f < set.features; f++ {
		r := rand.New(rand.NewPCG(uint64(f)+1, 42))
		for d := 0; d < benchDays; d++ {
			for b := 0; b < batchesPerDay; b++ {
				n := perBatch
				if d == benchDays-1 && b == batchesPerDay-1 {
					n += extra
				}
				at := benchDay0.AddDate(0, 0, d).Add(time.Duration(b) * 24 * time.Hour / time.Duration(batchesPerDay))
				if err := fn(featureName(set, f), at, benchValues(r, n, d >= benchDays/2)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// open builds the store once per machine (cached in the temp dir) and opens it.
func (set *benchSet) open(b *testing.B) store.Store {
	set.once.Do(func() {
		set.path = filepath.Join(os.TempDir(), set.name)
		if _, err := os.Stat(set.path); err == nil {
			return
		}
		tmp := set.path + ".building"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(tmp + suffix)
		}
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			set.err = err
			return
		}
		t0 := time.Now()
		var payload bytes.Buffer
		rows := 0
		flush := func() error {
			if rows == 0 {
				return nil
			}
			res, err := ingest.IngestObservationBatches(context.Background(), st, ingest.NDJSON, &payload, ingest.Options{Now: benchTo})
			if err != nil {
				return err
			}
			if res.Stored != rows || len(res.Rejected) > 0 {
				return fmt.Errorf("stored %d of %d: %+v", res.Stored, rows, res.Rejected)
			}
			payload.Reset()
			rows = 0
			return nil
		}
		set.err = set.visit(func(feature string, at time.Time, values []float64) error {
			line, _ := json.Marshal(map[string]any{"model": set.model, "feature": feature, "observed_at": at.Format(time.RFC3339), "values": values})
			payload.Write(line)
			payload.WriteByte('\n')
			rows += len(values)
			if rows >= rowsPerPayload {
				return flush()
			}
			return nil
		})
		if set.err == nil {
			set.err = flush()
		}
		_ = st.Close()
		if set.err != nil {
			return
		}
		total := set.features * set.perFeature
		fmt.Printf("built %s: %d observations through ingest/observations-batch in %s (%.0f rows/s)\n",
			set.name, total, time.Since(t0).Round(time.Second), float64(total)/time.Since(t0).Seconds())
		for _, suffix := range []string{"-wal", "-shm"} {
			_ = os.Remove(tmp + suffix)
		}
		set.err = os.Rename(tmp, set.path)
	})
	if set.err != nil {
		b.Fatal(set.err)
	}
	st, err := sqlite.Open(context.Background(), set.path)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// inMemory returns the set's values of the first half (the reference) and of the
// current window [from, to), and the cut points of the reference's deciles.
func (set *benchSet) inMemory(b *testing.B, from, to time.Time) (ref, cur [][]float64, cuts [][]float64) {
	ref, cur = make([][]float64, set.features), make([][]float64, set.features)
	i := 0
	_ = set.visit(func(_ string, at time.Time, values []float64) error {
		f := i / (benchDays * batchesPerDay)
		i++
		switch {
		case at.Before(benchMid):
			ref[f] = append(ref[f], values...)
		case !at.Before(from) && at.Before(to):
			cur[f] = append(cur[f], values...)
		}
		return nil
	})
	cuts = make([][]float64, set.features)
	for f := range ref {
		sorted := append([]float64(nil), ref[f]...)
		slices.Sort(sorted)
		e, err := drift.QuantileEdges(drift.FromSlice(sorted), len(sorted), drift.DefaultBins)
		if err != nil {
			b.Fatal(err)
		}
		cuts[f] = e.Cuts
	}
	return ref, cur, cuts
}

// peakHeap runs fn and returns the highest heap in use above the level before it,
// sampled every 5 ms (runtime.MemStats).
func peakHeap(fn func() error) (uint64, error) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		peak := base.HeapInuse
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	err := fn()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	close(stop)
	peak := max(<-done, m.HeapInuse)
	return peak - min(peak, base.HeapInuse), err
}

// floorHistogram times the floor: one pass over every value of both windows, already
// in memory, into a histogram with the reference's cut points. The values are
// generated here, after the query was measured, so they are not live during it
// (a live 80 MB would let garbage pile up to 80 MB more before a GC, and count as ours).
func floorHistogram(b *testing.B, set *benchSet, from, to time.Time) (time.Duration, int) {
	ref, cur, cuts := set.inMemory(b, from, to)
	n := 0
	t0 := time.Now()
	for f := range ref {
		for _, w := range [][]float64{ref[f], cur[f]} {
			h := drift.NewHistogram(cuts[f])
			for _, v := range w {
				_ = h.Add(v)
			}
			n += len(w)
		}
	}
	return time.Since(t0), 8 * n
}

// runDrift measures queries of a set against the floor over the same windows.
func runDrift(b *testing.B, set *benchSet, env query.Env, ref *models.ModelReference) {
	for _, metric := range []string{model.PSI, model.KS, model.Wasserstein} {
		b.Run(metric, func(b *testing.B) {
			q := models.Query{QueryType: models.QueryTypeModel, Metric: metric, Bucket: "none",
				Filters: map[string][]string{"model": {set.model}}, Model: &models.ModelOptions{Reference: ref}}
			q.Normalize()
			var ours, base time.Duration
			var peak uint64
			values := 0
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				p, err := peakHeap(func() error {
					res, err := model.Compute(context.Background(), env, q)
					if err == nil && len(res.Series) != set.features {
						err = fmt.Errorf("%d series, want %d", len(res.Series), set.features)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				ours += time.Since(t0)
				peak = max(peak, p)
				b.StopTimer()
				d, n := floorHistogram(b, set, env.From, env.To)
				base, values = base+d, n
				b.StartTimer()
			}
			b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "ms/query")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(values)/(1<<20), "in-memory-values-MB")
			b.ReportMetric(float64(base.Microseconds())/1000/float64(b.N), "histogram-ms")
			b.ReportMetric(ours.Seconds()/base.Seconds(), "x-vs-in-memory-histogram")
		})
	}
}

// benchDrift: every feature of a set, current = the second half, reference = the
// first half as a fixed range.
func benchDrift(b *testing.B, set *benchSet) {
	st := set.open(b)
	defer st.Close()
	env := query.Env{Store: st, From: benchMid, To: benchTo, Now: benchTo}
	runDrift(b, set, env, &models.ModelReference{Type: "range", From: benchFrom.Format(time.RFC3339), To: benchMid.Format(time.RFC3339)})
}

// BenchmarkDriftLastDayVsSnapshot is the alert rule's shape: the last day (100k
// values) of the 10M-observation feature against a snapshot of the first half (5M
// values, stored once: its creation time is logged).
func BenchmarkDriftLastDayVsSnapshot(b *testing.B) {
	st := oneFeature10M.open(b)
	defer st.Close()
	ctx := context.Background()
	if _, ok, err := model.GetSnapshot(ctx, st, oneFeature10M.model, "first-half"); err != nil {
		b.Fatal(err)
	} else if !ok {
		spec, err := model.ParseSnapshotRequest([]byte(`{"model":"bench","name":"first-half","from":"`+benchFrom.Format(time.RFC3339)+`","to":"`+benchMid.Format(time.RFC3339)+`"}`), benchTo)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		snap, err := model.CreateSnapshot(ctx, st, spec, benchTo, "bench")
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("snapshot of %d observations (%d distinct values) created in %s\n", snap.Features[0].N, snap.Features[0].Distinct, time.Since(t0).Round(time.Millisecond))
	}
	last := benchTo.AddDate(0, 0, -1)
	env := query.Env{Store: st, From: last, To: benchTo, Now: benchTo}
	runDrift(b, oneFeature10M, env, &models.ModelReference{Type: "snapshot", Snapshot: "first-half"})
}

func BenchmarkDriftOneFeature10M(b *testing.B) { benchDrift(b, oneFeature10M) }

func BenchmarkDrift100Features100k(b *testing.B) { benchDrift(b, wide100x100k) }

// BenchmarkBinCounts compares two ways to count the current half (5M values) into
// the reference's ten bins: in SQL (GROUP BY a CASE over the cut points) and
// streaming the values in time order to a drift.Histogram (what the package does).
func BenchmarkBinCounts(b *testing.B) {
	st := oneFeature10M.open(b)
	defer st.Close()
	_, _, cuts := oneFeature10M.inMemory(b, benchMid, benchMid)
	c := cuts[0]
	var cases strings.Builder
	args := []any{"bench", "x", benchMid.UnixMilli(), benchTo.UnixMilli()}
	cases.WriteString("CASE")
	for k, cut := range c {
		args = append(args, cut)
		fmt.Fprintf(&cases, " WHEN value < $%d THEN %d", len(args), k)
	}
	fmt.Fprintf(&cases, " ELSE %d END", len(c))
	where := " FROM model_observations WHERE model = $1 AND feature = $2 AND value IS NOT NULL AND observed_at >= $3 AND observed_at < $4"
	ctx := context.Background()
	var inSQL, inGo time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		rows, err := st.QueryContext(ctx, "SELECT "+cases.String()+", COUNT(*)"+where+" GROUP BY 1", args...)
		if err != nil {
			b.Fatal(err)
		}
		sqlCounts := make([]int64, len(c)+1)
		for rows.Next() {
			var k, n int64
			if err := rows.Scan(&k, &n); err != nil {
				b.Fatal(err)
			}
			sqlCounts[k] = n
		}
		rows.Close()
		inSQL += time.Since(t0)
		t1 := time.Now()
		rows, err = st.QueryContext(ctx, "SELECT value"+where, args[:4]...)
		if err != nil {
			b.Fatal(err)
		}
		h := drift.NewHistogram(c)
		for rows.Next() {
			var v float64
			if err := rows.Scan(&v); err != nil {
				b.Fatal(err)
			}
			_ = h.Add(v)
		}
		rows.Close()
		inGo += time.Since(t1)
		if fmt.Sprint(h.Counts()) != fmt.Sprint(sqlCounts) {
			b.Fatalf("counts differ: go %v sql %v", h.Counts(), sqlCounts)
		}
	}
	b.ReportMetric(float64(inSQL.Milliseconds())/float64(b.N), "sql-case-ms")
	b.ReportMetric(float64(inGo.Milliseconds())/float64(b.N), "go-histogram-ms")
	b.ReportMetric(inSQL.Seconds()/inGo.Seconds(), "x-sql-vs-go")
}

// BenchmarkObservationBatchIngest: 100k observations through the batch path into a
// fresh store, against one prepared INSERT per row in one transaction (no parsing,
// no validation) measured in the same run.
func BenchmarkObservationBatchIngest(b *testing.B) {
	const n = 100_000
	var payload bytes.Buffer
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n/1000; i++ {
		line, _ := json.Marshal(map[string]any{"model": "m", "feature": "x", "observed_at": benchDay0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"values": benchValues(r, 1000, false)})
		payload.Write(line)
		payload.WriteByte('\n')
	}
	var ours, baseline time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "ingest.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		res, err := ingest.IngestObservationBatches(context.Background(), st, ingest.NDJSON, bytes.NewReader(payload.Bytes()), ingest.Options{Now: benchTo})
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
				if _, err := tx.ExecContext(context.Background(), `INSERT INTO model_observations (model, feature, observed_at, seq, value, ingested_at) VALUES ($1, $2, $3, $4, $5, $6)`,
					"m", "x", benchDay0.Add(time.Duration(j/1000)*time.Minute).UnixMilli(), j%1000, r.NormFloat64(), 0); err != nil {
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
