package postgres

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// TLS modes, as libpq names them.
const (
	SSLDisable    = "disable"
	SSLRequire    = "require"
	SSLVerifyCA   = "verify-ca"
	SSLVerifyFull = "verify-full"
)

// SSLModes lists the accepted TLS modes.
var SSLModes = []string{SSLDisable, SSLRequire, SSLVerifyCA, SSLVerifyFull}

// Defaults for settings left empty. A Grafana replica runs one pool per data source;
// ten connections per replica keep three replicas well inside PostgreSQL's default
// max_connections of 100, and recycling connections every 30 minutes lets a
// failover or a load balancer rebalance them.
const (
	DefaultPort            = 5432
	DefaultSSLMode         = SSLRequire
	DefaultMaxOpenConns    = 10
	DefaultMaxIdleConns    = 10
	DefaultConnMaxLifetime = 30 * time.Minute
	DefaultConnectTimeout  = 10 * time.Second
	// DefaultIdleInTransactionTimeout: ingest never pauses this long inside a
	// transaction (HTTP bodies are read before it begins), so only a dead or hung
	// client hits it.
	DefaultIdleInTransactionTimeout = 2 * time.Minute
)

// Config says where the store is and how to connect. Password and CACert are secrets:
// they never appear in Describe, in errors or in logs.
type Config struct {
	Host     string
	Port     int
	Database string
	User     string
	Password string
	// SSLMode is disable, require, verify-ca or verify-full (libpq's meanings).
	SSLMode string
	// CACertFile is a PEM file of the CA that signs the server certificate.
	CACertFile string
	// CACert is the same as PEM text (takes precedence over CACertFile).
	CACert string
	// Schema holds the store's tables (created when missing); empty means the user's
	// default search_path (normally public).
	Schema string

	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	ConnectTimeout  time.Duration
	// IdleInTransactionTimeout ends a write transaction (and frees the write lock)
	// that waits this long for its client.
	IdleInTransactionTimeout time.Duration
	// ApplicationName shows in pg_stat_activity.
	ApplicationName string
}

// schemaName keeps schema names to plain lower-case identifiers, so they need no
// quoting anywhere and read the same in every tool.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// withDefaults fills the settings left at their zero value.
func (c Config) withDefaults() Config {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.SSLMode == "" {
		c.SSLMode = DefaultSSLMode
	}
	if c.MaxOpenConns == 0 {
		c.MaxOpenConns = DefaultMaxOpenConns
	}
	if c.MaxIdleConns == 0 {
		c.MaxIdleConns = min(DefaultMaxIdleConns, c.MaxOpenConns)
	}
	if c.ConnMaxLifetime == 0 {
		c.ConnMaxLifetime = DefaultConnMaxLifetime
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.IdleInTransactionTimeout == 0 {
		c.IdleInTransactionTimeout = DefaultIdleInTransactionTimeout
	}
	if c.ApplicationName == "" {
		c.ApplicationName = "kaizenops"
	}
	return c
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case strings.TrimSpace(c.Host) == "":
		return fmt.Errorf("host is required")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("port %d is not between 1 and 65535", c.Port)
	case strings.TrimSpace(c.Database) == "":
		return fmt.Errorf("database is required")
	case strings.TrimSpace(c.User) == "":
		return fmt.Errorf("user is required")
	case !validSSLMode(c.SSLMode):
		return fmt.Errorf("sslmode %q is not one of %s", c.SSLMode, strings.Join(SSLModes, ", "))
	case c.SSLMode == SSLVerifyCA && c.CACert == "" && c.CACertFile == "":
		return fmt.Errorf("sslmode verify-ca needs the CA certificate (a file path, or its PEM content)")
	case c.Schema != "" && !schemaName.MatchString(c.Schema):
		return fmt.Errorf("schema %q must be a lower-case identifier: a letter or _ then letters, digits or _, at most 63", c.Schema)
	case c.MaxOpenConns < 0:
		return fmt.Errorf("maxOpenConns %d must be positive", c.MaxOpenConns)
	case c.MaxIdleConns < 0:
		return fmt.Errorf("maxIdleConns %d must not be negative", c.MaxIdleConns)
	case c.MaxIdleConns > c.MaxOpenConns:
		return fmt.Errorf("maxIdleConns %d is more than maxOpenConns %d", c.MaxIdleConns, c.MaxOpenConns)
	case c.ConnMaxLifetime < 0:
		return fmt.Errorf("connMaxLifetime %s must be positive", c.ConnMaxLifetime)
	case c.ConnectTimeout < 0:
		return fmt.Errorf("connectTimeout %s must be positive", c.ConnectTimeout)
	case c.IdleInTransactionTimeout < 0:
		return fmt.Errorf("idle-in-transaction timeout %s must be positive", c.IdleInTransactionTimeout)
	}
	return nil
}

func validSSLMode(m string) bool {
	for _, s := range SSLModes {
		if m == s {
			return true
		}
	}
	return false
}

// Describe says where the store is, for health messages: never the password.
func (c Config) Describe() string {
	c = c.withDefaults()
	d := fmt.Sprintf("postgres %s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
	if c.Schema != "" {
		d += " schema " + c.Schema
	}
	return d + " (sslmode " + c.SSLMode + ")"
}

// connConfig builds pgx's connection settings field by field (no connection string,
// so a password needs no escaping) and with TLS set up here rather than from
// libpq-style environment variables.
func (c Config) connConfig() (*pgx.ConnConfig, error) {
	cc, err := pgx.ParseConfig("sslmode=disable")
	if err != nil {
		return nil, fmt.Errorf("base connection settings: %w", err)
	}
	cc.Host = c.Host
	cc.Port = uint16(c.Port)
	cc.Database = c.Database
	cc.User = c.User
	cc.Password = c.Password
	cc.ConnectTimeout = c.ConnectTimeout
	cc.Fallbacks = nil
	// Custom plans always: the driver prepares statements, and after five runs PostgreSQL
	// may switch to a generic plan, where an IN list of parameters is searched linearly
	// per row instead of hashed (a KPI chart over 300 KPIs: 0.1 s custom, 1.3 s generic).
	cc.RuntimeParams = map[string]string{"application_name": c.ApplicationName, "plan_cache_mode": "force_custom_plan"}
	if c.Schema != "" {
		cc.RuntimeParams["search_path"] = c.Schema
	}
	tlsConfig, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	cc.TLSConfig = tlsConfig
	return cc, nil
}

// caPEM returns the CA certificate PEM from the content or the file, or nil.
func (c Config) caPEM() ([]byte, error) {
	if c.CACert != "" {
		return []byte(c.CACert), nil
	}
	if c.CACertFile == "" {
		return nil, nil
	}
	b, err := os.ReadFile(c.CACertFile)
	if err != nil {
		return nil, fmt.Errorf("reading the CA certificate file: %w", err)
	}
	return b, nil
}

// ParseURL reads a postgres://user:password@host:port/database?sslmode=...&sslrootcert=...
// URL (the form libpq, psql and the test DSN use) into a Config. search_path sets the schema.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's errors quote the whole URL, password included.
		return Config{}, fmt.Errorf("PostgreSQL URL is not a valid URL")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return Config{}, fmt.Errorf("PostgreSQL URL scheme %q: want postgres://", u.Scheme)
	}
	c := Config{Host: u.Hostname(), Database: strings.TrimPrefix(u.Path, "/")}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil {
			return Config{}, fmt.Errorf("PostgreSQL URL port %q is not a number", p)
		}
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	c.SSLMode = q.Get("sslmode")
	c.CACertFile = q.Get("sslrootcert")
	c.Schema = q.Get("search_path")
	return c, nil
}
