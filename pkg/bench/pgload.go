package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "modernc.org/sqlite" // the driver the embedded store uses

	"github.com/kaizenops/suite/pkg/store/postgres"
)

// loadedTable marks a PostgreSQL schema as a complete copy of one cached SQLite data set
// file (its name, size and modification time), so later runs reuse it.
const loadedTable = "kaizen_bench_loaded"

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// SchemaFor is the PostgreSQL schema holding a data set file's copy.
func SchemaFor(file string) string {
	s := unsafeChars.ReplaceAllString(strings.ToLower(strings.TrimSuffix(file, ".db")), "_")
	if len(s) > 63 {
		s = s[:63]
	}
	return s
}

// fileStamp identifies a cache file's content: its name carries the family generator's
// version, and the generators are deterministic. (Not the modification time: opening the
// file as a store migrates and checkpoints it.)
func fileStamp(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("data set file: %w", err)
	}
	return fi.Name(), nil
}

// LoadPostgres copies a SQLite data set into its own schema of the PostgreSQL database
// at dsn (migrated by the store itself, then filled with COPY and analyzed), unless the
// schema already holds a complete copy of the same file and reload is false.
func LoadPostgres(ctx context.Context, dsn, sqlitePath string, reload bool, log func(string, ...any)) (postgres.Config, error) {
	cfg, err := postgres.ParseURL(dsn)
	if err != nil {
		return postgres.Config{}, err
	}
	cfg.Schema = SchemaFor(baseName(sqlitePath))
	stamp, err := fileStamp(sqlitePath)
	if err != nil {
		return postgres.Config{}, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return postgres.Config{}, fmt.Errorf("connecting to PostgreSQL at %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	defer conn.Close(ctx)
	// Index builds after the COPY sort in memory when they can (the default is 64 MB).
	if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '512MB'"); err != nil {
		return postgres.Config{}, fmt.Errorf("PostgreSQL session setting: %w", err)
	}
	ident := pgx.Identifier{cfg.Schema}.Sanitize()
	var have string
	if err := conn.QueryRow(ctx, fmt.Sprintf("SELECT stamp FROM %s.%s", ident, loadedTable)).Scan(&have); err == nil && have == stamp && !reload {
		return cfg, nil
	}
	log("loading %s into PostgreSQL schema %s", baseName(sqlitePath), cfg.Schema)
	t0 := time.Now()
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+ident+" CASCADE"); err != nil {
		return postgres.Config{}, fmt.Errorf("dropping the old copy %s: %w", cfg.Schema, err)
	}
	pg, err := postgres.Open(ctx, cfg) // creates the schema and runs the migrations
	if err != nil {
		return postgres.Config{}, err
	}
	_ = pg.Close()
	src, err := sql.Open("sqlite", "file:"+sqlitePath+"?mode=ro")
	if err != nil {
		return postgres.Config{}, fmt.Errorf("opening %s: %w", sqlitePath, err)
	}
	defer src.Close()
	tables, err := copyableTables(ctx, src)
	if err != nil {
		return postgres.Config{}, err
	}
	total := int64(0)
	for _, t := range tables {
		n, err := copyTable(ctx, src, conn, cfg.Schema, t)
		if err != nil {
			return postgres.Config{}, err
		}
		total += n
	}
	for _, t := range tables { // this schema's tables only: ANALYZE alone visits the whole database
		if _, err := conn.Exec(ctx, "ANALYZE "+pgx.Identifier{cfg.Schema, t}.Sanitize()); err != nil && !isUndefinedTable(err) {
			return postgres.Config{}, fmt.Errorf("analyzing %s.%s: %w", cfg.Schema, t, err)
		}
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.%s (stamp TEXT NOT NULL)", ident, loadedTable)); err != nil {
		return postgres.Config{}, fmt.Errorf("marking %s loaded: %w", cfg.Schema, err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s.%s (stamp) VALUES ($1)", ident, loadedTable), stamp); err != nil {
		return postgres.Config{}, fmt.Errorf("marking %s loaded: %w", cfg.Schema, err)
	}
	log("loaded %d rows into %s in %s", total, cfg.Schema, time.Since(t0).Round(time.Second))
	return cfg, nil
}

// copyableTables lists the data set's tables with rows, migrations and SQLite's own left out.
func copyableTables(ctx context.Context, src *sql.DB) ([]string, error) {
	rows, err := src.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("listing tables: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// copyTable streams one table with COPY; the rows the migrations seed are replaced.
func copyTable(ctx context.Context, src *sql.DB, conn *pgx.Conn, schema, table string) (int64, error) {
	rows, err := src.QueryContext(ctx, "SELECT * FROM "+pgx.Identifier{table}.Sanitize())
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", table, err)
	}
	ident := pgx.Identifier{schema, table}
	// A table an old migration made in the cache file and a later one dropped has no
	// place in a freshly migrated schema: nothing reads it.
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", ident.Sanitize()).Scan(&exists); err != nil {
		return 0, fmt.Errorf("looking up %s.%s: %w", schema, table, err)
	}
	if !exists {
		return 0, nil
	}
	if _, err := conn.Exec(ctx, "DELETE FROM "+ident.Sanitize()); err != nil {
		return 0, fmt.Errorf("emptying %s.%s: %w", schema, table, err)
	}
	// Keys and indexes are dropped for the COPY and built again after it: one sort per
	// index instead of millions of random inserts (minutes instead of an hour at 43M rows).
	rebuild, err := dropIndexes(ctx, conn, schema, table)
	if err != nil {
		return 0, err
	}
	n, err := conn.CopyFrom(ctx, ident, cols, &rowSource{rows: rows, vals: make([]any, len(cols))})
	if err != nil {
		return n, fmt.Errorf("copying %s into PostgreSQL: %w", table, err)
	}
	for _, stmt := range rebuild {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return n, fmt.Errorf("rebuilding an index of %s.%s (%s): %w", schema, table, stmt, err)
		}
	}
	return n, nil
}

// dropIndexes drops a table's key constraints and indexes and returns the statements
// that create them again.
func dropIndexes(ctx context.Context, conn *pgx.Conn, schema, table string) ([]string, error) {
	ident := pgx.Identifier{schema, table}.Sanitize()
	var drops, creates []string
	rows, err := conn.Query(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::regclass AND contype IN ('p', 'u')`, ident)
	if err != nil {
		return nil, fmt.Errorf("reading the keys of %s: %w", ident, err)
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the keys of %s: %w", ident, err)
		}
		c := pgx.Identifier{name}.Sanitize()
		drops = append(drops, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", ident, c))
		creates = append(creates, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", ident, c, def))
	}
	rows.Close()
	rows, err = conn.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = $1 AND i.tablename = $2
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = $3::regclass AND c.conname = i.indexname)`, schema, table, ident)
	if err != nil {
		return nil, fmt.Errorf("reading the indexes of %s: %w", ident, err)
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the indexes of %s: %w", ident, err)
		}
		drops = append(drops, "DROP INDEX "+pgx.Identifier{schema, name}.Sanitize())
		creates = append(creates, def)
	}
	rows.Close()
	for _, d := range drops {
		if _, err := conn.Exec(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", d, err)
		}
	}
	return creates, nil
}

// rowSource feeds database/sql rows to pgx's COPY.
type rowSource struct {
	rows *sql.Rows
	vals []any
	err  error
}

func (r *rowSource) Next() bool { return r.rows.Next() }

func (r *rowSource) Values() ([]any, error) {
	ptrs := make([]any, len(r.vals))
	for i := range r.vals {
		ptrs[i] = &r.vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make([]any, len(r.vals))
	for i, v := range r.vals {
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		out[i] = v
	}
	return out, nil
}

func (r *rowSource) Err() error { return r.rows.Err() }

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func isUndefinedTable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42P01"
}
