package prometheus_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/prometheus"
	"github.com/kaizenops/suite/pkg/prometheus/promtest"
)

func TestMain(m *testing.M) { os.Exit(promtest.Main(m)) }

func newClient(t *testing.T, cfg prometheus.Config) *prometheus.Client {
	t.Helper()
	c, err := prometheus.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestQueryRangeRealPrometheus: a range query over the backfilled data set gives
// back exactly the samples written to testdata/series.om, one per minute.
func TestQueryRangeRealPrometheus(t *testing.T) {
	c := newClient(t, prometheus.Config{URL: promtest.URL(t)})
	ctx := context.Background()
	t0 := promtest.T0

	t.Run("matrix decodes to the file's samples exactly", func(t *testing.T) {
		want := promtest.Series(t, "kaizen_request_latency_seconds", `env="prod",service="checkout"`)
		r, err := c.QueryRange(ctx, `kaizen_request_latency_seconds{service="checkout"}`,
			prometheus.Range{Start: t0, End: t0.Add(29 * time.Minute), Step: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != prometheus.Matrix || len(r.Series) != 1 {
			t.Fatalf("type %s, %d series", r.Type, len(r.Series))
		}
		s := r.Series[0]
		if len(s.Labels) != 3 || s.Labels["__name__"] != "kaizen_request_latency_seconds" || s.Labels["service"] != "checkout" || s.Labels["env"] != "prod" {
			t.Fatalf("labels %v", s.Labels)
		}
		if len(s.Points) != len(want) || len(want) != 30 {
			t.Fatalf("%d points, want %d", len(s.Points), len(want))
		}
		for i, p := range s.Points {
			if p.T != want[i].At.UnixMilli() || p.V != want[i].Value {
				t.Fatalf("point %d = (%d, %v), want (%d, %v)", i, p.T, p.V, want[i].At.UnixMilli(), want[i].Value)
			}
		}
	})

	t.Run("NaN and infinities come through; a gap past the 5m lookback is absent", func(t *testing.T) {
		// Samples at minutes 0 (1), 1 (NaN), 2 (+Inf), 3 (-Inf), 4 (2) and 15 (3). Minutes
		// 5..9 repeat 2 (the last sample within Prometheus' 5-minute lookback); 10..14 have none.
		r, err := c.QueryRange(ctx, `kaizen_odd_values`, prometheus.Range{Start: t0, End: t0.Add(15 * time.Minute), Step: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		got := r.Series[0].Points
		wantMin := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15}
		wantV := []float64{1, math.NaN(), math.Inf(1), math.Inf(-1), 2, 2, 2, 2, 2, 2, 3}
		if len(got) != len(wantMin) {
			t.Fatalf("%d points: %v", len(got), got)
		}
		for i, p := range got {
			same := p.V == wantV[i] || (math.IsNaN(p.V) && math.IsNaN(wantV[i]))
			if p.T != t0.Add(time.Duration(wantMin[i])*time.Minute).UnixMilli() || !same {
				t.Fatalf("point %d = (%d, %v), want minute %d value %v", i, p.T, p.V, wantMin[i], wantV[i])
			}
		}
	})

	t.Run("instant vector and scalar", func(t *testing.T) {
		r, err := c.Query(ctx, `kaizen_request_latency_seconds`, t0.Add(22*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != prometheus.Vector || len(r.Series) != 2 {
			t.Fatalf("type %s, %d series", r.Type, len(r.Series))
		}
		for _, s := range r.Series {
			// minute 22: checkout 0.3 (the first spike), search 0.10 + 0.01·(22 mod 3) = 0.11
			want := map[string]float64{"checkout": 0.3, "search": 0.11}[s.Labels["service"]]
			if len(s.Points) != 1 || s.Points[0].V != want || s.Points[0].T != t0.Add(22*time.Minute).UnixMilli() {
				t.Fatalf("%v: %v, want %v", s.Labels, s.Points, want)
			}
		}
		r, err = c.Query(ctx, `1 + 1`, t0)
		if err != nil || r.Type != prometheus.Scalar || r.Series[0].Points[0].V != 2 || len(r.Series[0].Labels) != 0 {
			t.Fatalf("scalar: %+v %v", r, err)
		}
	})

	t.Run("bad PromQL is Prometheus' bad_data error", func(t *testing.T) {
		_, err := c.QueryRange(ctx, `rate(kaizen_error_ratio[5m]`, prometheus.Range{Start: t0, End: t0.Add(time.Hour), Step: time.Minute})
		var pe *prometheus.Error
		if !errors.As(err, &pe) || pe.Type != "bad_data" || pe.HTTPStatus != 400 {
			t.Fatalf("error %v", err)
		}
		if !strings.HasPrefix(err.Error(), "Prometheus refused the query (bad_data): ") || !strings.Contains(err.Error(), "parse error") {
			t.Fatalf("message %q", err)
		}
	})

	t.Run("a string result is refused", func(t *testing.T) {
		_, err := c.Query(ctx, `"text"`, t0)
		if err == nil || !strings.Contains(err.Error(), `answered a "string" result; the expression must give numbers`) {
			t.Fatalf("error %v", err)
		}
	})

	t.Run("more than 11,000 steps per series is refused by Prometheus itself", func(t *testing.T) {
		// Prometheus refuses (end − start) / step > 11000: 11,000 steps (11,001 points) pass.
		if _, err := c.QueryRange(ctx, `kaizen_error_ratio`, prometheus.Range{Start: t0, End: t0.Add(11000 * time.Second), Step: time.Second}); err != nil {
			t.Fatal(err)
		}
		_, err := c.QueryRange(ctx, `kaizen_error_ratio`, prometheus.Range{Start: t0, End: t0.Add(11001 * time.Second), Step: time.Second})
		if err == nil || !strings.Contains(err.Error(), "exceeded maximum resolution of 11,000 points") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	rng := prometheus.Range{Start: promtest.T0, End: promtest.T0.Add(time.Hour), Step: time.Minute}

	t.Run("unreachable server: names the URL, never the password", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close() // nothing listens there any more
		c := newClient(t, prometheus.Config{URL: url, User: "grafana", Password: "s3cret-pass"})
		_, err := c.QueryRange(ctx, "up", rng)
		if err == nil || !strings.HasPrefix(err.Error(), "Prometheus at "+url+" is unreachable: ") || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("error %v", err)
		}
	})

	t.Run("timeout: the client's own limit", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		c := newClient(t, prometheus.Config{URL: srv.URL, Timeout: 150 * time.Millisecond})
		start := time.Now()
		_, err := c.QueryRange(ctx, "up", rng)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "did not answer within 150ms") {
			t.Fatalf("error %v", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("took %s", time.Since(start))
		}
	})

	t.Run("cancellation: the caller's context", func(t *testing.T) {
		arrived := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body) // the server notices a closed connection only once the body is read
			close(arrived)
			<-r.Context().Done()
		}))
		defer srv.Close()
		c := newClient(t, prometheus.Config{URL: srv.URL})
		cctx, cancel := context.WithCancel(ctx)
		go func() { <-arrived; cancel() }()
		_, err := c.QueryRange(cctx, "up", rng)
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
			t.Fatalf("error %v", err)
		}
	})

	t.Run("cancellation against the real Prometheus", func(t *testing.T) {
		c := newClient(t, prometheus.Config{URL: promtest.URL(t)})
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.QueryRange(cctx, "kaizen_error_ratio", rng)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v", err)
		}
	})

	answer := func(status int, contentType, body string) *prometheus.Client {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return newClient(t, prometheus.Config{URL: srv.URL})
	}
	cases := []struct {
		name, contentType, body string
		status                  int
		want                    string
	}{
		{"proxy error page", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", 502,
			"answered HTTP 502 Bad Gateway, not the query API's JSON: <html><body><h1>502 Bad Gateway</h1></body></html>"},
		{"unauthorized", "text/plain", "Unauthorized", 401, "refused the credentials (HTTP 401 Unauthorized): check the data source's Prometheus user and password, or its bearer token"},
		{"wrong path", "text/plain", "404 page not found", 404, "no Prometheus query API at"},
		{"execution error (422)", "application/json", `{"status":"error","errorType":"execution","error":"found duplicate series for the match group"}`, 422,
			"Prometheus failed to evaluate the query (execution): found duplicate series for the match group"},
		{"timeout error (503)", "application/json", `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`, 503,
			"Prometheus timed out evaluating the query: query timed out in expression evaluation"},
		{"other error type", "application/json", `{"status":"error","errorType":"unavailable","error":"TSDB not ready"}`, 503,
			"Prometheus answered HTTP 503 (unavailable): TSDB not ready"},
		{"empty 500", "text/plain", "", 500, "answered HTTP 500 Internal Server Error with an empty body"},
		{"success JSON with a 5xx status", "application/json", `{"status":"success","data":{"resultType":"matrix","result":[]}}`, 500,
			"answered HTTP 500 Internal Server Error, not the query API's JSON"},
		{"sample value not a number", "application/json", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}}`, 200,
			`sample value "x" is not a number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := answer(tc.status, tc.contentType, tc.body).QueryRange(ctx, "up", rng)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant %q", err, tc.want)
			}
		})
	}
}

// TestClientRequest: what is sent: a POST form with the query, the range in Unix
// seconds, the step in seconds, Prometheus' own timeout, and the credentials.
func TestClientRequest(t *testing.T) {
	var got *http.Request
	var form map[string][]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got, form = r, r.PostForm
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`))
	}))
	defer srv.Close()
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 250_000_000, time.UTC) // .25 s
	cases := []struct {
		name     string
		cfg      prometheus.Config
		wantAuth string
	}{
		{"basic auth", prometheus.Config{URL: srv.URL + "/prom/", User: "grafana", Password: "pw", Timeout: 10 * time.Second}, "Basic Z3JhZmFuYTpwdw=="},
		{"bearer token", prometheus.Config{URL: srv.URL + "/prom", BearerToken: "tok"}, "Bearer tok"},
		{"no auth", prometheus.Config{URL: srv.URL + "/prom"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, tc.cfg)
			r, err := c.QueryRange(context.Background(), `sum(rate(x[5m]))`, prometheus.Range{Start: t0, End: t0.Add(90 * time.Second), Step: 1500 * time.Millisecond})
			if err != nil || r.Type != "matrix" || len(r.Series) != 0 {
				t.Fatalf("%+v %v", r, err)
			}
			if got.Method != "POST" || got.URL.Path != "/prom/api/v1/query_range" || got.Header.Get("Authorization") != tc.wantAuth {
				t.Fatalf("%s %s auth %q", got.Method, got.URL.Path, got.Header.Get("Authorization"))
			}
			timeout := "30"
			if tc.cfg.Timeout > 0 {
				timeout = "10"
			}
			want := map[string]string{"query": "sum(rate(x[5m]))", "start": "1709251200.25", "end": "1709251290.25", "step": "1.5", "timeout": timeout}
			for k, v := range want {
				if len(form[k]) != 1 || form[k][0] != v {
					t.Fatalf("form %s = %v, want %s", k, form[k], v)
				}
			}
		})
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	cases := []struct {
		cfg  prometheus.Config
		want string
	}{
		{prometheus.Config{URL: ""}, "the URL is empty"},
		{prometheus.Config{URL: "prometheus:9090"}, "use http:// or https://"},
		{prometheus.Config{URL: "ftp://prometheus"}, "use http:// or https://"},
		{prometheus.Config{URL: "http://"}, "has no host"},
		{prometheus.Config{URL: "http://admin:hunter2@prometheus:9090"}, "the URL holds credentials"},
		{prometheus.Config{URL: "http://prometheus:9090/api/v1/"}, "ends in /api/v1; give the server's base URL"},
		{prometheus.Config{URL: "http://prometheus:9090?x=1"}, "remove the query string"},
		{prometheus.Config{URL: "http://p:9090", User: "u", BearerToken: "t"}, "either a user and password or a bearer token, not both"},
		{prometheus.Config{URL: "http://p:9090", Password: "p"}, "a password is set without a user"},
	}
	for _, tc := range cases {
		_, err := prometheus.New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
		}
	}
	c, err := prometheus.New(prometheus.Config{URL: " https://prom.example:9443/prometheus/ "})
	if err != nil || c.URL() != "https://prom.example:9443/prometheus" || c.Timeout() != prometheus.DefaultTimeout {
		t.Fatalf("%v %v", c, err)
	}
}
