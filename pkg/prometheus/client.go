// Package prometheus is a small client for the Prometheus HTTP API: range and
// instant queries, decoded into series of exact (time, value) points. It knows
// nothing of Grafana or of the query model; pkg/metrics/promql builds on it.
package prometheus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one request when the settings give none (Grafana's own
// default for data source HTTP requests).
const DefaultTimeout = 30 * time.Second

// DefaultScrapeInterval is the scrape interval assumed when none is configured
// (Prometheus' and Grafana's default).
const DefaultScrapeInterval = 15 * time.Second

// MaxResponseBytes bounds one response body: a query that returns more is refused
// instead of holding the plugin's memory hostage.
const MaxResponseBytes = 256 << 20

// Config is where Prometheus is and how to authenticate. Password and BearerToken
// come from secureJsonData and never appear in errors or logs.
type Config struct {
	URL         string
	User        string
	Password    string
	BearerToken string
	Timeout     time.Duration
	// ScrapeInterval is how often the server scrapes its targets (default 15s):
	// callers use it as the smallest useful step and in $__rate_interval.
	ScrapeInterval time.Duration
}

// Client talks to one Prometheus server. It is safe for concurrent use; a data
// source instance keeps one for its lifetime so connections are reused.
type Client struct {
	base    *url.URL
	display string
	http    *http.Client
	timeout time.Duration
	scrape  time.Duration
	auth    func(*http.Request)
}

// New checks the configuration and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.ScrapeInterval <= 0 {
		cfg.ScrapeInterval = DefaultScrapeInterval
	}
	c := &Client{base: u, display: displayURL(u), timeout: cfg.Timeout, scrape: cfg.ScrapeInterval, auth: func(*http.Request) {}}
	switch {
	case cfg.BearerToken != "" && (cfg.User != "" || cfg.Password != ""):
		return nil, fmt.Errorf("prometheus: give either a user and password or a bearer token, not both")
	case cfg.BearerToken != "":
		token := cfg.BearerToken
		c.auth = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
	case cfg.User != "":
		user, pass := cfg.User, cfg.Password
		c.auth = func(r *http.Request) { r.SetBasicAuth(user, pass) }
	case cfg.Password != "":
		return nil, fmt.Errorf("prometheus: a password is set without a user")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 8
	c.http = &http.Client{Timeout: cfg.Timeout, Transport: transport}
	return c, nil
}

// ParseURL checks a Prometheus base URL: http or https, a host, no credentials
// (they belong in secureJsonData) and no query string.
func ParseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("prometheus: the URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("prometheus: URL %q does not parse: %v", raw, errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("prometheus: URL %q: use http:// or https:// (for example http://prometheus:9090)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("prometheus: URL %q has no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("prometheus: the URL holds credentials; put the user in the Prometheus user field and the password in its secure field instead")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("prometheus: URL %s: remove the query string; give the server's base URL", displayURL(u))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if strings.HasSuffix(u.Path, "/api/v1") {
		return nil, fmt.Errorf("prometheus: URL %s ends in /api/v1; give the server's base URL (the API path is added)", displayURL(u))
	}
	return u, nil
}

// displayURL is the URL as errors show it: scheme, host and path only.
func displayURL(u *url.URL) string {
	return u.Scheme + "://" + u.Host + u.Path
}

// URL is the server's base URL as errors and health checks show it.
func (c *Client) URL() string { return c.display }

// Timeout is the bound on one request.
func (c *Client) Timeout() time.Duration { return c.timeout }

// ScrapeInterval is the configured scrape interval.
func (c *Client) ScrapeInterval() time.Duration { return c.scrape }

// Range is a range query's evaluation times: Start, Start+Step, ... up to End.
type Range struct {
	Start, End time.Time
	Step       time.Duration
}

// Points is how many evaluation times a range has.
func (r Range) Points() int64 {
	if r.Step <= 0 || r.End.Before(r.Start) {
		return 0
	}
	return int64(r.End.Sub(r.Start)/r.Step) + 1
}

// QueryRange runs a PromQL expression over a range (POST /api/v1/query_range).
func (c *Client) QueryRange(ctx context.Context, expr string, r Range) (*Response, error) {
	if r.Step <= 0 {
		return nil, fmt.Errorf("prometheus: step %s must be positive", r.Step)
	}
	form := url.Values{
		"query": {expr},
		"start": {formatTime(r.Start)},
		"end":   {formatTime(r.End)},
		"step":  {formatSeconds(r.Step)},
	}
	return c.query(ctx, "/api/v1/query_range", form)
}

// Query runs a PromQL expression at one time (POST /api/v1/query).
func (c *Client) Query(ctx context.Context, expr string, at time.Time) (*Response, error) {
	return c.query(ctx, "/api/v1/query", url.Values{"query": {expr}, "time": {formatTime(at)}})
}

func (c *Client) query(ctx context.Context, path string, form url.Values) (*Response, error) {
	// Prometheus stops evaluating at its own timeout too, instead of working on
	// for a client that has gone.
	form.Set("timeout", formatSeconds(c.timeout))
	body, status, err := c.post(ctx, path, form)
	if err != nil {
		return nil, err
	}
	return decodeResponse(body, status, c.display)
}

// post sends a form and returns the body. Transport failures are worded with the
// server's display URL; the request's form (which holds the query) is not echoed.
func (c *Client) post(ctx context.Context, path string, form url.Values) ([]byte, int, error) {
	u := *c.base
	u.Path += path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, fmt.Errorf("prometheus: building the request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	c.auth(req)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, 0, c.transportError(ctx, err)
	}
	if len(body) > MaxResponseBytes {
		return nil, 0, fmt.Errorf("Prometheus at %s answered more than %d MiB; narrow the query to fewer series or use a wider step", c.display, MaxResponseBytes>>20)
	}
	return body, resp.StatusCode, nil
}

// transportError words a failure to reach Prometheus. Cancellation and timeouts
// wrap the context's error, so callers can tell them from a refused query.
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fmt.Errorf("Prometheus at %s did not answer before the query's deadline: %w", c.display, ctxErr)
		}
		return fmt.Errorf("query to Prometheus at %s cancelled: %w", c.display, ctxErr)
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return fmt.Errorf("Prometheus at %s did not answer within %s (the data source's Prometheus timeout): %w", c.display, c.timeout, context.DeadlineExceeded)
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // its text repeats the URL
	}
	return fmt.Errorf("Prometheus at %s is unreachable: %v", c.display, err)
}

// formatTime is a Unix time in seconds with millisecond precision, as Prometheus takes it.
func formatTime(t time.Time) string {
	ms := t.UnixMilli()
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

func formatSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
