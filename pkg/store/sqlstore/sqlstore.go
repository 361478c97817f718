// Package sqlstore implements store.Store over database/sql; the SQLite and PostgreSQL
// stores are this type with their own driver, dialect and connection settings.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// DB is a store.Store on a database/sql handle.
type DB struct {
	*sql.DB
	dialect  store.Dialect
	describe string
	// lockMigrations serialises schema migrations between processes sharing the database.
	lockMigrations func(ctx context.Context, tx *sql.Tx) error
	// lockWrites serialises WithTx transactions between processes sharing the database.
	lockWrites func(ctx context.Context, tx *sql.Tx) error
	// afterWrite runs after every committed WithTx transaction.
	afterWrite func(ctx context.Context, db *sql.DB)
}

var _ store.Store = (*DB)(nil)

// Options configure a DB.
type Options struct {
	Dialect store.Dialect
	// Describe says where the database is, without secrets.
	Describe string
	// LockMigrations, when set, runs first inside the migration transaction.
	LockMigrations func(ctx context.Context, tx *sql.Tx) error
	// LockWrites, when set, runs first inside every WithTx transaction, so writers
	// queue instead of taking row locks in conflicting orders (deadlocks).
	LockWrites func(ctx context.Context, tx *sql.Tx) error
	// AfterWrite, when set, runs after every committed WithTx transaction (SQLite
	// bounds its WAL there).
	AfterWrite func(ctx context.Context, db *sql.DB)
}

// New wraps db; call Migrate before use.
func New(db *sql.DB, opts Options) *DB {
	return &DB{DB: db, dialect: opts.Dialect, describe: opts.Describe, lockMigrations: opts.LockMigrations, lockWrites: opts.LockWrites, afterWrite: opts.AfterWrite}
}

func (d *DB) Dialect() store.Dialect { return d.dialect }

// QueryContext, QueryRowContext and ExecContext run statements written with $n
// placeholders; on a positional dialect (SQLite) they are rewritten as "?" first
// (store.Positional: numbered parameters cost SQLite a linear lookup each).
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = d.bind(query, args)
	return d.DB.QueryContext(ctx, query, args...)
}

func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = d.bind(query, args)
	return d.DB.QueryRowContext(ctx, query, args...)
}

func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = d.bind(query, args)
	return d.DB.ExecContext(ctx, query, args...)
}

func (d *DB) bind(query string, args []any) (string, []any) {
	if !d.dialect.Positional {
		return query, args
	}
	return store.Positional(query, args)
}

// tx is a transaction whose statements are bound as the DB's are.
type tx struct {
	*sql.Tx
	db *DB
}

func (t tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = t.db.bind(query, args)
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = t.db.bind(query, args)
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = t.db.bind(query, args)
	return t.Tx.ExecContext(ctx, query, args...)
}

func (d *DB) Describe() string { return d.describe }

func (d *DB) Ping(ctx context.Context) error { return d.PingContext(ctx) }

// CheckWritable rewrites the store_health row in its own transaction.
func (d *DB) CheckWritable(ctx context.Context) error {
	return d.WithTx(ctx, func(tx store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO store_health (id, checked_at) VALUES (1, $1)
			ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, time.Now().UnixMilli())
		return err
	})
}

// WithTx runs fn in a transaction and commits it when fn returns nil.
func (d *DB) WithTx(ctx context.Context, fn func(tx store.Tx) error) error {
	sqlTx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	if d.lockWrites != nil {
		if err := d.lockWrites(ctx, sqlTx); err != nil {
			_ = sqlTx.Rollback()
			return fmt.Errorf("waiting for the write lock: %w", err)
		}
	}
	if err := fn(tx{Tx: sqlTx, db: d}); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return fmt.Errorf("%w (and rolling back: %v)", err, rbErr)
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	if d.afterWrite != nil {
		d.afterWrite(ctx, d.DB)
	}
	return nil
}

// SchemaVersion returns the highest applied migration, 0 for an empty database.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := d.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Counts returns the row count of each event table.
func (d *DB) Counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(store.EventTables()))
	tables := store.EventTables()
	sort.Strings(tables)
	for _, t := range tables {
		var n int64
		// t comes from the fixed list above, never from a request.
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}
