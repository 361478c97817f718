// Package storetest runs store-backed tests against every available store: the
// embedded SQLite store always, and PostgreSQL when KAIZEN_TEST_POSTGRES_DSN names one.
//
// Start a throwaway PostgreSQL with `eval "$(bash scripts/postgres.sh start)"`.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// PostgresEnv names the environment variable with the test PostgreSQL URL
// (postgres://user:password@host:port/database?sslmode=disable), a user that may
// create schemas.
const PostgresEnv = "KAIZEN_TEST_POSTGRES_DSN"

// Each runs fn once per available store, each time on a fresh, migrated, empty store.
func Each(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, OpenSQLite(t))
	})
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) {
			fn(t, OpenPostgres(t))
		})
	}
}

// OpenSQLite opens a fresh SQLite store in the test's temporary directory.
func OpenSQLite(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "kaizen.db"))
	if err != nil {
		t.Fatalf("opening sqlite store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// OpenPostgres opens a fresh store in a new schema of the test database; the schema
// is dropped when the test ends. It skips the test when no test database is set.
func OpenPostgres(t testing.TB) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), PostgresConfig(t))
	if err != nil {
		t.Fatalf("opening postgres store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// PostgresConfig returns the test database's settings with a schema of its own,
// dropped (with everything in it) when the test ends; open it as many times as a
// test needs, for instance to play several Grafana replicas sharing one store.
// It skips the test when no test database is set.
func PostgresConfig(t testing.TB) postgres.Config {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set; start a PostgreSQL with scripts/postgres.sh", PostgresEnv)
	}
	cfg, err := postgres.ParseURL(dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	cfg.Schema = "kt_" + hex.EncodeToString(b[:])
	// Cleanups run last-registered first: this one runs after the stores opened by
	// the test have closed.
	t.Cleanup(func() { dropSchema(t, dsn, cfg.Schema) })
	return cfg
}

func dropSchema(t testing.TB, dsn, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Errorf("connecting to drop test schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("dropping test schema %s: %v", schema, err)
	}
}
