package postgres_test

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/migrations"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// These tests need a server: eval "$(bash scripts/postgres.sh start)".

func open(t *testing.T, cfg postgres.Config) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func TestOpenErrorsSayWhatToFix(t *testing.T) {
	base := storetest.PostgresConfig(t)
	refused := freePort(t)
	silent := silentServer(t)
	cases := []struct {
		name   string
		mutate func(*postgres.Config)
		want   string
	}{
		{"wrong password", func(c *postgres.Config) { c.Password = "not-the-password-42" },
			`refused the password for user "` + base.User + `"; check the password (secureJsonData.password)`},
		{"no such database", func(c *postgres.Config) { c.Database = "kaizen_no_such_db" }, `has no database "kaizen_no_such_db"`},
		{"nothing listening", func(c *postgres.Config) { c.Port = refused }, "connection refused"},
		{"no answer", func(c *postgres.Config) { c.Port, c.ConnectTimeout = silent, 300*time.Millisecond }, "no answer within the 300ms connect timeout"},
		{"bad settings", func(c *postgres.Config) { c.Schema = "Bad-Name" }, `postgres store settings: schema "Bad-Name" must be a lower-case identifier`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base
			c.mutate(&cfg)
			cfg.SSLMode = postgres.SSLDisable
			st, err := postgres.Open(context.Background(), cfg)
			if err == nil {
				_ = st.Close()
				t.Fatal("opened")
			}
			t.Log(err)
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), cfg.Password) {
				t.Fatalf("error %q shows the password", err)
			}
		})
	}
}

func TestTLSAgainstTheServer(t *testing.T) {
	caFile := os.Getenv("KAIZEN_TEST_POSTGRES_CA")
	if caFile == "" {
		t.Skip("KAIZEN_TEST_POSTGRES_CA is not set (scripts/postgres.sh sets it when the server has TLS)")
	}
	ca, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		mutate  func(*postgres.Config)
		wantSSL bool
		wantErr string
	}{
		{"disable is plain text", func(c *postgres.Config) { c.SSLMode = postgres.SSLDisable }, false, ""},
		{"require encrypts", func(c *postgres.Config) { c.SSLMode = postgres.SSLRequire }, true, ""},
		{"verify-ca with the CA file", func(c *postgres.Config) { c.SSLMode, c.CACertFile = postgres.SSLVerifyCA, caFile }, true, ""},
		{"verify-full with the CA content, by IP", func(c *postgres.Config) { c.SSLMode, c.CACert = postgres.SSLVerifyFull, string(ca) }, true, ""},
		{"verify-full by name", func(c *postgres.Config) {
			c.SSLMode, c.CACert, c.Host = postgres.SSLVerifyFull, string(ca), "localhost"
		}, true, ""},
		{"verify-full against another CA", func(c *postgres.Config) {
			c.SSLMode, c.CACert = postgres.SSLVerifyFull, string(postgres.GenerateCA(t))
		}, false, "does not verify against the CA (sslmode verify-full)"},
		{"verify-ca against another CA", func(c *postgres.Config) {
			c.SSLMode, c.CACert = postgres.SSLVerifyCA, string(postgres.GenerateCA(t))
		}, false, "does not verify against the CA (sslmode verify-ca)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := storetest.PostgresConfig(t)
			c.mutate(&cfg)
			st, err := postgres.Open(context.Background(), cfg)
			if c.wantErr != "" {
				if err == nil {
					_ = st.Close()
					t.Fatal("opened")
				}
				t.Log(err)
				if !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %q, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var ssl bool
			if err := st.QueryRowContext(context.Background(), `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`).Scan(&ssl); err != nil {
				t.Fatal(err)
			}
			if ssl != c.wantSSL {
				t.Fatalf("connection encrypted %v, want %v", ssl, c.wantSSL)
			}
		})
	}
}

func TestSchemaIsCreatedAndHoldsTheTables(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	st := open(t, cfg)
	ctx := context.Background()
	var table string
	if err := st.QueryRowContext(ctx, `SELECT to_regclass($1)::text`, cfg.Schema+".incidents").Scan(&table); err != nil {
		t.Fatalf("incidents is not in schema %s: %v", cfg.Schema, err)
	}
	var inPublic bool
	if err := st.QueryRowContext(ctx, `SELECT to_regclass('public.schema_migrations') IS NOT NULL`).Scan(&inPublic); err != nil {
		t.Fatal(err)
	}
	if inPublic {
		t.Fatal("schema_migrations landed in public")
	}
	// Opening again (a restart) finds everything in place.
	again := open(t, cfg)
	v, err := again.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := migrations.All()
	if v != all[len(all)-1].Version {
		t.Fatalf("schema version %d after reopening, want %d", v, all[len(all)-1].Version)
	}
	if !strings.Contains(st.Describe(), "schema "+cfg.Schema) || strings.Contains(st.Describe(), cfg.Password) {
		t.Fatalf("describe %q", st.Describe())
	}
}

// Replicas starting together: every one opens, and each migration is applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	const replicas = 6
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	stores := make([]store.Store, replicas)
	start := make(chan struct{})
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			stores[i], errs[i] = postgres.Open(context.Background(), cfg)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	all, _ := migrations.All()
	var n, distinct int
	if err := stores[0].QueryRowContext(context.Background(), `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != len(all) || distinct != len(all) {
		t.Fatalf("schema_migrations has %d rows (%d versions), want %d", n, distinct, len(all))
	}
}

func TestPoolSettingsApply(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	cfg.MaxOpenConns, cfg.MaxIdleConns = 3, 2
	st, err := postgres.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if s := st.Stats(); s.MaxOpenConnections != 3 {
		t.Fatalf("max open connections %d, want 3", s.MaxOpenConnections)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port
}

// A replica that hangs inside a write transaction must not block the others for
// long: its session ends after the idle-in-transaction timeout and the write lock
// is free again.
func TestHungWriterReleasesTheWriteLock(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	cfg.IdleInTransactionTimeout = 500 * time.Millisecond
	hung, other := open(t, cfg), open(t, cfg)
	ctx := context.Background()
	locked := make(chan struct{})
	hungErr := make(chan error, 1)
	go func() {
		hungErr <- hung.WithTx(ctx, func(tx store.Tx) error {
			var setting string
			if err := tx.QueryRowContext(ctx, `SHOW idle_in_transaction_session_timeout`).Scan(&setting); err != nil {
				return err
			}
			if setting != "500ms" {
				t.Errorf("idle_in_transaction_session_timeout %q inside a write, want 500ms", setting)
			}
			close(locked)
			time.Sleep(3 * time.Second) // a client that stopped talking
			_, err := tx.ExecContext(ctx, `INSERT INTO store_health (id, checked_at) VALUES (2, 0)`)
			return err
		})
	}()
	<-locked
	t0 := time.Now()
	if err := other.CheckWritable(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(t0); waited > 2500*time.Millisecond {
		t.Fatalf("the other replica waited %s for the write lock", waited)
	}
	if err := <-hungErr; err == nil {
		t.Fatal("the hung transaction committed after its session timed out")
	}
	var n int
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*) FROM store_health WHERE id = 2`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("hung write landed: %d rows (%v)", n, err)
	}
	// The replica's pool drops the dead session and writes again.
	if err := hung.CheckWritable(ctx); err != nil {
		t.Fatalf("the replica does not recover: %v", err)
	}
	// The setting is local to write transactions.
	var setting string
	if err := other.QueryRowContext(ctx, `SHOW idle_in_transaction_session_timeout`).Scan(&setting); err != nil || setting != "0" {
		t.Fatalf("outside a write the timeout is %q (%v), want the server's 0", setting, err)
	}
}

// Tables must land in the configured schema or nowhere: when connections resolve
// names elsewhere (here a user without USAGE on the schema; through a pooler, a
// dropped search_path), opening fails before creating anything.
func TestSchemaThatConnectionsDoNotUseIsRefused(t *testing.T) {
	admin := storetest.PostgresConfig(t)
	ctx := context.Background()
	role := "kt_role_" + strings.TrimPrefix(admin.Schema, "kt_")
	adminStore := open(t, admin)
	if _, err := adminStore.ExecContext(ctx, `CREATE ROLE `+role+` LOGIN PASSWORD 'role-pass-123'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = adminStore.ExecContext(context.Background(), `DROP ROLE IF EXISTS `+role) })
	if _, err := adminStore.ExecContext(ctx, `GRANT CONNECT, CREATE ON DATABASE `+admin.Database+` TO `+role); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = adminStore.ExecContext(context.Background(), `REVOKE ALL ON DATABASE `+admin.Database+` FROM `+role)
	})
	cfg := admin // same schema, which exists and belongs to the admin user
	cfg.User, cfg.Password = role, "role-pass-123"
	st, err := postgres.Open(ctx, cfg)
	if err == nil {
		_ = st.Close()
		t.Fatal("opened a schema its connections do not use")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), `not the configured "`+admin.Schema+`"`) || !strings.Contains(err.Error(), "USAGE") {
		t.Fatalf("error %q", err)
	}
	var stray int
	if err := adminStore.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_tables WHERE tableowner = $1`, role).Scan(&stray); err != nil || stray != 0 {
		t.Fatalf("%d tables created elsewhere (%v)", stray, err)
	}
}

// TestPreparedInListsStayHashed: the store's sessions plan every execution for its
// parameters. A statement run more than five times (the driver prepares it) with an IN
// list of parameters would otherwise get PostgreSQL's generic plan, which searches the
// list linearly per row; the custom plan hashes it.
func TestPreparedInListsStayHashed(t *testing.T) {
	st := open(t, storetest.PostgresConfig(t))
	ctx := context.Background()
	var mode string
	if err := st.QueryRowContext(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil || mode != "force_custom_plan" {
		t.Fatalf("plan_cache_mode = %q (%v), want force_custom_plan", mode, err)
	}
	marks := make([]string, 20)
	args := []any{}
	for i := range marks {
		marks[i] = "$" + strconv.Itoa(i+1)
		args = append(args, "k"+strconv.Itoa(i))
	}
	q := `EXPLAIN SELECT * FROM kpi_samples WHERE kpi IN (` + strings.Join(marks, ", ") + `)`
	for i := 0; i < 7; i++ {
		rows, err := st.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan strings.Builder
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(line + "\n")
		}
		rows.Close()
		if strings.Contains(plan.String(), "$1") {
			t.Fatalf("run %d got a generic plan (parameters unbound):\n%s", i+1, plan.String())
		}
	}
}
