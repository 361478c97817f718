package models

import (
	"strings"
	"testing"
	"time"
)

func TestLoadSettingsPrometheus(t *testing.T) {
	cases := []struct {
		name     string
		jsonData string
		secure   map[string]string
		check    func(t *testing.T, s Settings)
		wantErr  string
	}{
		{name: "not configured: nothing checked", jsonData: `{"prometheusUser":"x","prometheusTimeout":-3}`, check: func(t *testing.T, s Settings) {
			if s.PrometheusURL != "" {
				t.Fatalf("%+v", s)
			}
		}},
		{name: "basic auth with the password from secureJsonData", jsonData: `{"prometheusUrl":" http://prometheus:9090 ","prometheusUser":"grafana","prometheusTimeout":5,"prometheusScrapeInterval":"30s"}`,
			secure: map[string]string{"prometheusPassword": "pw"},
			check: func(t *testing.T, s Settings) {
				c := s.PrometheusConfig()
				if c.URL != "http://prometheus:9090" || c.User != "grafana" || c.Password != "pw" || c.BearerToken != "" || c.Timeout != 5*time.Second || c.ScrapeInterval != 30*time.Second {
					t.Fatalf("%+v", c)
				}
				if d, err := s.ScrapeInterval(); err != nil || d != 30*time.Second {
					t.Fatalf("scrape interval %v %v", d, err)
				}
			}},
		{name: "bearer token; default scrape interval", jsonData: `{"prometheusUrl":"https://prom.example"}`, secure: map[string]string{"prometheusToken": "tok"},
			check: func(t *testing.T, s Settings) {
				if s.PrometheusToken != "tok" || s.PrometheusConfig().BearerToken != "tok" {
					t.Fatalf("%+v", s)
				}
				if d, _ := s.ScrapeInterval(); d != 15*time.Second {
					t.Fatalf("scrape interval %v", d)
				}
			}},
		{name: "secrets in jsonData are not read", jsonData: `{"prometheusUrl":"http://p:9090","prometheusPassword":"leak","prometheusToken":"leak"}`, check: func(t *testing.T, s Settings) {
			if s.PrometheusPassword != "" || s.PrometheusToken != "" {
				t.Fatalf("secret taken from jsonData: %+v", s)
			}
		}},
		{name: "bad URL", jsonData: `{"prometheusUrl":"prometheus:9090"}`, wantErr: "data source settings: prometheus: URL \"prometheus:9090\": use http:// or https://"},
		{name: "credentials in the URL", jsonData: `{"prometheusUrl":"http://u:secret@p:9090"}`, wantErr: "the URL holds credentials"},
		{name: "both auth methods", jsonData: `{"prometheusUrl":"http://p:9090","prometheusUser":"u"}`, secure: map[string]string{"prometheusToken": "t"},
			wantErr: "either a user and password or a bearer token, not both"},
		{name: "negative timeout", jsonData: `{"prometheusUrl":"http://p:9090","prometheusTimeout":-1}`, wantErr: "prometheusTimeout -1 must not be negative"},
		{name: "bad scrape interval", jsonData: `{"prometheusUrl":"http://p:9090","prometheusScrapeInterval":"15"}`, wantErr: `prometheusScrapeInterval "15": use a duration such as 15s or 1m`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := LoadSettings([]byte(c.jsonData), c.secure)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || strings.Contains(err.Error(), "secret") {
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
