// Package sqlite opens the embedded store: one SQLite file through a pure-Go driver
// (no CGO, so the plugin binary runs on Grafana's Alpine image).
package sqlite

import (
	"context"
	"database/sql"
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
	s := sqlstore.New(db, sqlstore.Options{Dialect: store.SQLite, Describe: "sqlite " + path})
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

// dsn sets the pragmas on every connection: WAL for concurrent readers, a busy
// timeout instead of immediate SQLITE_BUSY, synchronous=NORMAL (durable across a
// process crash in WAL mode), and immediate write transactions so two writers
// queue instead of deadlocking on a read-to-write upgrade; and a 32 MiB page cache
// per connection, since the 2 MiB default thrashes once an index outgrows it.
func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(15000)", "synchronous(NORMAL)", "foreign_keys(ON)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}
