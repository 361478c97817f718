package delivery_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/delivery"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestCountsFromRollupEqualCountsFromRows: deployment counts read from the daily
// rollup (whole days) and the deployments (ragged ends) equal the counts read from the
// deployments alone, for ranges aligned and not, shorter than a day, and buckets the
// rollup serves and not. A source filter (every deployment here is source "api") keeps
// the engine off the rollup, so it gives the same answer from the rows.
func TestCountsFromRollupEqualCountsFromRows(t *testing.T) {
	start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	statuses := []string{"success", "success", "success", "failed", "rolled_back"}
	for i := range 600 {
		at := start.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
		fmt.Fprintf(&b, `{"id":"r%d","service":"svc-%d","team":"team-%d","environment":"%s","status":"%s","deployed_at":"%s"}`+"\n",
			i, rng.IntN(4), rng.IntN(3), []string{"production", "production", "staging"}[rng.IntN(3)], statuses[rng.IntN(len(statuses))], at.Format(time.RFC3339Nano))
	}
	ranges := []struct {
		name     string
		from, to time.Time
	}{
		{"aligned 14 days", start.AddDate(0, 0, 2), start.AddDate(0, 0, 16)},
		{"ragged both ends", start.Add(31*time.Hour + 17*time.Minute), start.Add(15*24*time.Hour + 5*time.Hour)},
		{"within one day", start.Add(50 * time.Hour), start.Add(60 * time.Hour)},
		{"across one midnight", start.Add(70 * time.Hour), start.Add(74 * time.Hour)},
		{"the whole data and more", start.AddDate(0, 0, -3), start.AddDate(0, 0, 25)},
	}
	queries := []models.Query{
		{Metric: "deployments", Bucket: "none"},
		{Metric: "deployment_frequency", Bucket: "1d", GroupBy: []string{"team"}},
		{Metric: "change_failure_rate", Bucket: "1w", GroupBy: []string{"service", "environment"}},
		{Metric: "failed_deployments", Bucket: "6h"}, // not whole days: rows only
		{Metric: "change_failure_rate", Bucket: "none", Filters: map[string][]string{"team": {"team-1", "team-2"}, "environment": {"*"}}},
		{Metric: "deployment_frequency", Bucket: "2d", GroupBy: []string{"environment"}, Filters: map[string][]string{"service": {"svc-0"}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		k, _ := ingest.DefaultKinds().Get("deployments")
		if _, err := ingest.Ingest(context.Background(), st, k, ingest.NDJSON, strings.NewReader(b.String()), ingest.Options{Now: start.AddDate(0, 1, 0)}); err != nil {
			t.Fatal(err)
		}
		for _, r := range ranges {
			for i, q := range queries {
				t.Run(fmt.Sprintf("%s/%d %s", r.name, i, q.Metric), func(t *testing.T) {
					env := query.Env{Store: st, From: r.from, To: r.to, Now: r.to}
					run := func(q models.Query) query.Result {
						q.QueryType = models.QueryTypeDelivery
						q.Normalize()
						res, err := delivery.Compute(context.Background(), env, q)
						if err != nil {
							t.Fatal(err)
						}
						sortSeries(res.Series)
						return res
					}
					got := run(q)
					rowsOnly := q
					rowsOnly.Filters = map[string][]string{"source": {"api"}}
					for k, v := range q.Filters {
						rowsOnly.Filters[k] = v
					}
					want := run(rowsOnly)
					if len(got.Series) != len(want.Series) {
						t.Fatalf("%d series, want %d", len(got.Series), len(want.Series))
					}
					for j := range want.Series {
						g, w := got.Series[j], want.Series[j]
						if !equalStrings(g.Group, w.Group) || len(g.Values) != len(w.Values) {
							t.Fatalf("series %d: %v (%d values), want %v (%d)", j, g.Group, len(g.Values), w.Group, len(w.Values))
						}
						for v := range w.Values {
							if !sameValue(g.Values[v], w.Values[v]) {
								t.Errorf("series %v value %d = %s, want %s", w.Group, v, show(g.Values[v]), show(w.Values[v]))
							}
						}
					}
				})
			}
		}
	})
}
