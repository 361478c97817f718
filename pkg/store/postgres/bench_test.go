package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlstore"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// Bulk ingest on both stores, each against a plain prepared INSERT of the same rows
// on the same store in the same run; and, on PostgreSQL, the write paths a bulk
// ingest could take (multi-row upserts of several sizes, COPY into a temporary table
// then one upsert). Needs a server (scripts/postgres.sh; KAIZEN_PG_DURABLE=1 for
// fsync on, as production runs):
//
//	go test ./pkg/store/postgres -run '^$' -bench . -benchtime 3x

const benchRows = 100_000

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// benchNDJSON is n incidents over a year, 20 services, 5 teams; deterministic for a seed.
func benchNDJSON(n int, seed uint64, idPrefix string) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	span := int64(365 * 24 * time.Hour / time.Second)
	for i := 0; i < n; i++ {
		start := benchStart.Add(time.Duration(r.Int64N(span)) * time.Second)
		detect := start.Add(time.Duration(r.IntN(1800)) * time.Second)
		ack := detect.Add(time.Duration(r.IntN(900)) * time.Second)
		resolve := ack.Add(time.Duration(60+r.ExpFloat64()*3600) * time.Second)
		fmt.Fprintf(&b, `{"id":"%s%d","service":"svc-%02d","team":"team-%d","severity":"sev%d","started_at":%q,"detected_at":%q,"acknowledged_at":%q,"resolved_at":%q,"detected_by":"monitoring"}`+"\n",
			idPrefix, i, r.IntN(20), r.IntN(5), 1+r.IntN(4), start.Format(time.RFC3339), detect.Format(time.RFC3339), ack.Format(time.RFC3339), resolve.Format(time.RFC3339))
	}
	return b.Bytes()
}

var incidentCols = []string{"source", "id", "service", "team", "severity", "title", "started_at", "detected_at",
	"acknowledged_at", "mitigated_at", "resolved_at", "detected_by", "caused_by_deployment", "customer_impact", "labels", "ingested_at"}

// benchRowsFor is n parsed incident rows in incidentCols order.
func benchRowsFor(n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		t := benchStart.UnixMilli() + int64(i)*1000
		rows[i] = []any{"api", fmt.Sprint("INC-", i), fmt.Sprintf("svc-%02d", i%20), fmt.Sprint("team-", i%5), "sev1", "",
			t, t + 1, t + 2, nil, t + 3, "monitoring", "", nil, "{}", t}
	}
	return rows
}

// preparedInsert is the baseline: one prepared INSERT per row in one transaction,
// no parsing, no validation, no conflict handling.
func preparedInsert(ctx context.Context, st *sqlstore.DB, rows [][]any) error {
	tx, err := st.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	ph := make([]string, len(incidentCols))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO incidents ("+strings.Join(incidentCols, ", ")+") VALUES ("+strings.Join(ph, ", ")+")")
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func emptyIncidents(b *testing.B, st *sqlstore.DB) {
	b.Helper()
	q := `DELETE FROM incidents`
	if st.Dialect().Name == "postgres" {
		q = `TRUNCATE incidents`
	}
	if _, err := st.ExecContext(context.Background(), q); err != nil {
		b.Fatal(err)
	}
}

func openBenchStores(b *testing.B) map[string]*sqlstore.DB {
	out := map[string]*sqlstore.DB{}
	sq := storetest.OpenSQLite(b)
	out["sqlite"] = sq.(*sqlstore.DB)
	pg := storetest.OpenPostgres(b)
	out["postgres"] = pg.(*sqlstore.DB)
	return out
}

// BenchmarkBulkIngest: 100k NDJSON incidents through the real ingest path (decode,
// validate, multi-row upserts in one transaction) on each store, against prepared
// INSERTs of 100k parsed rows on the same store.
func BenchmarkBulkIngest(b *testing.B) {
	payload := benchNDJSON(benchRows, 7, "INC-")
	rows := benchRowsFor(benchRows)
	kind, err := ingest.DefaultKinds().Get("incidents")
	if err != nil {
		b.Fatal(err)
	}
	stores := openBenchStores(b)
	for _, name := range []string{"sqlite", "postgres"} {
		st := stores[name]
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			var ours, baseline time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				emptyIncidents(b, st)
				b.StartTimer()
				t0 := time.Now()
				res, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: benchStart.AddDate(2, 0, 0)})
				if err != nil || res.Stored != benchRows {
					b.Fatalf("ingest: stored %d: %v", res.Stored, err)
				}
				ours += time.Since(t0)
				b.StopTimer()
				emptyIncidents(b, st)
				t1 := time.Now()
				if err := preparedInsert(ctx, st, rows); err != nil {
					b.Fatal(err)
				}
				baseline += time.Since(t1)
				b.StartTimer()
			}
			n := float64(benchRows * b.N)
			b.ReportMetric(n/ours.Seconds(), "records/s")
			b.ReportMetric(n/baseline.Seconds(), "prepared-insert-records/s")
			b.ReportMetric(baseline.Seconds()/ours.Seconds(), "x-prepared-insert-speed")
		})
	}
}

// BenchmarkPostgresWritePaths: the same 100k parsed rows written, in one transaction
// each, by multi-row upserts of 100, 250 and 500 rows per statement (store.Upsert
// caps at 500), by COPY into a temporary table then one INSERT ... SELECT ... ON
// CONFLICT, and by prepared single-row INSERTs (the baseline).
func BenchmarkPostgresWritePaths(b *testing.B) {
	st := storetest.OpenPostgres(b).(*sqlstore.DB)
	rows := benchRowsFor(benchRows)
	ctx := context.Background()
	up := store.Upsert{Table: "incidents", Columns: incidentCols, Key: []string{"source", "id"}}
	multirow := func(perStmt int) func() error {
		d := store.Postgres
		d.MaxParams = perStmt * len(incidentCols)
		return func() error {
			return st.WithTx(ctx, func(tx store.Tx) error { return up.Exec(ctx, tx, d, rows) })
		}
	}
	paths := []struct {
		name string
		run  func() error
	}{
		{"multirow100", multirow(100)},
		{"multirow250", multirow(250)},
		{"multirow500", multirow(500)},
		{"copy", func() error { return copyUpsert(ctx, st, rows) }},
		{"prepared", func() error { return preparedInsert(ctx, st, rows) }},
	}
	took := make([]time.Duration, len(paths))
	for i := 0; i < b.N; i++ {
		for p, path := range paths {
			b.StopTimer()
			emptyIncidents(b, st)
			b.StartTimer()
			t0 := time.Now()
			if err := path.run(); err != nil {
				b.Fatalf("%s: %v", path.name, err)
			}
			took[p] += time.Since(t0)
		}
	}
	baseline := took[len(took)-1]
	for p, path := range paths {
		b.ReportMetric(float64(benchRows*b.N)/took[p].Seconds(), path.name+"-records/s")
		if p < len(paths)-1 {
			b.ReportMetric(baseline.Seconds()/took[p].Seconds(), path.name+"-x-prepared")
		}
	}
}

// copyUpsert loads rows with COPY into a temporary table and upserts them from there
// in one statement: PostgreSQL only, through the pgx connection under database/sql.
func copyUpsert(ctx context.Context, st *sqlstore.DB, rows [][]any) error {
	conn, err := st.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	set := make([]string, 0, len(incidentCols))
	for _, c := range incidentCols[2:] {
		set = append(set, c+" = excluded."+c)
	}
	cols := strings.Join(incidentCols, ", ")
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE incidents_load (LIKE incidents INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"incidents_load"}, incidentCols, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO incidents (`+cols+`) SELECT `+cols+` FROM incidents_load
			ON CONFLICT (source, id) DO UPDATE SET `+strings.Join(set, ", ")); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}
