package models

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Store types.
const (
	StoreSQLite   = "sqlite"
	StorePostgres = "postgres"
)

// DefaultMaxIngestBytes bounds one ingest request body; bulk backfills use `kaizen import`.
const DefaultMaxIngestBytes = 16 << 20

// Settings is the data source configuration (jsonData plus decrypted secrets).
type Settings struct {
	// Store is "sqlite" (default) or "postgres".
	Store string `json:"store"`
	// Path is the SQLite file; empty means the default inside Grafana's data directory.
	Path string `json:"path"`
	// MaxIngestBytes bounds an ingest request body (default 16 MiB).
	MaxIngestBytes int64 `json:"maxIngestBytes"`

	// PostgreSQL, when Store is "postgres" (names as in Grafana's PostgreSQL data source
	// where it has them). Zero values take the store's defaults (docs/postgres.md).
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	// SSLMode is disable, require (default), verify-ca or verify-full.
	SSLMode string `json:"sslmode"`
	// SSLRootCertFile is a CA certificate file on the Grafana host; secureJsonData's
	// tlsCACert (the PEM itself) takes precedence.
	SSLRootCertFile string `json:"sslRootCertFile"`
	// Schema holds the store's tables; empty means the user's default (public).
	Schema       string `json:"schema"`
	MaxOpenConns int    `json:"maxOpenConns"`
	MaxIdleConns int    `json:"maxIdleConns"`
	// ConnMaxLifetime and ConnectTimeout are in seconds.
	ConnMaxLifetime int `json:"connMaxLifetime"`
	ConnectTimeout  int `json:"connectTimeout"`

	// IngestToken lets senders without a Grafana Editor role write (secureJsonData).
	IngestToken string `json:"-"`
	// Password is the PostgreSQL password (secureJsonData.password).
	Password string `json:"-"`
	// TLSCACert is the PEM of the CA that signs PostgreSQL's certificate (secureJsonData.tlsCACert).
	TLSCACert string `json:"-"`

	// Prometheus (optional) answers the prometheus query type (docs/prometheus.md):
	// its base URL, a user for basic auth, the request timeout in seconds (0: 30)
	// and its scrape interval (empty: 15s).
	PrometheusURL            string `json:"prometheusUrl"`
	PrometheusUser           string `json:"prometheusUser"`
	PrometheusTimeout        int    `json:"prometheusTimeout"`
	PrometheusScrapeInterval string `json:"prometheusScrapeInterval"`
	// PrometheusPassword (basic auth) or PrometheusToken (bearer) are secureJsonData.
	PrometheusPassword string `json:"-"`
	PrometheusToken    string `json:"-"`
}

// LoadSettings reads jsonData and the decrypted secureJsonData, applying defaults.
func LoadSettings(jsonData []byte, secure map[string]string) (Settings, error) {
	var s Settings
	if len(strings.TrimSpace(string(jsonData))) > 0 {
		if err := json.Unmarshal(jsonData, &s); err != nil {
			return Settings{}, fmt.Errorf("data source settings (jsonData): %w", err)
		}
	}
	s.IngestToken = secure["ingestToken"]
	s.Password = secure["password"]
	s.TLSCACert = secure["tlsCACert"]
	if s.Store == "" {
		s.Store = StoreSQLite
	}
	switch s.Store {
	case StoreSQLite:
		if s.Path == "" {
			s.Path = DefaultStorePath()
		}
	case StorePostgres:
		// The store validates host, sslmode, schema and pool sizes and names what is wrong.
		for _, f := range []struct {
			name string
			v    int
		}{{"port", s.Port}, {"maxOpenConns", s.MaxOpenConns}, {"maxIdleConns", s.MaxIdleConns},
			{"connMaxLifetime", s.ConnMaxLifetime}, {"connectTimeout", s.ConnectTimeout}} {
			if f.v < 0 {
				return Settings{}, fmt.Errorf("data source settings: %s %d must not be negative", f.name, f.v)
			}
		}
	default:
		return Settings{}, fmt.Errorf("data source settings: store %q is not supported; use %q or %q", s.Store, StoreSQLite, StorePostgres)
	}
	if s.MaxIngestBytes == 0 {
		s.MaxIngestBytes = DefaultMaxIngestBytes
	}
	if s.MaxIngestBytes < 0 {
		return Settings{}, fmt.Errorf("data source settings: maxIngestBytes %d must be positive", s.MaxIngestBytes)
	}
	if err := s.loadPrometheus(secure); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// DefaultStorePath puts the store in Grafana's data directory: GF_PATHS_DATA when
// Grafana forwards it, else the packages' default /var/lib/grafana when it exists,
// else next to the plugin executable.
func DefaultStorePath() string {
	const file = "kaizenops/kaizenops.db"
	if d := os.Getenv("GF_PATHS_DATA"); d != "" {
		return filepath.Join(d, file)
	}
	if fi, err := os.Stat("/var/lib/grafana"); err == nil && fi.IsDir() {
		return filepath.Join("/var/lib/grafana", file)
	}
	if exe, err := os.Executable(); err == nil {
		return filepath.Join(filepath.Dir(exe), file)
	}
	return file
}
