package models

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/prometheus"
)

// loadPrometheus reads the optional Prometheus settings: nothing is checked when no
// URL is set (the prometheus query type then says it is not configured).
func (s *Settings) loadPrometheus(secure map[string]string) error {
	s.PrometheusPassword = secure["prometheusPassword"]
	s.PrometheusToken = secure["prometheusToken"]
	s.PrometheusURL = strings.TrimSpace(s.PrometheusURL)
	if s.PrometheusURL == "" {
		return nil
	}
	if s.PrometheusTimeout < 0 {
		return fmt.Errorf("data source settings: prometheusTimeout %d must not be negative (seconds; 0 means %s)", s.PrometheusTimeout, prometheus.DefaultTimeout)
	}
	if _, err := s.ScrapeInterval(); err != nil {
		return err
	}
	if _, err := prometheus.New(s.PrometheusConfig()); err != nil {
		return fmt.Errorf("data source settings: %w", err)
	}
	return nil
}

// PrometheusConfig is the client configuration of the settings (a scrape interval
// that does not parse is left to its default; LoadSettings refuses it anyway).
func (s Settings) PrometheusConfig() prometheus.Config {
	scrape, _ := s.ScrapeInterval()
	return prometheus.Config{URL: s.PrometheusURL, User: s.PrometheusUser, Password: s.PrometheusPassword,
		BearerToken: s.PrometheusToken, Timeout: time.Duration(s.PrometheusTimeout) * time.Second, ScrapeInterval: scrape}
}

// ScrapeInterval is Prometheus' scrape interval: the smallest automatic step and
// the base of $__rate_interval.
func (s Settings) ScrapeInterval() (time.Duration, error) {
	if s.PrometheusScrapeInterval == "" {
		return prometheus.DefaultScrapeInterval, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s.PrometheusScrapeInterval))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("data source settings: prometheusScrapeInterval %q: use a duration such as 15s or 1m", s.PrometheusScrapeInterval)
	}
	return d, nil
}
