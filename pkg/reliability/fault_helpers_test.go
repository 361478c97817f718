package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// faultTarget is one store configuration: the settings Grafana sends the plugin,
// and a direct opener the test uses to look at what is stored, as a second process.
type faultTarget struct {
	name     string
	jsonData map[string]any
	secure   map[string]string
	open     func(ctx context.Context) (*sqlstore.DB, error)
	// pg is the PostgreSQL configuration; nil for SQLite.
	pg *postgres.Config
}

// faultEachStore runs fn on a fresh SQLite file, and on a fresh PostgreSQL schema
// when KAIZEN_TEST_POSTGRES_DSN is set.
func faultEachStore(t *testing.T, fn func(t *testing.T, tg faultTarget)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := t.TempDir() + "/kaizen.db"
		fn(t, faultTarget{
			name:     "sqlite",
			jsonData: map[string]any{"path": path},
			open:     func(ctx context.Context) (*sqlstore.DB, error) { return sqlite.Open(ctx, path) },
		})
	})
	t.Run("postgres", func(t *testing.T) {
		cfg := faultPostgresRole(t, storetest.PostgresConfig(t)) // skips without KAIZEN_TEST_POSTGRES_DSN
		fn(t, faultPostgresTarget(cfg))
	})
}

// faultPostgresRole gives the test a login role of its own, so its server backends
// can be told apart in pg_stat_activity from those of tests running beside it (to
// terminate them, or wait for them); the role and what it owns go when the test ends.
func faultPostgresRole(t *testing.T, cfg postgres.Config) postgres.Config {
	t.Helper()
	ctx := context.Background()
	admin := faultAdmin(t)
	role := cfg.Schema // kt_<random hex>: unique, and a valid identifier
	password := role + "-pw"
	ident := pgx.Identifier{role}.Sanitize()
	for _, stmt := range []string{
		`CREATE ROLE ` + ident + ` LOGIN PASSWORD '` + password + `'`,
		`GRANT CREATE, CONNECT ON DATABASE ` + pgx.Identifier{cfg.Database}.Sanitize() + ` TO ` + ident,
	} {
		if _, err := admin.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	t.Cleanup(func() {
		conn := faultAdmin(t)
		_, _ = conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, role)
		for _, stmt := range []string{`DROP OWNED BY ` + ident + ` CASCADE`, `DROP ROLE ` + ident} {
			if _, err := conn.Exec(ctx, stmt); err != nil {
				t.Errorf("%s: %v", stmt, err)
			}
		}
	})
	cfg.User, cfg.Password = role, password
	return cfg
}

// faultAdmin connects to the test database as its superuser; closed when the test ends.
func faultAdmin(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv(storetest.PostgresEnv))
	if err != nil {
		t.Fatalf("connecting as the test superuser: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(ctx) })
	return conn
}

// faultBackends counts the server backends of the test's role in the given states
// (all states when none given).
func faultBackends(ctx context.Context, admin *pgx.Conn, role string, states ...string) (int, error) {
	if states == nil {
		states = []string{} // nil would travel as NULL and match nothing
	}
	var n int
	err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND (cardinality($2::text[]) = 0 OR state = ANY($2))`, role, states).Scan(&n)
	return n, err
}

// faultWaitBackendsGone waits until the killed plugin's server backends have ended:
// a COMMIT it sent before dying still completes on the server, so only then is
// what is stored final.
func faultWaitBackendsGone(t testing.TB, admin *pgx.Conn, role string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := faultBackends(context.Background(), admin, role)
		if err != nil {
			t.Fatalf("pg_stat_activity: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d backends of %s still there 30 s after the plugin died", n, role)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func faultPostgresTarget(cfg postgres.Config) faultTarget {
	return faultTarget{
		name: "postgres",
		jsonData: map[string]any{
			"store": "postgres", "host": cfg.Host, "port": cfg.Port, "database": cfg.Database,
			"user": cfg.User, "sslmode": "disable", "schema": cfg.Schema, "maxOpenConns": 8,
		},
		secure: map[string]string{"password": cfg.Password},
		open:   func(ctx context.Context) (*sqlstore.DB, error) { return postgres.Open(ctx, cfg) },
		pg:     &cfg,
	}
}

// faultIncidentTime is the start of record i of a batch: distinct per record so a
// field stored from the wrong record shows.
var faultEpoch = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// faultBatch is one ingest request of n incidents whose ids start with prefix.
func faultBatch(prefix string, n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		start := faultEpoch.Add(time.Duration(i) * time.Minute)
		fmt.Fprintf(&b, `{"id":"%s-%04d","source":"fault","service":"svc-%d","team":"core","severity":"sev2","title":"%s record %d",`+
			`"started_at":"%s","detected_at":"%s","resolved_at":"%s","detected_by":"monitoring"}`+"\n",
			prefix, i, i%5, prefix, i,
			start.Format(time.RFC3339), start.Add(time.Minute).Format(time.RFC3339), start.Add(time.Duration(i+2)*time.Minute).Format(time.RFC3339))
	}
	return []byte(b.String())
}

// faultStored reads every fault incident and checks each row is the record that was
// sent (no torn row); it returns the number of rows per batch prefix.
func faultStored(ctx context.Context, db *sql.DB) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, service, title, started_at, detected_at, resolved_at FROM incidents WHERE source = $1`, "fault")
	if err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id, service, title string
		var started, detected, resolved sql.NullInt64
		if err := rows.Scan(&id, &service, &title, &started, &detected, &resolved); err != nil {
			return nil, fmt.Errorf("scanning incident: %w", err)
		}
		cut := strings.LastIndex(id, "-")
		if cut < 0 {
			return nil, fmt.Errorf("incident %q was never sent", id)
		}
		i, err := strconv.Atoi(id[cut+1:])
		if err != nil {
			return nil, fmt.Errorf("incident %q was never sent", id)
		}
		prefix := id[:cut]
		start := faultEpoch.Add(time.Duration(i) * time.Minute)
		want := fmt.Sprintf("%s %s %d %d %d", fmt.Sprintf("svc-%d", i%5), fmt.Sprintf("%s record %d", prefix, i),
			start.UnixMilli(), start.Add(time.Minute).UnixMilli(), start.Add(time.Duration(i+2)*time.Minute).UnixMilli())
		got := fmt.Sprintf("%s %s %d %d %d", service, title, started.Int64, detected.Int64, resolved.Int64)
		if got != want {
			return nil, fmt.Errorf("incident %s is torn: stored %q, sent %q", id, got, want)
		}
		out[prefix]++
	}
	return out, rows.Err()
}

// faultIntegrity runs SQLite's integrity check; PostgreSQL has none to run.
func faultIntegrity(ctx context.Context, tg faultTarget, db *sql.DB) error {
	if tg.pg != nil {
		return nil
	}
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity_check: %s", res)
	}
	return nil
}

func openSQLiteForCheck(ctx context.Context, path string) (*sqlstore.DB, error) {
	return sqlite.Open(ctx, path)
}

func itoa(n int) string { return strconv.Itoa(n) }

// faultSeedIncidents inserts n incidents spread over 2025 (50 services, 10 teams,
// 4 severities) with one SQL statement that runs on both stores: test data for
// queries that take a while, in seconds rather than the minutes the API would take.
func faultSeedIncidents(t testing.TB, db *sql.DB, n int) {
	t.Helper()
	year := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	step := int64(365*24*time.Hour/time.Millisecond) / int64(n)
	_, err := db.ExecContext(context.Background(), `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < $1)
		INSERT INTO incidents (source, id, service, team, severity, started_at, detected_at, resolved_at, ingested_at)
		SELECT 'seed', 'seed-' || i, 'svc-' || (i % 50), 'team-' || (i % 10), 'sev' || (1 + i % 4),
			t0 + i * step, t0 + i * step + 60000 * (1 + i % 7), t0 + i * step + 60000 * (10 + i % 113), t0
		FROM seq, (SELECT CAST($2 AS BIGINT) AS t0, CAST($3 AS BIGINT) AS step) AS p`, n, year.UnixMilli(), step)
	if err != nil {
		t.Fatalf("seeding %d incidents: %v", n, err)
	}
}

type postgresConfig = postgres.Config

func storetestPostgresConfig(t *testing.T) postgres.Config { return storetest.PostgresConfig(t) }
