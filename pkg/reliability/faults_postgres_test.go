package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// TestFaultPostgresConnectionsKilledMidIngest terminates the plugin's server
// connections (pg_terminate_backend, as a PostgreSQL restart or failover does to its
// clients) again and again while two writers ingest. Each request must either
// succeed in full or fail with a clear error and store nothing; writers retry failed
// requests, and at the end every batch is there exactly once (upserts on the key).
// pg_terminate_backend rather than pg_ctl restart: the cluster is shared with the
// other test packages running at the same time, which a restart would disturb.
func TestFaultPostgresConnectionsKilledMidIngest(t *testing.T) {
	cfg := faultPostgresRole(t, storeConfigOrSkip(t))
	tg := faultPostgresTarget(cfg)
	ctx := context.Background()
	p := faultStart(t, tg.jsonData, tg.secure)
	faultIngestOK(t, p, "warm", 10)

	batches, batchSize := 15, 500
	if faultLong() {
		batches = 100
	}
	const writers, maxAttempts = 2, 50
	var failures, terminated atomic.Int64
	var failMu sync.Mutex
	failText := map[string]int{}

	stop := make(chan struct{})
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		admin := faultAdmin(t)
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(20+rng.IntN(130)) * time.Millisecond):
			}
			var n int64
			if err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = $1`, cfg.User).Scan(&n); err != nil {
				t.Errorf("pg_terminate_backend: %v", err)
				return
			}
			terminated.Add(n)
		}
	}()

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				prefix := fmt.Sprintf("pg-w%d-b%04d", w, b)
				payload := faultBatch(prefix, batchSize)
				for attempt := 1; ; attempt++ {
					status, body, err := p.call(ctx, "Editor", "POST", "ingest/incidents", "format=ndjson", payload)
					if err != nil {
						errs <- fmt.Errorf("batch %s: the plugin did not answer: %v", prefix, err)
						return
					}
					if status == 200 {
						var res struct {
							Stored int `json:"stored"`
						}
						if jerr := json.Unmarshal(body, &res); jerr != nil || res.Stored != batchSize {
							errs <- fmt.Errorf("batch %s acknowledged with %s", prefix, body)
							return
						}
						break
					}
					if status != 500 || !strings.Contains(string(body), "storing records failed, nothing was stored") {
						errs <- fmt.Errorf("batch %s: status %d %s, want 200 or a clear 500", prefix, status, body)
						return
					}
					failures.Add(1)
					failMu.Lock()
					failText[faultErrorKind(string(body))]++
					failMu.Unlock()
					if attempt == maxAttempts {
						errs <- fmt.Errorf("batch %s: still failing after %d attempts: %s", prefix, attempt, body)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-killerDone
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if failures.Load() == 0 {
		t.Fatalf("no request failed in %d terminations: the fault was not injected mid-ingest", terminated.Load())
	}

	db, err := tg.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found, err := faultStored(ctx, db.DB)
	_ = db.Close()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for w := 0; w < writers; w++ {
		for b := 0; b < batches; b++ {
			prefix := fmt.Sprintf("pg-w%d-b%04d", w, b)
			if found[prefix] != batchSize {
				t.Fatalf("batch %s has %d of %d records after retries", prefix, found[prefix], batchSize)
			}
			total += found[prefix]
		}
	}
	if len(found) != writers*batches+1 {
		t.Fatalf("%d batches stored, want %d", len(found), writers*batches+1)
	}
	// The pool may still hold connections terminated at the very end; the health
	// check discards them, and an operator's second look (a second later) is clean.
	var h *pluginv2.CheckHealthResponse
	for attempt := 0; attempt < 3; attempt++ {
		h, err = p.checkHealth(ctx)
		if err == nil && h.Status == pluginv2.CheckHealthResponse_OK {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil || h.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(h.Message, fmt.Sprintf(" %d incidents", total+10)) {
		t.Fatalf("health after the faults: %v %v %q", err, h.GetStatus(), h.GetMessage())
	}
	t.Logf("postgres: %d backend terminations during ingest; %d requests failed cleanly and were retried (%v); %d batches x %d records stored exactly once (%d)",
		terminated.Load(), failures.Load(), failText, writers*batches, batchSize, total)
}

// faultErrorKind shortens an ingest error to its cause, for the summary.
func faultErrorKind(body string) string {
	for _, k := range []string{"terminating connection", "bad connection", "connection reset", "broken pipe", "EOF", "conn closed", "unexpected EOF"} {
		if strings.Contains(body, k) {
			return k
		}
	}
	return strings.TrimSpace(body)
}
