package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
)

// Advisory lock keys, one pair per schema: stores in different schemas of one
// database never wait for each other. Advisory locks are per database already.
func lockKey(purpose, schema string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "kaizenops:%s:%s", purpose, schema)
	return int64(h.Sum64())
}

// xactLock returns a function that takes a transaction-scoped advisory lock, released
// at commit or rollback (so a crashed replica never leaves it held).
func xactLock(key int64) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key)
		return err
	}
}
