// Package storetest runs store-backed tests against every available store: the
// embedded SQLite store always, and PostgreSQL when KAIZEN_TEST_POSTGRES_DSN names one.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Each runs fn once per available store, each time on a fresh, migrated, empty store.
func Each(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, OpenSQLite(t))
	})
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
