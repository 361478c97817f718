package plugin

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// sqliteShares hands every data source instance that names the same SQLite file
// one shared store. Grafana rebuilds an instance whenever its settings change, and
// SQLite's unix VFS cannot close a connection's file while another connection of
// the process holds a lock on it (WAL mode always does): a fresh pool per rebuild
// left the old pool's descriptors open for the life of the process.
type sqliteShares struct {
	mu   sync.Mutex
	open map[string]*sharedSQLite
}

type sharedSQLite struct {
	store store.Store
	refs  int
}

func newSQLiteShares() *sqliteShares {
	return &sqliteShares{open: map[string]*sharedSQLite{}}
}

// acquire opens the file's store, or shares the one already open.
func (s *sqliteShares) acquire(ctx context.Context, path string) (store.Store, error) {
	key, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store path %q: %w", path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.open[key]
	if !ok {
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		sh = &sharedSQLite{store: st}
		s.open[key] = sh
	}
	sh.refs++
	return &sqliteHandle{Store: sh.store, release: func() error { return s.release(key) }}, nil
}

// release drops one instance's share; the last one closes the store.
func (s *sqliteShares) release(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.open[key]
	if !ok {
		return nil
	}
	sh.refs--
	if sh.refs > 0 {
		return nil
	}
	delete(s.open, key)
	return sh.store.Close()
}

// sqliteHandle is one instance's share of a store: Close releases it, once.
type sqliteHandle struct {
	store.Store
	once    sync.Once
	release func() error
}

func (h *sqliteHandle) Close() error {
	var err error
	h.once.Do(func() { err = h.release() })
	return err
}
