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

func TestRedactURLMasksThePassword(t *testing.T) {
	cases := []struct{ in, want string }{
		{"/var/lib/kaizen.db", "/var/lib/kaizen.db"},
		{"postgres://kaizen:s3cret@db:5432/k?sslmode=disable", "postgres://kaizen:xxxxx@db:5432/k?sslmode=disable"},
		{"postgresql://kaizen@db/k", "postgresql://kaizen@db/k"},
		{"postgres://k:s3cret@db:bad-port/k", "the PostgreSQL URL"},
	}
	for _, c := range cases {
		if got := redactURL(c.in); got != c.want {
			t.Errorf("redactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
