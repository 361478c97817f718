package plugin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// BenchmarkStatus measures GET status on SQLite with 100,000 incidents (a table without an
// index on ingested_at, at the scan limit, so MAX(ingested_at) scans it: the worst case for
// one kind) against the baseline the health check
// already pays: the store's Counts.
func BenchmarkStatus(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	st := storetest.OpenSQLite(b)
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `{"id":"INC-%d","service":"api","started_at":"2024-05-01T10:00:00Z"}`+"\n", i)
	}
	kind, _ := ingest.DefaultKinds().Get("incidents")
	if _, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, strings.NewReader(sb.String()), ingest.Options{Now: time.Now()}); err != nil {
		b.Fatal(err)
	}
	ds := newDatasource(models.Settings{Store: models.StoreSQLite, MaxIngestBytes: models.DefaultMaxIngestBytes}, st)

	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := st.Counts(ctx); err != nil {
			b.Fatal(err)
		}
	}
	baseline := time.Since(start)

	b.ResetTimer()
	start = time.Now()
	for i := 0; i < b.N; i++ {
		var c captured
		req := &backend.CallResourceRequest{Method: "GET", Path: "status", URL: "status", PluginContext: backend.PluginContext{User: &backend.User{Role: "Viewer"}}}
		if err := ds.CallResource(ctx, req, &c); err != nil || c.status != http.StatusOK {
			b.Fatalf("GET status: %v %d %s", err, c.status, c.body)
		}
	}
	ours := time.Since(start)
	b.ReportMetric(float64(ours.Microseconds())/1000/float64(b.N), "ms/status")
	b.ReportMetric(float64(baseline.Microseconds())/1000/float64(b.N), "counts-ms")
	b.ReportMetric(ours.Seconds()/baseline.Seconds(), "x-vs-counts")
}
