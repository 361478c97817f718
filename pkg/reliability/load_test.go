package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadQuery is one dashboard panel's query, over a range of the seeded year.
type loadQuery struct {
	op       string
	json     string
	from, to time.Time
}

var loadQueries = []loadQuery{
	{"query mttr p90 by service, 1d, 30 days", `{"queryType":"incidents","metric":"mttr","stat":"p90","bucket":"1d","groupBy":["service"]}`,
		time.Date(2025, 2, 8, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)},
	{"query count, 1h, 7 days", `{"queryType":"incidents","metric":"count","bucket":"1h"}`,
		time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)},
	{"query mttd mean by team, 90 days (alert rule)", `{"queryType":"incidents","metric":"mttd","stat":"mean","bucket":"none","groupBy":["team"]}`,
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
	{"query open incidents, 1h, 7 days", `{"queryType":"incidents","metric":"open","bucket":"1h"}`,
		time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)},
}

// loadMaxRSS is the ceiling for the plugin's resident memory under the load.
const loadMaxRSS = 512 << 20

// loadMaxWAL bounds SQLite's WAL file after the load: the store checkpoints and
// truncates it past 32 MiB (pkg/store/sqlite); unbounded it grew ~5 MiB/s here.
const loadMaxWAL = 64 << 20

// TestLoad runs 8 ingest writers (NDJSON batches of 100 incidents through the
// resource API) and 32 query clients (QueryData with dashboard queries, and the
// values resource a dashboard variable calls) against the real executable over
// gRPC for a bounded time, on a store seeded with 50,000 incidents. It reports
// throughput, p50/p95 latency per operation and the plugin's peak RSS, and asserts
// zero errors, RSS under 512 MiB, SQLite's WAL under 64 MiB, and every acknowledged
// record stored.
// KAIZEN_LONG=1 runs 5 minutes; KAIZEN_LOAD_DURATION sets any duration;
// KAIZEN_LOAD_REPORT names a JSON file for the figures (scripts/load.sh).
func TestLoad(t *testing.T) {
	writers, readers := loadEnvInt(t, "KAIZEN_LOAD_WRITERS", 8), loadEnvInt(t, "KAIZEN_LOAD_READERS", 32)
	const batchSize, seed = 100, 50_000
	duration := loadDuration(t)
	faultEachStore(t, func(t *testing.T, tg faultTarget) {
		ctx := context.Background()
		db, err := tg.open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		faultSeedIncidents(t, db.DB, seed)
		_ = db.Close()
		p := faultStart(t, tg.jsonData, tg.secure)
		faultIngestOK(t, p, "warm", 1)

		rec := newLoadRecorder()
		rss := startLoadRSSSampler(p.pid(), 100*time.Millisecond)
		var acked atomic.Int64
		var sentMu sync.Mutex
		ackedBatches := map[string]bool{}
		deadline := time.Now().Add(duration)
		start := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := 0; time.Now().Before(deadline); b++ {
					prefix := fmt.Sprintf("load-w%d-b%06d", w, b)
					begin := time.Now()
					status, body, err := p.call(ctx, "Editor", "POST", "ingest/incidents", "format=ndjson", faultBatch(prefix, batchSize))
					switch {
					case err != nil:
						rec.fail("ingest", "%v", err)
					case status != 200 || !strings.Contains(string(body), fmt.Sprintf(`"stored":%d,`, batchSize)):
						rec.fail("ingest", "status %d %s", status, body)
					default:
						rec.ok("ingest", time.Since(begin))
						acked.Add(batchSize)
						sentMu.Lock()
						ackedBatches[prefix] = true
						sentMu.Unlock()
					}
				}
			}()
		}
		for r := 0; r < readers; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := r; time.Now().Before(deadline); i++ {
					// Every fifth call is the variable's values lookup, the rest panel queries.
					if i%5 == 4 {
						begin := time.Now()
						status, body, err := p.call(ctx, "Viewer", "GET", "values/service", "", nil)
						switch {
						case err != nil:
							rec.fail("values/service", "%v", err)
						case status != 200 || !strings.Contains(string(body), `"svc-0"`):
							rec.fail("values/service", "status %d %s", status, body)
						default:
							rec.ok("values/service", time.Since(begin))
						}
						continue
					}
					q := loadQueries[i%len(loadQueries)]
					begin := time.Now()
					resp, err := p.query(ctx, q.json, q.from, q.to)
					switch {
					case err != nil:
						rec.fail(q.op, "%v", err)
					case resp.Error != "" || len(resp.Frames) == 0:
						rec.fail(q.op, "query error %q (%d frames)", resp.Error, len(resp.Frames))
					default:
						rec.ok(q.op, time.Since(begin))
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		peak, samples, rssErr := rss.finish()
		if rssErr != nil {
			t.Fatalf("sampling RSS of %d: %v", p.pid(), rssErr)
		}

		ops := rec.stats(elapsed)
		var queries, errs int
		for _, s := range ops {
			errs += s.Errors
			if s.Op != "ingest" {
				queries += s.Count
			}
			t.Logf("%s %-46s %7d ok %8.1f/s  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  %d errors",
				tg.name, s.Op, s.Count, s.PerSec, s.P50Ms, s.P95Ms, s.MaxMs, s.Errors)
		}
		summaryLine := fmt.Sprintf("%s: %v, %d writers + %d query clients: %d records acknowledged (%.0f records/s), %d queries (%.1f queries/s), %d errors, plugin peak RSS %s (%d samples)",
			tg.name, elapsed.Round(time.Millisecond), writers, readers, acked.Load(), float64(acked.Load())/elapsed.Seconds(), queries, float64(queries)/elapsed.Seconds(), errs, loadMiB(peak), samples)
		var wal int64
		if path, ok := tg.jsonData["path"].(string); ok {
			// Queries that never pause can keep SQLite from restarting its WAL; its size says whether they did.
			if fi, err := os.Stat(path + "-wal"); err == nil {
				wal = fi.Size()
				summaryLine += fmt.Sprintf(", WAL %s at the end", loadMiB(wal))
			}
		}
		t.Log(summaryLine)
		if path := os.Getenv("KAIZEN_LOAD_REPORT"); path != "" {
			loadWriteReport(t, path, tg.name, summaryLine, ops, acked.Load(), peak, elapsed)
		}

		if errs != 0 {
			t.Fatalf("%d errors under load; first ones:\n%s", errs, rec.firstErrors(5))
		}
		if wal > loadMaxWAL {
			t.Fatalf("SQLite WAL at %s after the load, over %s: it is not being restarted", loadMiB(wal), loadMiB(loadMaxWAL))
		}
		if peak > loadMaxRSS {
			t.Fatalf("plugin peak RSS %s over the %s ceiling", loadMiB(peak), loadMiB(loadMaxRSS))
		}
		for _, s := range ops {
			if s.Count == 0 {
				t.Fatalf("%s never completed under load", s.Op)
			}
		}

		// Every acknowledged record is stored, once.
		db, err = tg.open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found, err := faultStored(ctx, db.DB)
		_ = db.Close()
		if err != nil {
			t.Fatal(err)
		}
		for prefix := range ackedBatches {
			if found[prefix] != batchSize {
				t.Fatalf("acknowledged batch %s has %d of %d records", prefix, found[prefix], batchSize)
			}
		}
		if len(found) != len(ackedBatches)+1 { // + the warm-up batch
			t.Fatalf("%d batches stored, %d acknowledged", len(found)-1, len(ackedBatches))
		}
	})
}

// loadWriteReport appends the run's figures to a JSON-lines file.
func loadWriteReport(t *testing.T, path, store, line string, ops []loadOpStats, records, peak int64, elapsed time.Duration) {
	t.Helper()
	raw, err := json.Marshal(map[string]any{
		"store": store, "summary": line, "seconds": elapsed.Seconds(), "recordsAcknowledged": records,
		"recordsPerSecond": float64(records) / elapsed.Seconds(), "peakRssBytes": peak, "operations": ops,
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatalf("KAIZEN_LOAD_REPORT: %v", err)
	}
	defer f.Close()
	if _, err := f.Write(append(raw, '\n')); err != nil {
		t.Fatalf("KAIZEN_LOAD_REPORT: %v", err)
	}
}
