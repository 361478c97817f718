// Package store is the system of record: the events that metrics are computed from.
//
// Every store speaks the same SQL (times as BIGINT Unix milliseconds UTC, text,
// double precision, INSERT ... ON CONFLICT upserts, $n placeholders), so metric
// code is written once and runs on the embedded SQLite store and on PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"strconv"
)

// Querier runs SQL; both a Store and a Tx are one.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx is a store transaction: everything written inside it lands together or not at all.
type Tx interface {
	Querier
}

// Store is what the engine needs from a backing database.
type Store interface {
	Querier
	// Dialect names the SQL engine ("sqlite", "postgres") for the few places that differ.
	Dialect() Dialect
	// WithTx runs fn in one transaction, committed when fn returns nil.
	WithTx(ctx context.Context, fn func(tx Tx) error) error
	// SchemaVersion is the highest migration applied.
	SchemaVersion(ctx context.Context) (int, error)
	// Counts returns the number of stored rows per event kind table.
	Counts(ctx context.Context) (map[string]int64, error)
	Ping(ctx context.Context) error
	// CheckWritable commits a tiny write, so a read-only file or a full disk shows up.
	CheckWritable(ctx context.Context) error
	// Describe says where the store is, without secrets, for health messages.
	Describe() string
	Close() error
}

// Dialect captures what differs between SQL engines.
type Dialect struct {
	Name string
	// MaxParams is the most bind parameters one statement may carry.
	MaxParams int
	// Positional says parameters are written "?" rather than "$n". SQLite treats
	// "$n" as a named parameter and looks names up linearly, which makes a
	// many-row upsert quadratic; "?" binds by position.
	Positional bool
}

var (
	// SQLite allows 32766 host parameters per statement since 3.32.
	SQLite = Dialect{Name: "sqlite", MaxParams: 32766, Positional: true}
	// Postgres allows 65535 bind parameters per statement.
	Postgres = Dialect{Name: "postgres", MaxParams: 65535}
)

// Placeholder returns the n-th (1-based) parameter marker for bulk statements.
// Metric queries keep "$n", which both engines accept; only statements with
// thousands of parameters need the positional form.
func (d Dialect) Placeholder(n int) string {
	if d.Positional {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}
