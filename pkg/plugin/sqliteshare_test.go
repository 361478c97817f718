package plugin

import (
	"context"
	"path/filepath"
	"testing"
)

func TestSQLiteSharesOneStorePerFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	shares := newSQLiteShares()
	a, err := shares.acquire(ctx, filepath.Join(dir, "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	// The same file by another spelling of its path.
	b, err := shares.acquire(ctx, filepath.Join(dir, ".", "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := shares.acquire(ctx, filepath.Join(dir, "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	if a.(*sqliteHandle).Store != b.(*sqliteHandle).Store {
		t.Fatal("two instances on one file got two stores")
	}
	if a.(*sqliteHandle).Store == other.(*sqliteHandle).Store {
		t.Fatal("two files share one store")
	}
	if len(shares.open) != 2 {
		t.Fatalf("%d stores open, want 2", len(shares.open))
	}

	// Closing one share twice releases it once: the other share keeps working.
	for range 2 {
		if err := a.Close(); err != nil {
			t.Fatalf("closing a share: %v", err)
		}
	}
	if err := b.Ping(ctx); err != nil {
		t.Fatalf("the remaining share cannot reach the store: %v", err)
	}
	// The last share closes the store.
	if err := b.Close(); err != nil {
		t.Fatalf("closing the last share: %v", err)
	}
	if err := b.Ping(ctx); err == nil {
		t.Fatal("the store is still open after its last share closed")
	}
	if _, ok := shares.open[filepath.Join(dir, "k.db")]; ok || len(shares.open) != 1 {
		t.Fatalf("open stores after release: %v", shares.open)
	}
	// A new instance on the file opens it again.
	c, err := shares.acquire(ctx, filepath.Join(dir, "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("reopened store: %v", err)
	}
	_ = c.Close()
	_ = other.Close()
}
