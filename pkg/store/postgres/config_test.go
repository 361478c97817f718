package postgres

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func validConfig() Config {
	return Config{Host: "db.internal", Database: "kaizen", User: "grafana", Password: "hunter2-secret"}
}

func TestValidateNamesTheSetting(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string // "" means valid
	}{
		{"defaults fill the rest", func(*Config) {}, ""},
		{"no host", func(c *Config) { c.Host = " " }, "host is required"},
		{"port out of range", func(c *Config) { c.Port = 70000 }, "port 70000 is not between 1 and 65535"},
		{"no database", func(c *Config) { c.Database = "" }, "database is required"},
		{"no user", func(c *Config) { c.User = "" }, "user is required"},
		{"unknown sslmode", func(c *Config) { c.SSLMode = "prefer" }, `sslmode "prefer" is not one of disable, require, verify-ca, verify-full`},
		{"verify-ca without a CA", func(c *Config) { c.SSLMode = SSLVerifyCA }, "verify-ca needs the CA certificate"},
		{"verify-ca with a CA file", func(c *Config) { c.SSLMode, c.CACertFile = SSLVerifyCA, "/etc/ca.pem" }, ""},
		{"verify-full may use the system roots", func(c *Config) { c.SSLMode = SSLVerifyFull }, ""},
		{"schema with a quote", func(c *Config) { c.Schema = `kaizen"; DROP` }, "must be a lower-case identifier"},
		{"schema with capitals", func(c *Config) { c.Schema = "Kaizen" }, "must be a lower-case identifier"},
		{"schema ok", func(c *Config) { c.Schema = "kaizen_ops" }, ""},
		{"negative pool", func(c *Config) { c.MaxOpenConns = -1 }, "maxOpenConns -1 must be positive"},
		{"idle above open", func(c *Config) { c.MaxOpenConns, c.MaxIdleConns = 4, 8 }, "maxIdleConns 8 is more than maxOpenConns 4"},
		{"idle defaults within a small pool", func(c *Config) { c.MaxOpenConns = 3 }, ""},
		{"negative lifetime", func(c *Config) { c.ConnMaxLifetime = -time.Second }, "connMaxLifetime -1s must be positive"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			err := cfg.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c := validConfig().withDefaults()
	if c.Port != 5432 || c.SSLMode != SSLRequire || c.MaxOpenConns != 10 || c.MaxIdleConns != 10 ||
		c.ConnMaxLifetime != 30*time.Minute || c.ConnectTimeout != 10*time.Second || c.IdleInTransactionTimeout != 2*time.Minute {
		t.Fatalf("defaults: %+v", c)
	}
	small := validConfig()
	small.MaxOpenConns = 3
	if got := small.withDefaults().MaxIdleConns; got != 3 {
		t.Fatalf("idle connections default to %d with 3 open, want 3", got)
	}
}

func TestDescribeAndConnConfigKeepThePasswordOut(t *testing.T) {
	c := validConfig()
	c.Schema = "ops"
	d := c.Describe()
	if d != "postgres grafana@db.internal:5432/kaizen schema ops (sslmode require)" {
		t.Fatalf("describe: %q", d)
	}
	if strings.Contains(d, c.Password) {
		t.Fatal("describe shows the password")
	}
	cc, err := c.withDefaults().connConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cc.Host != "db.internal" || cc.Port != 5432 || cc.Database != "kaizen" || cc.User != "grafana" || cc.Password != c.Password {
		t.Fatalf("conn config %s:%d/%s user %s", cc.Host, cc.Port, cc.Database, cc.User)
	}
	if cc.RuntimeParams["search_path"] != "ops" || cc.RuntimeParams["application_name"] != "kaizenops" || cc.RuntimeParams["plan_cache_mode"] != "force_custom_plan" || cc.Fallbacks != nil {
		t.Fatalf("runtime params %v fallbacks %v", cc.RuntimeParams, cc.Fallbacks)
	}
}

func TestTLSModes(t *testing.T) {
	ca := writeTestCA(t)
	cases := []struct {
		name       string
		mode, file string
		content    string
		wantTLS    bool
		skipVerify bool
		chainCheck bool
		serverName string
		wantErr    string
	}{
		{name: "disable", mode: SSLDisable},
		{name: "require encrypts without checking", mode: SSLRequire, wantTLS: true, skipVerify: true},
		{name: "require with a CA checks the chain (libpq)", mode: SSLRequire, file: ca, wantTLS: true, skipVerify: true, chainCheck: true},
		{name: "verify-ca checks the chain, not the name", mode: SSLVerifyCA, content: string(GenerateCA(t)), wantTLS: true, skipVerify: true, chainCheck: true},
		{name: "verify-full checks chain and name", mode: SSLVerifyFull, file: ca, wantTLS: true, serverName: "db.internal"},
		{name: "verify-full with system roots", mode: SSLVerifyFull, wantTLS: true, serverName: "db.internal"},
		{name: "CA file missing", mode: SSLVerifyFull, file: filepath.Join(t.TempDir(), "none.pem"), wantErr: "reading the CA certificate file"},
		{name: "CA content not PEM", mode: SSLVerifyCA, content: "not a certificate", wantErr: "holds no PEM certificate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			cfg.SSLMode, cfg.CACertFile, cfg.CACert = c.mode, c.file, c.content
			got, err := cfg.tlsConfig()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got != nil) != c.wantTLS {
				t.Fatalf("TLS config %v, want TLS %v", got, c.wantTLS)
			}
			if got == nil {
				return
			}
			if got.InsecureSkipVerify != c.skipVerify || (got.VerifyPeerCertificate != nil) != c.chainCheck || got.ServerName != c.serverName {
				t.Fatalf("skip verify %v, chain check %v, server name %q", got.InsecureSkipVerify, got.VerifyPeerCertificate != nil, got.ServerName)
			}
			if got.MinVersion != tls.VersionTLS12 {
				t.Fatalf("min version %x", got.MinVersion)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	c := validConfig().withDefaults()
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"wrong password", &pgconn.PgError{Code: "28P01", Message: `password authentication failed for user "grafana"`},
			`PostgreSQL at db.internal:5432 refused the password for user "grafana"; check the password (secureJsonData.password)`},
		{"no pg_hba entry", &pgconn.PgError{Code: "28000", Message: `no pg_hba.conf entry for host "10.0.0.5", user "grafana", database "kaizen", no encryption`},
			"pg_hba.conf may require another sslmode (now require)"},
		{"no database", &pgconn.PgError{Code: "3D000", Message: `database "kaizen" does not exist`}, `has no database "kaizen"`},
		{"no privilege", &pgconn.PgError{Code: "42501", Message: "permission denied for database kaizen"}, `user "grafana" lacks a privilege`},
		{"no TLS on the server", errors.New("server refused TLS connection"), "does not offer TLS"},
		{"other errors keep their text", errors.New("boom"), "PostgreSQL at db.internal:5432: boom"},
		{"the password is scrubbed from any text", fmt.Errorf("weird driver error mentioning %s", c.Password), "mentioning ********"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.explain(tc.err).Error()
			if !strings.Contains(got, tc.want) || strings.Contains(got, c.Password) {
				t.Fatalf("explain: %q, want it to contain %q and not the password", got, tc.want)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	c, err := ParseURL("postgres://kaizen:p%40ss@127.0.0.1:6543/ops?sslmode=verify-ca&sslrootcert=/tmp/ca.pem&search_path=team_a")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Host: "127.0.0.1", Port: 6543, Database: "ops", User: "kaizen", Password: "p@ss", SSLMode: "verify-ca", CACertFile: "/tmp/ca.pem", Schema: "team_a"}
	if c != want {
		t.Fatalf("parsed %+v, want %+v", c, want)
	}
	for _, bad := range []string{"mysql://u:secretpw@h/db", "postgres://u:secretpw@h:port/db", "postgres://u:secretpw@h/db%zz"} {
		_, err := ParseURL(bad)
		if err == nil || strings.Contains(err.Error(), "secretpw") {
			t.Errorf("ParseURL(%q): error %v (must fail without showing the password)", bad, err)
		}
	}
}

func writeTestCA(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, GenerateCA(t), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
