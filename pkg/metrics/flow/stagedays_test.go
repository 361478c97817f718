package flow_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestStayCountsFromDaysEqualCountsFromStays: arrivals, departures and WIP read from the
// daily rollup (whole days) and the stays (ragged ends) equal the counts read from the
// stays alone, for ranges aligned and not, buckets the rollup serves and not, groups
// and filters, cumulative or not. A source filter (every item here is source "api")
// keeps the engine off the rollup, so it gives the same answer from the stays.
func TestStayCountsFromDaysEqualCountsFromStays(t *testing.T) {
	items, transitions := randomFlow(400, 17)
	ranges := []struct {
		name     string
		from, to time.Time
	}{
		{"aligned 3 days", from, from.AddDate(0, 0, 3)},
		{"ragged both ends", from.Add(5*time.Hour + 13*time.Minute), from.Add(58*time.Hour + 7*time.Minute)},
		{"within one day", from.Add(26 * time.Hour), from.Add(40 * time.Hour)},
		{"from before the data", from.AddDate(0, 0, -2), from.AddDate(0, 0, 6)},
	}
	queries := []models.Query{
		{Metric: "arrivals", Bucket: "1d"},
		{Metric: "departures", Bucket: "1d", Filters: map[string][]string{"value_stream": {"delivery"}}},
		{Metric: "arrivals", Bucket: "1d", Filters: map[string][]string{"value_stream": {"delivery"}, "team": {"t1", "t2"}}, Flow: &models.FlowOptions{Cumulative: true}},
		{Metric: "departures", Bucket: "1d", GroupBy: []string{"team"}, Flow: &models.FlowOptions{Cumulative: true}},
		{Metric: "arrivals", Bucket: "6h"}, // not whole days: stays only
		{Metric: "departures", Bucket: "none", GroupBy: []string{"value_stream", "type"}},
		{Metric: "arrivals", Bucket: "2d", Filters: map[string][]string{"stage": {"Dev", "Review"}}},
		// WIP at each end: the rollup's days before it, the stays of its own day.
		{Metric: "wip", Bucket: "1d"},
		{Metric: "wip", Bucket: "none", GroupBy: []string{"team"}, Filters: map[string][]string{"value_stream": {"delivery"}}},
		{Metric: "wip", Bucket: "1d", Filters: map[string][]string{"stage": {"Review", "Dev"}, "type": {"x"}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestLines(t, st, "work_items", items, to)
		ingestLines(t, st, "transitions", transitions, to.Add(time.Millisecond))
		for _, r := range ranges {
			for i, q := range queries {
				t.Run(fmt.Sprintf("%s/%d %s", r.name, i, q.Metric), func(t *testing.T) {
					env := query.Env{Store: st, From: r.from, To: r.to, Now: r.to}
					run := func(q models.Query) query.Result {
						q.QueryType = models.QueryTypeFlow
						q.Normalize()
						res, err := flow.Compute(context.Background(), env, q)
						if err != nil {
							t.Fatal(err)
						}
						sortSeries(res.Series)
						return res
					}
					got := run(q)
					staysOnly := q
					staysOnly.Filters = map[string][]string{"source": {"api"}}
					for k, v := range q.Filters {
						staysOnly.Filters[k] = v
					}
					want := run(staysOnly)
					var w []series
					for _, s := range want.Series {
						w = append(w, series{s.Group, s.Values})
					}
					if len(w) == 0 {
						t.Fatal("no series to compare")
					}
					checkSeries(t, got, w)
				})
			}
		}
	})
}
