package reliability

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// faultSlowQuery runs long on a year of seeded incidents: hourly buckets of the mean
// MTTR per service, team and severity.
const faultSlowQuery = `{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1h","groupBy":["service","team","severity"]}`

var faultYear = [2]time.Time{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

// TestFaultQueryCancelSQLite cancels a long QueryData as Grafana does (the gRPC
// context ends: dashboard closed, query timeout) and checks that the plugin stops
// working on it: its CPU time stops growing within a bound, where the uncancelled
// query keeps a core busy for seconds. SQLite statements stop through
// sqlite3_interrupt, which the driver calls when the context ends.
func TestFaultQueryCancelSQLite(t *testing.T) {
	ctx := context.Background()
	const cancelAfter, settle, window = 200 * time.Millisecond, 300 * time.Millisecond, time.Second
	// The uncancelled query must run well past the cancel for the CPU check to mean
	// anything; machines differ, so the store grows until it does.
	var p *faultProc
	var full time.Duration
	for n := 150_000; ; n *= 4 {
		path := fmt.Sprintf("%s/kaizen-%d.db", t.TempDir(), n)
		db, err := openSQLiteForCheck(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		faultSeedIncidents(t, db.DB, n)
		_ = db.Close()
		p = faultStart(t, map[string]any{"path": path}, nil)
		begin := time.Now()
		if r, err := p.query(ctx, faultSlowQuery, faultYear[0], faultYear[1]); err != nil || r.Error != "" {
			t.Fatalf("uncancelled query: %v %q", err, r.GetError())
		}
		full = time.Since(begin)
		if full >= cancelAfter+settle+window/2 {
			break
		}
		if n >= 2_400_000 {
			t.Fatalf("the slow query took only %v over %d incidents; the test needs it over %v", full, n, cancelAfter+settle+window/2)
		}
		t.Logf("%d incidents: the slow query took %v, too short to watch; seeding more", n, full)
	}

	qctx, cancel := context.WithTimeout(ctx, cancelAfter)
	defer cancel()
	_, err := p.query(qctx, faultSlowQuery, faultYear[0], faultYear[1])
	if err == nil || (!strings.Contains(err.Error(), "context deadline exceeded") && !strings.Contains(err.Error(), "DeadlineExceeded")) {
		t.Fatalf("cancelled query: %v, want the context's deadline error", err)
	}
	time.Sleep(settle)
	before := faultCPU(t, p.pid())
	time.Sleep(window)
	used := faultCPU(t, p.pid()) - before
	// Still running it would use most of a core over the window (2 busy cores shared).
	if used > window/10 {
		t.Fatalf("plugin used %v of CPU in the %v after %v past the cancel: the query did not stop (uncancelled it takes %v)", used, window, settle, full)
	}
	t.Logf("sqlite: uncancelled query %v; cancelled at %v, plugin CPU %v over the %v window starting %v later (idle)", full.Round(time.Millisecond), cancelAfter, used, window, settle)

	// The store is fine afterwards: the same query answers again.
	if r, err := p.query(ctx, `{"queryType":"incidents","metric":"count","bucket":"none"}`, faultYear[0], faultYear[1]); err != nil || r.Error != "" {
		t.Fatalf("query after the cancel: %v %q", err, r.GetError())
	}
}

// TestFaultQueryCancelPostgres holds an ACCESS EXCLUSIVE lock on incidents so the
// plugin's statement waits (visible in pg_stat_activity), cancels the QueryData
// context, and checks the statement is gone from the server within a bound.
func TestFaultQueryCancelPostgres(t *testing.T) {
	cfg := faultPostgresRole(t, storeConfigOrSkip(t))
	tg := faultPostgresTarget(cfg)
	ctx := context.Background()
	p := faultStart(t, tg.jsonData, tg.secure)
	faultIngestOK(t, p, "warm", 10) // opens and migrates the store

	admin := faultAdmin(t)
	locker, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = locker.Rollback(ctx) }()
	if _, err := locker.Exec(ctx, `LOCK TABLE `+pgx.Identifier{cfg.Schema, "incidents"}.Sanitize()+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	watcher := faultAdmin(t)

	qctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := p.query(qctx, faultSlowQuery, faultYear[0], faultYear[1])
		done <- err
	}()
	waitFor := func(what string, bound time.Duration, cond func(n int) bool) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			n, err := faultBackends(ctx, watcher, cfg.User, "active")
			if err != nil {
				t.Fatal(err)
			}
			if cond(n) {
				return time.Since(start)
			}
			if time.Since(start) > bound {
				t.Fatalf("%s: still %d active statements after %v", what, n, bound)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("the query reaching the server", 10*time.Second, func(n int) bool { return n > 0 })
	cancel()
	const bound = 2 * time.Second
	gone := waitFor("the cancelled statement", bound, func(n int) bool { return n == 0 })
	if err := <-done; err == nil {
		t.Fatal("cancelled query returned no error")
	}
	t.Logf("postgres: statement waiting on a lock gone from pg_stat_activity %v after the cancel (bound %v)", gone.Round(time.Millisecond), bound)

	_ = locker.Rollback(ctx)
	faultCountIs(t, p, 10)
}

// storeConfigOrSkip is the test PostgreSQL with a schema of its own, or a skip.
func storeConfigOrSkip(t *testing.T) postgresConfig {
	t.Helper()
	if os.Getenv("KAIZEN_TEST_POSTGRES_DSN") == "" {
		t.Skip("KAIZEN_TEST_POSTGRES_DSN is not set; start a PostgreSQL with scripts/postgres.sh")
	}
	return storetestPostgresConfig(t)
}

// faultCPU is the user+system CPU time of a process, from /proc/<pid>/stat.
func faultCPU(t *testing.T, pid int) time.Duration {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the parenthesised command name; utime and stime are fields 14 and 15.
	rest := string(raw[strings.LastIndexByte(string(raw), ')')+2:])
	f := strings.Fields(rest)
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("parsing /proc/%d/stat: %q", pid, raw)
	}
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks
}
