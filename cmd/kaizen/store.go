package main

import (
	"context"
	"strings"

	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
)

// openStore opens the store a --db flag names: a postgres:// (or postgresql://) URL
// opens the PostgreSQL store, anything else is an SQLite file path.
func openStore(ctx context.Context, db string) (*sqlstore.DB, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		cfg, err := postgres.ParseURL(db)
		if err != nil {
			return nil, err
		}
		return postgres.Open(ctx, cfg)
	}
	return sqlite.Open(ctx, db)
}
