package main

import (
	"context"
	"net/url"
	"strings"

	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
)

// openStore opens the store a --db flag names: a postgres:// (or postgresql://) URL
// opens the PostgreSQL store, anything else is an SQLite file path.
func openStore(ctx context.Context, db string) (*sqlstore.DB, error) {
	if isPostgresURL(db) {
		cfg, err := postgres.ParseURL(db)
		if err != nil {
			return nil, err
		}
		return postgres.Open(ctx, cfg)
	}
	return sqlite.Open(ctx, db)
}

// isPostgresURL says whether a --db value names a PostgreSQL server.
func isPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// redactURL is a --db value fit for a message: a URL's password is masked.
func redactURL(db string) string {
	if !isPostgresURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "the PostgreSQL URL"
	}
	return u.Redacted()
}
