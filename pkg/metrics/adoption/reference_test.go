package adoption_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/adoption"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestActiveUsersAgreeWithDistinctCounts checks DAU/WAU/MAU on random usage against
// a naive reference: one COUNT(DISTINCT user_id) over each point's window. It covers
// the rollup path (whole days from usage_days, ragged ends from the events), the
// events-only path (hourly slots, feature filters), events folded in the ingest
// transaction and events folded by the catch-up, and windows with uses exactly on
// their boundaries.
func TestActiveUsersAgreeWithDistinctCounts(t *testing.T) {
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(7, 11))
	var folded, plain bytes.Buffer
	for i := 0; i < 3000; i++ {
		at := start.Add(time.Duration(r.Int64N(int64(50*24*time.Hour/time.Millisecond))) * time.Millisecond)
		if i%10 == 0 {
			at = start.AddDate(0, 0, r.IntN(50)) // exactly on a day boundary
		}
		user := r.IntN(40)
		line := fmt.Sprintf(`{"user_id":"u%02d","team":"t%d","department":"d%d","tool":"tool%d","feature":"f%d","at":%q}`+"\n",
			user, user%4, user%2, r.IntN(3), r.IntN(3), at.Format(time.RFC3339Nano))
		if i%3 == 0 {
			plain.WriteString(line)
		} else {
			folded.WriteString(line)
		}
	}
	cases := []struct {
		metric, bucket string
		from, to       time.Time
		groupBy        []string
		filters        map[string][]string
	}{
		{"dau", "1d", start.Add(5*24*time.Hour + 5*time.Hour), start.Add(40*24*time.Hour + 13*time.Hour + 41*time.Minute), nil, nil},
		{"wau", "1d", start.AddDate(0, 0, 3), start.AddDate(0, 0, 45), []string{"team"}, nil},
		{"mau", "1d", start.AddDate(0, 0, 31), start.AddDate(0, 0, 49).Add(7 * time.Hour), nil, map[string][]string{"tool": {"tool1"}}},
		{"mau", "1w", start.AddDate(0, 0, 2), start.AddDate(0, 0, 50), []string{"department"}, nil},
		{"mau", "none", start, start.AddDate(0, 0, 33).Add(123456 * time.Millisecond), []string{"tool"}, nil},
		{"wau", "none", start, start.AddDate(0, 0, 20), nil, map[string][]string{"team": {"t1", "t2"}}},
		{"dau", "6h", start.AddDate(0, 0, 10), start.AddDate(0, 0, 14), nil, nil},
		{"dau", "1h", start.AddDate(0, 0, 10).Add(30 * time.Minute), start.AddDate(0, 0, 11), []string{"team"}, nil},
		{"wau", "1d", start.AddDate(0, 0, 8), start.AddDate(0, 0, 30), nil, map[string][]string{"feature": {"f2"}}},
		{"mau", "1d", start.AddDate(0, 0, 10), start.AddDate(0, 0, 20), []string{"feature"}, nil},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if _, err := ingest.IngestUsage(ctx, st, ingest.NDJSON, bytes.NewReader(folded.Bytes()), ingest.Options{Now: start.AddDate(0, 3, 0)}); err != nil {
			t.Fatal(err)
		}
		k, _ := ingest.DefaultKinds().Get("usage")
		if _, err := ingest.Ingest(ctx, st, k, ingest.NDJSON, bytes.NewReader(plain.Bytes()), ingest.Options{Now: start.AddDate(0, 3, 1)}); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s %s %v %v", c.metric, c.bucket, c.groupBy, c.filters), func(t *testing.T) {
				q := models.Query{QueryType: models.QueryTypeAdoption, Metric: c.metric, Bucket: c.bucket, GroupBy: c.groupBy, Filters: c.filters}
				q.Normalize()
				env := query.Env{Store: st, From: c.from, To: c.to}
				res, err := adoption.Compute(ctx, env, q)
				if err != nil {
					t.Fatal(err)
				}
				window := map[string]time.Duration{"dau": 24 * time.Hour, "wau": 7 * 24 * time.Hour, "mau": 30 * 24 * time.Hour}[c.metric]
				checked := 0
				for i := 0; ; i++ {
					var end time.Time
					if res.Bucketed {
						if len(res.Series) == 0 || i >= len(res.Series[0].Times) {
							break
						}
						b, _ := query.ResolveBuckets(c.bucket, env)
						end = res.Series[0].Times[i].Add(b.Width)
					} else {
						if i > 0 {
							break
						}
						end = c.to
					}
					want := naive(t, st, end.Add(-window), minTime(end, c.to), c.groupBy, c.filters)
					for _, s := range res.Series {
						key := strings.Join(s.Group, "/")
						if got := *s.Values[i]; got != want[key] {
							t.Errorf("point %d (%s) group %q: %v users, reference %v", i, end.Format(time.RFC3339), key, got, want[key])
						}
						delete(want, key)
						checked++
					}
					for key, n := range want {
						if n != 0 {
							t.Errorf("point %d group %q: missing, reference %v", i, key, n)
						}
					}
				}
				if checked == 0 {
					t.Fatal("nothing compared")
				}
			})
		}
	})
}

// naive counts distinct users per group with a use in [from, to).
func naive(t *testing.T, st store.Store, from, to time.Time, groupBy []string, filters map[string][]string) map[string]float64 {
	t.Helper()
	cols := append([]string(nil), groupBy...)
	w := &query.Where{}
	w.Add("at >= ?", from.UnixMilli())
	w.Add("at < ?", to.UnixMilli())
	dims := query.Dimensions{"team": "team", "department": "department", "tool": "tool", "feature": "feature"}
	if err := w.Filters(dims, filters); err != nil {
		t.Fatal(err)
	}
	sel := strings.Join(append(append([]string(nil), cols...), "COUNT(DISTINCT user_id)"), ", ")
	sqlText := "SELECT " + sel + " FROM usage_events" + w.SQL()
	if len(cols) > 0 {
		sqlText += " GROUP BY " + strings.Join(cols, ", ")
	}
	rows, err := st.QueryContext(context.Background(), sqlText, w.Args()...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		group := make([]string, len(cols))
		var n float64
		dest := []any{}
		for i := range group {
			dest = append(dest, &group[i])
		}
		dest = append(dest, &n)
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		out[strings.Join(group, "/")] = n
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
