package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenStoreDispatch(t *testing.T) {
	ctx := context.Background()
	st, err := openStore(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Dialect().Name != "sqlite" {
		t.Fatalf("a file path opened %s", st.Dialect().Name)
	}
	_ = st.Close()

	// Nothing listens on port 1: the PostgreSQL store must be the one that tried.
	_, err = openStore(ctx, "postgres://kaizen:s3cret@127.0.0.1:1/kaizen?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("an unreachable PostgreSQL URL opened")
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(strings.ToLower(err.Error()), "postgres") {
		t.Fatalf("error %q: want a PostgreSQL error without the password", err)
	}
}
