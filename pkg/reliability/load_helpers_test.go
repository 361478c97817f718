package reliability

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/stats/summary"
)

// loadDuration is how long the load runs: 15 s by default, 5 minutes with
// KAIZEN_LONG=1, or $KAIZEN_LOAD_DURATION (a Go duration, e.g. 2m) when set.
func loadDuration(t *testing.T) time.Duration {
	t.Helper()
	if s := os.Getenv("KAIZEN_LOAD_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("KAIZEN_LOAD_DURATION=%q: want a positive Go duration such as 90s or 5m", s)
		}
		return d
	}
	if faultLong() {
		return 5 * time.Minute
	}
	return 15 * time.Second
}

// loadRecorder gathers per-operation latencies and errors from many goroutines.
type loadRecorder struct {
	mu        sync.Mutex
	latencies map[string][]float64 // seconds
	errors    map[string][]string
}

func newLoadRecorder() *loadRecorder {
	return &loadRecorder{latencies: map[string][]float64{}, errors: map[string][]string{}}
}

func (r *loadRecorder) ok(op string, d time.Duration) {
	r.mu.Lock()
	r.latencies[op] = append(r.latencies[op], d.Seconds())
	r.mu.Unlock()
}

func (r *loadRecorder) fail(op string, format string, args ...any) {
	r.mu.Lock()
	r.errors[op] = append(r.errors[op], fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// loadOpStats is one operation's figures over the run.
type loadOpStats struct {
	Op     string  `json:"op"`
	Count  int     `json:"count"`
	PerSec float64 `json:"perSecond"`
	P50Ms  float64 `json:"p50Ms"`
	P95Ms  float64 `json:"p95Ms"`
	MaxMs  float64 `json:"maxMs"`
	Errors int     `json:"errors"`
}

func (r *loadRecorder) stats(elapsed time.Duration) []loadOpStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := map[string]bool{}
	for op := range r.latencies {
		ops[op] = true
	}
	for op := range r.errors {
		ops[op] = true
	}
	names := make([]string, 0, len(ops))
	for op := range ops {
		names = append(names, op)
	}
	sort.Strings(names)
	out := make([]loadOpStats, 0, len(names))
	for _, op := range names {
		lat := append([]float64(nil), r.latencies[op]...)
		sort.Float64s(lat)
		s := loadOpStats{Op: op, Count: len(lat), PerSec: float64(len(lat)) / elapsed.Seconds(), Errors: len(r.errors[op])}
		if len(lat) > 0 {
			s.P50Ms = summary.QuantileSorted(lat, 0.5) * 1000
			s.P95Ms = summary.QuantileSorted(lat, 0.95) * 1000
			s.MaxMs = lat[len(lat)-1] * 1000
		}
		out = append(out, s)
	}
	return out
}

// firstErrors lists up to n error messages, for a failing test's output.
func (r *loadRecorder) firstErrors(n int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for op, errs := range r.errors {
		for i, e := range errs {
			if i >= n {
				break
			}
			b.WriteString(op + ": " + e + "\n")
		}
	}
	return b.String()
}

// loadRSSSampler samples a process's VmRSS every interval until stopped.
type loadRSSSampler struct {
	stop    chan struct{}
	done    chan struct{}
	peak    int64
	samples int
	err     error
}

func startLoadRSSSampler(pid int, every time.Duration) *loadRSSSampler {
	s := &loadRSSSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			rss, err := loadRSS(pid)
			if err != nil {
				s.err = err
				return
			}
			s.samples++
			s.peak = max(s.peak, rss)
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peak RSS in bytes.
func (s *loadRSSSampler) finish() (int64, int, error) {
	close(s.stop)
	<-s.done
	return s.peak, s.samples, s.err
}

func loadMiB(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB" }

// loadEnvInt reads a non-negative count from the environment, or def when unset.
func loadEnvInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a count", name, s)
	}
	return n
}
