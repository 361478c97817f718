package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Options tune a run.
type Options struct {
	// Reps is the number of timed runs per query and store (after one warm-up run).
	Reps int
	// Budget caps the time spent on one query on one store; at least MinReps runs happen.
	Budget  time.Duration
	MinReps int
	// MaxDataPoints is what Grafana sends for a panel about 1000 pixels wide.
	MaxDataPoints int64
	// Only keeps the targets whose name (dashboard / panel / refId) contains it.
	Only string
	// Quick skips the warm-up and the memory run (smoke mode: it checks the suite works).
	Quick bool
	Log   func(format string, args ...any)
}

func (o Options) withDefaults() Options {
	if o.Reps <= 0 {
		o.Reps = 20
	}
	if o.MinReps <= 0 {
		o.MinReps = 5
	}
	if o.MinReps > o.Reps {
		o.MinReps = o.Reps
	}
	if o.Budget <= 0 {
		o.Budget = 5 * time.Second
	}
	if o.MaxDataPoints <= 0 {
		o.MaxDataPoints = 1000
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	return o
}

// Result is one query on one store.
type Result struct {
	Target  string `json:"target"`
	Dataset string `json:"dataset"`
	Store   string `json:"store"`
	Reps    int    `json:"reps"`
	// P50 and P95 are the query's latency through the engine (frames built).
	P50 float64 `json:"p50Ms"`
	P95 float64 `json:"p95Ms"`
	// Rows is the number of rows of the family's table in the query's range and filters:
	// what the plain SQL baseline aggregates (COUNT(*) with the same WHERE).
	Rows int64 `json:"rowsInRange"`
	// PeakHeap is the Go heap's peak above its level before the query (the warm-up run).
	PeakHeap uint64 `json:"peakHeapBytes"`
	// PeakRSS is the process's resident set peak above its level before that run: it
	// includes the embedded SQLite's own allocations, which are not on the Go heap.
	PeakRSS uint64 `json:"peakRssBytes"`
	// BaseP50 is the plain SQL baseline's median, measured interleaved with the query.
	BaseP50 float64 `json:"baselineP50Ms"`
	Ratio   float64 `json:"ratioP50"`
	Frames  int     `json:"frames"`
	Err     string  `json:"error,omitempty"`
}

// Run runs every Kaizen Ops target of the dashboards on every backend of its data set.
// backends maps a data set name to its stores.
func Run(ctx context.Context, dashboards []Dashboard, backends map[string][]*Backend, o Options) ([]Result, []string, error) {
	o = o.withDefaults()
	engine := metricsEngine()
	var out []Result
	var notes []string
	for _, d := range dashboards {
		// Variables resolve once per dashboard and store, as when the dashboard opens.
		bound := map[*Backend]Bound{}
		for _, t := range d.Targets {
			if o.Only != "" && !strings.Contains(t.Name(), o.Only) {
				continue
			}
			probe, err := Bind(t, nil)
			if err != nil {
				out = append(out, Result{Target: t.Name(), Err: err.Error()})
				continue
			}
			set := DatasetFor(probe)
			if set == "" {
				notes = append(notes, fmt.Sprintf("%s: a %s query reads no store; not measured", t.Name(), probe.QueryType))
				continue
			}
			bs := backends[set]
			if len(bs) == 0 {
				notes = append(notes, fmt.Sprintf("%s: data set %s is not loaded; not measured", t.Name(), set))
				continue
			}
			for _, b := range bs {
				vb, ok := bound[b]
				if !ok {
					// Variable queries run when the dashboard loads: timed once each.
					timed := func(ctx context.Context, path string) ([]string, error) {
						t0 := time.Now()
						vals, err := b.List(ctx, path)
						took := ms(time.Since(t0))
						vr := Result{Target: d.Name + " / variable / GET " + path, Dataset: b.Dataset, Store: b.Store, Reps: 1, P50: took, P95: took, Rows: int64(len(vals))}
						if err != nil {
							vr.Err = err.Error()
						}
						out = append(out, vr)
						return vals, err
					}
					vb, err = ResolveVariables(ctx, d, timed)
					if err != nil {
						// A variable Grafana cannot fill leaves the target's references as typed.
						notes = append(notes, fmt.Sprintf("%s on %s: %v", d.Name, b.Store, err))
						vb = Bound{Values: map[string][]string{}}
					}
					for _, n := range vb.Notes {
						notes = append(notes, fmt.Sprintf("%s on %s/%s", n, b.Dataset, b.Store))
					}
					bound[b] = vb
				}
				r := measure(ctx, engine, d, t, vb, b, o, &notes)
				o.Log("%-90s %-8s p50 %8.1f ms  p95 %8.1f ms  %s", r.Target, r.Store, r.P50, r.P95, r.Err)
				out = append(out, r)
			}
		}
	}
	return out, dedupe(notes), nil
}

func dedupe(notes []string) []string {
	slices.Sort(notes)
	return slices.Compact(notes)
}

func measure(ctx context.Context, engine *query.Engine, d Dashboard, t Target, vb Bound, b *Backend, o Options, notes *[]string) Result {
	r := Result{Target: t.Name(), Dataset: b.Dataset, Store: b.Store}
	q, err := Bind(t, vb.Values)
	if err == nil {
		q, err = adapt(ctx, b, q, notes, t.Name())
	}
	if err != nil {
		r.Err = err.Error()
		return r
	}
	from, to, err := TimeRange(d.From, d.To, b.End)
	if err == nil && t.TimeFrom != "" {
		// Grafana's relative time override: the panel's own span, ending where the dashboard's does.
		from, _, err = TimeRange("now-"+t.TimeFrom, "now", to)
	}
	if err != nil {
		r.Err = fmt.Sprintf("dashboard %s: %v", d.Name, err)
		return r
	}
	env := query.Env{Store: b.St, From: from, To: to, Now: b.End, MaxDataPoints: o.MaxDataPoints,
		Interval: to.Sub(from) / time.Duration(o.MaxDataPoints)}
	base, err := BaselineFor(ctx, b.St, q, from, to, o.MaxDataPoints)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	run := func() error {
		frames, err := engine.Run(ctx, env, q)
		r.Frames = len(frames)
		return err
	}
	runBase := func() error {
		rows, err := b.St.QueryContext(ctx, base.SQL, base.Args...)
		if err != nil {
			return fmt.Errorf("baseline SQL: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
	if !o.Quick {
		// The warm-up run (caches as a dashboard refresh finds them) is the memory run.
		heap, rss, err := peakMemory(run)
		if err != nil {
			r.Err = err.Error()
			return r
		}
		r.PeakHeap, r.PeakRSS = heap, rss
	}
	var ours, plain []float64
	var plainTotal time.Duration
	start := time.Now()
	for len(ours) < o.Reps && (len(ours) < o.MinReps || time.Since(start) < o.Budget) {
		t0 := time.Now()
		if err := run(); err != nil {
			r.Err = err.Error()
			return r
		}
		ours = append(ours, ms(time.Since(t0)))
		// The baseline runs interleaved with the first runs only: its median is the
		// reference, and a slow plain aggregate must not eat the query's budget (one
		// timed run when it takes the budget: 8 s over 10M usage events).
		if len(plain) < baselineReps && (len(plain) == 0 || plainTotal < o.Budget) {
			t1 := time.Now()
			if err := runBase(); err != nil {
				r.Err = err.Error()
				return r
			}
			plainTotal += time.Since(t1)
			plain = append(plain, ms(time.Since(t1)))
		}
	}
	slices.Sort(ours)
	slices.Sort(plain)
	r.Reps = len(ours)
	r.P50 = summary.QuantileSorted(ours, 0.5)
	r.P95 = summary.QuantileSorted(ours, 0.95)
	r.BaseP50 = summary.QuantileSorted(plain, 0.5)
	if r.BaseP50 > 0 {
		r.Ratio = r.P50 / r.BaseP50
	}
	if err := b.St.QueryRowContext(ctx, base.CountSQL, base.Args...).Scan(&r.Rows); err != nil {
		r.Err = fmt.Sprintf("counting rows in range: %v", err)
		return r
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// baselineReps is how many times, at most, the plain SQL baseline is timed per query and store.
const baselineReps = 3

const heapMetric = "/memory/classes/heap/objects:bytes"

// peakMemory runs fn once and samples the live Go heap and the process's resident set
// every 200µs: the peaks above their levels (after a GC) before the run. They are lower
// bounds (a spike between samples is missed) and count only this process: PostgreSQL's
// own memory is not in them.
func peakMemory(fn func() error) (heap, rss uint64, err error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(sample)
	heapBefore, rssBefore := sample[0].Value.Uint64(), residentBytes()
	heapPeak, rssPeak := heapBefore, rssBefore
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				metrics.Read(s)
				heapPeak = max(heapPeak, s[0].Value.Uint64())
				rssPeak = max(rssPeak, residentBytes())
			}
		}
	}()
	err = fn()
	close(done)
	wg.Wait() // the sampler has stopped: its peaks are ours to read
	metrics.Read(sample)
	heapPeak = max(heapPeak, sample[0].Value.Uint64())
	rssPeak = max(rssPeak, residentBytes())
	return heapPeak - heapBefore, rssPeak - rssBefore, err
}

// residentBytes reads the resident set size from /proc/self/statm (0 where there is none).
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// LoadAverage reads /proc/loadavg (the 1, 5 and 15 minute load averages).
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// adapt replaces names a dashboard saved for the demo data (a KPI id, a kaizen event id,
// a model snapshot) with one that exists in the benchmark data set, noting each.
func adapt(ctx context.Context, b *Backend, q models.Query, notes *[]string, name string) (models.Query, error) {
	swap := func(what string, have []string, want string) string {
		if want == "" || len(have) == 0 || slices.Contains(have, want) {
			return want
		}
		*notes = append(*notes, fmt.Sprintf("%s: %s %q is not in data set %s; %q used", name, what, want, b.Dataset, have[0]))
		return have[0]
	}
	list := func(sqlText string, args ...any) ([]string, error) {
		rows, err := b.St.QueryContext(ctx, sqlText, args...)
		if err != nil {
			return nil, fmt.Errorf("listing names in data set %s: %w", b.Dataset, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}
	var err error
	var fix func(q *models.Query) error
	fix = func(q *models.Query) error {
		if q.KPI != nil && len(q.KPI.KPIs) > 0 {
			ids, err := list(`SELECT DISTINCT id FROM kpi_definitions ORDER BY id LIMIT 1000`)
			if err != nil {
				return err
			}
			for i, k := range q.KPI.KPIs {
				q.KPI.KPIs[i] = swap("KPI", ids, k)
			}
		}
		if q.Kaizen != nil && len(q.Kaizen.Events) > 0 {
			ids, err := list(`SELECT id FROM kaizen_events ORDER BY id LIMIT 1000`)
			if err != nil {
				return err
			}
			for i, k := range q.Kaizen.Events {
				q.Kaizen.Events[i] = swap("kaizen event", ids, k)
			}
		}
		if q.Model != nil && q.Model.Reference != nil && q.Model.Reference.Snapshot != "" {
			names, err := list(`SELECT name FROM model_snapshots ORDER BY name`)
			if err != nil {
				return err
			}
			q.Model.Reference.Snapshot = swap("model snapshot", names, q.Model.Reference.Snapshot)
		}
		if q.SPC != nil && q.SPC.Source != nil {
			if err := fix(q.SPC.Source); err != nil {
				return err
			}
		}
		if q.Improvement != nil && q.Improvement.Source != nil {
			if err := fix(q.Improvement.Source); err != nil {
				return err
			}
		}
		return nil
	}
	err = fix(&q)
	return q, err
}
