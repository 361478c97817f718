package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"
)

// lockKey names an advisory lock, one pair per schema: stores in different schemas of one
// database never wait for each other. Advisory locks are per database already.
func lockKey(purpose, schema string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "kaizenops:%s:%s", purpose, schema)
	return int64(h.Sum64())
}

// xactLock returns a function that takes a transaction-scoped advisory lock, released
// at commit or rollback. It also bounds how long the transaction may sit idle
// (SET LOCAL, so it holds through any pooler): a replica that dies or hangs
// mid-transaction loses its session and the lock after idle, instead of blocking
// every other replica's writes until TCP notices (hours by default).
func xactLock(key int64, idle time.Duration) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT set_config('idle_in_transaction_session_timeout', $1, true), pg_advisory_xact_lock($2)`,
			strconv.FormatInt(idle.Milliseconds(), 10), key)
		return err
	}
}
