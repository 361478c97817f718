package models

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLoadSettings(t *testing.T) {
	cases := []struct {
		name     string
		jsonData string
		secure   map[string]string
		check    func(t *testing.T, s Settings)
		wantErr  string
	}{
		{name: "empty means the embedded store", jsonData: ``, check: func(t *testing.T, s Settings) {
			if s.Store != StoreSQLite || s.Path == "" || s.MaxIngestBytes != DefaultMaxIngestBytes {
				t.Fatalf("%+v", s)
			}
		}},
		{name: "postgres with secrets", jsonData: `{"store":"postgres","host":"db","port":6432,"database":"ops","user":"grafana",
			"sslmode":"verify-full","sslRootCertFile":"/etc/ssl/ca.pem","schema":"kaizen","maxOpenConns":20,"maxIdleConns":5,
			"connMaxLifetime":600,"connectTimeout":3}`,
			secure: map[string]string{"password": "pa55word", "tlsCACert": "-----BEGIN CERTIFICATE-----"},
			check: func(t *testing.T, s Settings) {
				want := Settings{Store: StorePostgres, Host: "db", Port: 6432, Database: "ops", User: "grafana", SSLMode: "verify-full",
					SSLRootCertFile: "/etc/ssl/ca.pem", Schema: "kaizen", MaxOpenConns: 20, MaxIdleConns: 5, ConnMaxLifetime: 600,
					ConnectTimeout: 3, MaxIngestBytes: DefaultMaxIngestBytes, Password: "pa55word", TLSCACert: "-----BEGIN CERTIFICATE-----"}
				if s != want {
					t.Fatalf("got %+v\nwant %+v", s, want)
				}
				if s.Path != "" {
					t.Fatalf("a postgres store has no SQLite path, got %q", s.Path)
				}
			}},
		{name: "a password in jsonData is not read", jsonData: `{"store":"postgres","host":"db","password":"leaked"}`, check: func(t *testing.T, s Settings) {
			if s.Password != "" {
				t.Fatalf("password %q taken from jsonData", s.Password)
			}
		}},
		{name: "unknown store", jsonData: `{"store":"mysql"}`, wantErr: `store "mysql" is not supported; use "sqlite" or "postgres"`},
		{name: "negative pool size", jsonData: `{"store":"postgres","maxOpenConns":-5}`, wantErr: "maxOpenConns -5 must not be negative"},
		{name: "negative lifetime", jsonData: `{"store":"postgres","connMaxLifetime":-1}`, wantErr: "connMaxLifetime -1 must not be negative"},
		{name: "port as text", jsonData: `{"store":"postgres","port":"5432"}`, wantErr: "jsonData"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := LoadSettings([]byte(c.jsonData), c.secure)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, s)
		})
	}
}

// Settings may be logged or echoed as JSON; secrets must never be in it.
func TestSettingsJSONHasNoSecrets(t *testing.T) {
	s := Settings{Store: StorePostgres, Host: "db", Password: "pa55word", TLSCACert: "PEM-SECRET", IngestToken: "tok3n"}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"pa55word", "PEM-SECRET", "tok3n"} {
		if strings.Contains(string(b), secret) {
			t.Fatalf("settings JSON %s contains a secret", b)
		}
	}
}
