// Package promtest gives tests a real Prometheus holding the hand-made series of
// pkg/prometheus/testdata/series.om (backfilled with promtool):
// $KAIZEN_TEST_PROMETHEUS_URL when set (scripts/prometheus.sh starts one with that
// data), else one this test binary starts on loopback when Debian's prometheus
// package is installed; without either, tests that need it skip.
package promtest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Env names the environment variable with the URL of a Prometheus holding the test data.
const Env = "KAIZEN_TEST_PROMETHEUS_URL"

// T0 is the time of the data set's first sample: 2024-03-01T00:00:00Z. Every
// series has one sample a minute from there.
var T0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// DataFile is the OpenMetrics file of the data set.
func DataFile() string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(self), "..", "testdata", "series.om")
}

// server is the Prometheus this test binary started, shared by its tests.
type server struct {
	once sync.Once
	url  string
	err  error
	skip string
	cmd  *exec.Cmd
	dir  string
}

var local server

// URL returns the base URL of a Prometheus with the data set, or skips the test
// with what to install or start.
func URL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(Env); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	local.once.Do(local.start)
	if local.skip != "" {
		t.Skip(local.skip)
	}
	if local.err != nil {
		t.Fatalf("starting Prometheus for the tests: %v", local.err)
	}
	return local.url
}

// Main runs a package's tests and stops the Prometheus they started, if any:
// func TestMain(m *testing.M) { os.Exit(promtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	local.stop()
	return code
}

func (s *server) start() {
	prom, err1 := exec.LookPath("prometheus")
	promtool, err2 := exec.LookPath("promtool")
	if err1 != nil || err2 != nil {
		s.skip = fmt.Sprintf("no Prometheus for the PromQL tests: %s is not set and prometheus/promtool are not on PATH (apt-get install prometheus, or eval \"$(bash scripts/prometheus.sh start)\")", Env)
		return
	}
	if s.dir, s.err = os.MkdirTemp("", "kaizen-prometheus-test-"); s.err != nil {
		return
	}
	data := filepath.Join(s.dir, "data")
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", DataFile(), data).CombinedOutput(); err != nil {
		s.err = fmt.Errorf("promtool backfill: %v\n%s", err, out)
		return
	}
	config := filepath.Join(s.dir, "prometheus.yml")
	if s.err = os.WriteFile(config, []byte("global:\n  scrape_interval: 15s\n"), 0o600); s.err != nil {
		return
	}
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			s.err = err
			return
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		log, err := os.Create(filepath.Join(s.dir, "prometheus.log"))
		if err != nil {
			s.err = err
			return
		}
		cmd := exec.Command(prom, "--config.file="+config, "--storage.tsdb.path="+data,
			"--storage.tsdb.retention.time=100y", "--web.listen-address="+addr)
		cmd.Stdout, cmd.Stderr = log, log
		dieWithParent(cmd)
		if s.err = cmd.Start(); s.err != nil {
			return
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		s.cmd, s.url = cmd, "http://"+addr
		if s.err = waitReady(s.url, exited, 60*time.Second); s.err == nil {
			return
		}
		_ = cmd.Process.Kill()
		<-exited
		s.cmd = nil
		out, _ := os.ReadFile(log.Name())
		s.err = fmt.Errorf("%v; log:\n%s", s.err, tail(string(out), 10))
	}
}

func (s *server) stop() {
	if s.cmd != nil {
		_ = s.cmd.Process.Kill()
	}
	if s.dir != "" {
		// Prometheus may still hold the directory for a moment after the kill.
		for i := 0; i < 20 && os.RemoveAll(s.dir) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(url string, exited <-chan struct{}, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/-/ready", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("prometheus exited before it was ready")
		case <-ctx.Done():
			return fmt.Errorf("prometheus not ready at %s after %s", url, limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Sample is one sample of the data set as written in the file.
type Sample struct {
	At    time.Time
	Value float64
}

// Series returns the samples of one series of the data set, by metric name and
// labels written as in the file (`env="prod",service="checkout"`), so tests
// compare with the file itself rather than with a copy of its numbers.
func Series(t testing.TB, metric, labels string) []Sample {
	t.Helper()
	f, err := os.Open(DataFile())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	prefix := metric + "{" + labels + "} "
	var out []Sample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), prefix)
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		v, err1 := strconv.ParseFloat(fields[0], 64)
		sec, err2 := strconv.ParseInt(fields[1], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("data set line %q: %v %v", sc.Text(), err1, err2)
		}
		out = append(out, Sample{At: time.Unix(sec, 0).UTC(), Value: v})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no series %s{%s} in %s", metric, labels, DataFile())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// Values are a series' sample values in time order.
func Values(samples []Sample) []float64 {
	out := make([]float64, len(samples))
	for i, s := range samples {
		out[i] = s.Value
	}
	return out
}
