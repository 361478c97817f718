package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/kaizenops/suite/pkg/store/migrations"
)

// Migrate applies every migration newer than the database's schema version, each in
// its own transaction, so a failed step leaves the schema at the previous version.
func (d *DB) Migrate(ctx context.Context) error {
	if err := d.createMigrationsTable(ctx); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	all, err := migrations.All()
	if err != nil {
		return err
	}
	for _, m := range all {
		if err := d.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// createMigrationsTable runs under the migration lock: on PostgreSQL two processes
// running CREATE TABLE IF NOT EXISTS at once can both try to create it and one fails.
func (d *DB) createMigrationsTable(ctx context.Context) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if d.lockMigrations != nil {
		if err := d.lockMigrations(ctx, tx); err != nil {
			return fmt.Errorf("locking: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	return tx.Commit()
}

func (d *DB) apply(ctx context.Context, m migrations.Migration) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
	}
	defer func() { _ = tx.Rollback() }()
	if d.lockMigrations != nil {
		if err := d.lockMigrations(ctx, tx); err != nil {
			return fmt.Errorf("locking for migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	// Another process may have applied it while we waited for the lock.
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&done); err != nil {
		return fmt.Errorf("checking migration %04d_%s: %w", m.Version, m.Name, err)
	}
	if done > 0 {
		return nil
	}
	for _, stmt := range migrations.Statements(m.SQL) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("recording migration %04d_%s: %w", m.Version, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing migration %04d_%s: %w", m.Version, m.Name, err)
	}
	return nil
}
