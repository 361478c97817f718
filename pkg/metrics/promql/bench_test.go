package promql_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/prometheus/promtest"
)

// BenchmarkPrometheusQuery: a prometheus query (two series, 30 points each) and an
// spc chart over it, through the engine against a real Prometheus, and the baseline
// of the same range query sent with a bare HTTP POST and read whole (Prometheus' own
// work plus the transfer), measured in the same run.
//
//	go test ./pkg/metrics/promql -run '^$' -bench PrometheusQuery -benchtime 200x
func BenchmarkPrometheusQuery(b *testing.B) {
	base := promtest.URL(b)
	from, to := t0, t0.Add(29*time.Minute)
	e := benchEnv(b, base)
	e.From, e.To = from, to
	engine := metrics.Engine()
	prom := promQuery(`kaizen_request_latency_seconds`, "{{service}}", "auto")
	prom.Normalize()
	points := 20
	src := promQuery(`kaizen_request_latency_seconds`, "", "auto")
	chart := models.Query{QueryType: models.QueryTypeSPC, Metric: "chart", SPC: &models.SPCOptions{Chart: "xmr", Baseline: &models.SPCBaseline{Points: &points}, Source: &src}}
	chart.Normalize()
	form := url.Values{"query": {`kaizen_request_latency_seconds`}, "start": {"1709251200"}, "end": {"1709252940"}, "step": {"60"}}.Encode()
	ctx := context.Background()

	var ours, spc, raw time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		resp, err := http.Post(base+"/api/v1/query_range", "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadAll(resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		raw += time.Since(start)

		start = time.Now()
		if f, err := engine.Run(ctx, e, prom); err != nil || len(f) != 2 {
			b.Fatalf("%v", err)
		}
		ours += time.Since(start)

		start = time.Now()
		if f, err := engine.Run(ctx, e, chart); err != nil || len(f) != 2 {
			b.Fatalf("%v", err)
		}
		spc += time.Since(start)
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.N) }
	b.ReportMetric(ms(ours), "ms/query")
	b.ReportMetric(ms(spc), "spc-ms/query")
	b.ReportMetric(ms(raw), "raw-http-ms/query")
	b.ReportMetric(ours.Seconds()/raw.Seconds(), "x-vs-raw-http")
	b.ReportMetric(spc.Seconds()/raw.Seconds(), "spc-x-vs-raw-http")
}
