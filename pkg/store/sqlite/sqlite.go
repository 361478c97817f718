// Package sqlite opens the embedded store: one SQLite file through a pure-Go driver
// (no CGO, so the plugin binary runs on Grafana's Alpine image).
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	// Registers the pure-Go "sqlite" driver.
	_ "modernc.org/sqlite"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
)

// Open opens (creating if needed) the store file at path and migrates it.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite store: no file path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite store: creating directory for %s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	// WAL lets readers proceed while one writer commits; a modest pool is plenty.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s := sqlstore.New(db, sqlstore.Options{Dialect: store.SQLite, Describe: "sqlite " + path, AfterWrite: boundWAL(path)})
	if err := s.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	if err := s.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	return s, nil
}

// walLimit is the WAL size past which a write forces a checkpoint that restarts the
// WAL. SQLite's automatic checkpoints only restart it at a moment when no query is
// reading from it; with queries that never pause (a wall of panels refreshing while
// ingest runs) that moment never came, and the WAL grew without bound (212 MiB over
// an 18 MiB database in 45 s of pkg/reliability's TestLoad), slowing every read.
const walLimit = 32 << 20

// boundWAL returns the after-write hook that checkpoints and truncates the WAL once it
// passes walLimit. TRUNCATE waits for the queries reading the WAL to finish and holds
// back other writers meanwhile (new queries go on), so it waits at most a second, not
// the full busy timeout. It is best effort: the write has committed, and a checkpoint
// that cannot finish now is tried again after the next write.
func boundWAL(path string) func(ctx context.Context, db *sql.DB) {
	return func(ctx context.Context, db *sql.DB) {
		fi, err := os.Stat(path + "-wal")
		if err != nil || fi.Size() < walLimit {
			return
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			return
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 1000`); err != nil {
			return
		}
		_, _ = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeoutMs)); err != nil {
			// Do not return a connection with the short timeout to the pool.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
}

// busyTimeoutMs is how long a statement waits for another connection's lock.
const busyTimeoutMs = 15000

// dsn sets the pragmas on every connection: WAL for concurrent readers, a busy
// timeout instead of immediate SQLITE_BUSY, synchronous=NORMAL (durable across a
// process crash in WAL mode), and immediate write transactions so two writers
// queue instead of deadlocking on a read-to-write upgrade; and a 32 MiB page cache
// per connection, since the 2 MiB default thrashes once an index outgrows it.
func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMs), "synchronous(NORMAL)", "foreign_keys(ON)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}
