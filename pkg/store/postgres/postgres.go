// Package postgres opens the shared store on PostgreSQL through pgx's database/sql
// adapter: the same sqlstore.DB, migrations and queries as the embedded SQLite store,
// for teams and for several Grafana replicas sharing one store.
//
// Replicas coordinate with transaction-scoped advisory locks: one for migrations
// (replicas starting together migrate once) and one for writes (ingest transactions
// queue as they do on SQLite, so overlapping upserts from two replicas can never
// deadlock on each other's rows). Reads take no lock.
package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
)

// Open connects, creates the schema when it is missing, and migrates. Errors say
// what to fix and never contain the password.
func Open(ctx context.Context, c Config) (*sqlstore.DB, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("postgres store settings: %w", err)
	}
	c = c.withDefaults()
	cc, err := c.connConfig()
	if err != nil {
		return nil, fmt.Errorf("postgres store settings: %s", c.scrub(err.Error()))
	}
	db := stdlib.OpenDB(*cc)
	db.SetMaxOpenConns(c.MaxOpenConns)
	db.SetMaxIdleConns(c.MaxIdleConns)
	db.SetConnMaxLifetime(c.ConnMaxLifetime)
	migrateLock := xactLock(lockKey("migrate", c.Schema), c.IdleInTransactionTimeout)
	s := sqlstore.New(db, sqlstore.Options{
		Dialect:        store.Postgres,
		Describe:       c.Describe(),
		LockMigrations: migrateLock,
		LockWrites:     xactLock(lockKey("write", c.Schema), c.IdleInTransactionTimeout),
	})
	fail := func(err error) (*sqlstore.DB, error) {
		_ = db.Close()
		return nil, fmt.Errorf("postgres store: %w", c.explain(err))
	}
	if err := s.Ping(ctx); err != nil {
		return fail(err)
	}
	if c.Schema != "" {
		if err := ensureSchema(ctx, db, c.Schema, migrateLock); err != nil {
			return fail(err)
		}
		if err := checkCurrentSchema(ctx, db, c.Schema); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("postgres store: %w", err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

// ensureSchema creates the schema when it does not exist, under the migration lock
// (concurrent CREATE SCHEMA IF NOT EXISTS can still collide). It checks first: CREATE
// SCHEMA needs the CREATE privilege on the database even when the schema exists.
func ensureSchema(ctx context.Context, db *sql.DB, schema string, lock func(context.Context, *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("creating schema %s: %w", schema, err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := lock(ctx, tx); err != nil {
		return fmt.Errorf("locking to create schema %s: %w", schema, err)
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return fmt.Errorf("looking up schema %s: %w", schema, err)
	}
	if exists {
		return nil
	}
	// schema matched schemaName, and Sanitize quotes it regardless.
	if _, err := tx.ExecContext(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("creating schema %s: %w", schema, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("creating schema %s: %w", schema, err)
	}
	return nil
}

// checkCurrentSchema makes sure unqualified table names resolve in the configured
// schema before anything is created: a pooler that drops the search_path startup
// parameter, or a role without USAGE on the schema, would otherwise put the tables
// somewhere else without a word.
func checkCurrentSchema(ctx context.Context, db *sql.DB, schema string) error {
	var current sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
		return fmt.Errorf("reading the current schema: %w", err)
	}
	if current.String != schema {
		return fmt.Errorf("connections resolve tables in schema %q, not the configured %q: the user lacks USAGE on %s, or a pooler (PgBouncer) dropped the search_path parameter; grant USAGE and CREATE on the schema, or leave the schema setting empty and run ALTER ROLE ... SET search_path = %s",
			current.String, schema, schema, schema)
	}
	return nil
}
