package incidents_test

import (
	"context"
	"math"
	"os"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked data set (testdata/hand.ndjson), range 2024-01-01 to 2024-01-04 UTC:
//
//	A api  sev1 started 00:00 detected 00:10 ack 00:15 mitigated 00:40 resolved 01:00  (Jan 1)
//	B api  sev2 started 06:00 detected 06:05 no ack                      resolved 08:00  (Jan 1)
//	C web  sev1 started 12:00 detected 12:30 ack 12:31                   still open      (Jan 1)
//	D web  sev2 started 10:00 detected 10:01 ack 10:11                   resolved 10:31  (Jan 3)
//	F api  sev3 started Dec 31 23:00, resolved Jan 2 12:00 (before the range; open at the end of Jan 1)
//
// Jan 2 has no incident starting in it.
var (
	from = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)
)

func loadHand(t *testing.T, st store.Store) {
	t.Helper()
	f, err := os.Open("testdata/hand.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kind, _ := ingest.DefaultKinds().Get("incidents")
	res, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, f, ingest.Options{Now: to})
	if err != nil || res.Stored != 5 || len(res.Rejected) != 0 {
		t.Fatalf("loading hand data: %+v, %v", res, err)
	}
}

func f(v float64) *float64 { return &v }

type series struct {
	group  []string
	values []*float64
}

func TestIncidentMetricsHandComputed(t *testing.T) {
	cases := []struct {
		name string
		q    models.Query
		want []series
	}{
		{"mttr mean per day: zero-incident day is null, open incident excluded",
			models.Query{Metric: "mttr", Stat: "mean", Bucket: "1d"},
			[]series{{nil, []*float64{f(5400), nil, f(1860)}}}},
		{"mttr median per day",
			models.Query{Metric: "mttr", Stat: "median", Bucket: "1d"},
			[]series{{nil, []*float64{f(5400), nil, f(1860)}}}},
		{"mttr p90 per day interpolates 3600..7200",
			models.Query{Metric: "mttr", Stat: "p90", Bucket: "1d"},
			[]series{{nil, []*float64{f(6840), nil, f(1860)}}}},
		{"mttr max and min",
			models.Query{Metric: "mttr", Stat: "max", Bucket: "none"},
			[]series{{nil, []*float64{f(7200)}}}},
		{"mttr min",
			models.Query{Metric: "mttr", Stat: "min", Bucket: "none"},
			[]series{{nil, []*float64{f(1860)}}}},
		{"mttr p75 of 3600, 7200, 1860",
			models.Query{Metric: "mttr", Stat: "p75", Bucket: "none"},
			[]series{{nil, []*float64{f(3600 + 0.5*3600)}}}},
		{"mttr p95, p99 of 1860, 3600, 7200",
			models.Query{Metric: "mttr", Stat: "p99", Bucket: "none"},
			[]series{{nil, []*float64{f(3600 + 0.98*3600)}}}},
		{"mttr count counts resolved incidents",
			models.Query{Metric: "mttr", Stat: "count", Bucket: "1d"},
			[]series{{nil, []*float64{f(2), f(0), f(1)}}}},
		{"mttr sum",
			models.Query{Metric: "mttr", Stat: "sum", Bucket: "none"},
			[]series{{nil, []*float64{f(3600 + 7200 + 1860)}}}},
		{"mttr from detection",
			models.Query{Metric: "mttr", Stat: "mean", Bucket: "none", Incident: &models.IncidentOptions{Start: "detected"}},
			[]series{{nil, []*float64{f((3000 + 6900 + 1800) / 3.0)}}}},
		{"mttr to mitigation: only A was mitigated",
			models.Query{Metric: "mttr", Stat: "mean", Bucket: "none", Incident: &models.IncidentOptions{End: "mitigated"}},
			[]series{{nil, []*float64{f(2400)}}}},
		{"mttd mean per day includes the open incident",
			models.Query{Metric: "mttd", Stat: "mean", Bucket: "1d"},
			[]series{{nil, []*float64{f(900), nil, f(60)}}}},
		{"mtta skips the incident never acknowledged",
			models.Query{Metric: "mtta", Stat: "mean", Bucket: "1d"},
			[]series{{nil, []*float64{f(180), nil, f(600)}}}},
		{"count per day, zero on the empty day",
			models.Query{Metric: "count", Bucket: "1d"},
			[]series{{nil, []*float64{f(3), f(0), f(1)}}}},
		{"open at the end of each day, including one that started before the range",
			models.Query{Metric: "open", Bucket: "1d"},
			[]series{{nil, []*float64{f(2), f(1), f(1)}}}},
		{"open at the end of the range",
			models.Query{Metric: "open", Bucket: "none"},
			[]series{{nil, []*float64{f(1)}}}},
		{"mttr grouped by service over the range",
			models.Query{Metric: "mttr", Stat: "mean", Bucket: "none", GroupBy: []string{"service"}},
			[]series{{[]string{"api"}, []*float64{f(5400)}}, {[]string{"web"}, []*float64{f(1860)}}}},
		{"count grouped by team and severity, filtered to sev1",
			models.Query{Metric: "count", Bucket: "none", GroupBy: []string{"team"}, Filters: map[string][]string{"severity": {"sev1"}}},
			[]series{{[]string{"core"}, []*float64{f(1)}}, {[]string{"edge"}, []*float64{f(1)}}}},
		{"filter with several values",
			models.Query{Metric: "count", Bucket: "none", Filters: map[string][]string{"detected_by": {"customer", "staff"}}},
			[]series{{nil, []*float64{f(1)}}}},
		{"mttr bucketed by resolution time moves F into the range",
			models.Query{Metric: "mttr", Stat: "count", Bucket: "1d", Incident: &models.IncidentOptions{TimeField: "resolved"}},
			[]series{{nil, []*float64{f(2), f(1), f(1)}}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		env := query.Env{Store: st, From: from, To: to, Now: to}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.QueryType = models.QueryTypeIncidents
				c.q.Normalize()
				res, err := incidents.Compute(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Series) != len(c.want) {
					t.Fatalf("got %d series, want %d: %+v", len(res.Series), len(c.want), res.Series)
				}
				sortSeries(res.Series)
				for i, w := range c.want {
					got := res.Series[i]
					if len(w.group) > 0 && !equalStrings(got.Group, w.group) {
						t.Errorf("series %d group %v, want %v", i, got.Group, w.group)
					}
					if len(got.Values) != len(w.values) {
						t.Fatalf("series %d has %d values, want %d", i, len(got.Values), len(w.values))
					}
					for j := range w.values {
						if !sameValue(got.Values[j], w.values[j]) {
							t.Errorf("series %v value %d = %s, want %s", got.Group, j, show(got.Values[j]), show(w.values[j]))
						}
					}
				}
			})
		}
	})
}

func TestIncidentQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	env := query.Env{Store: st, From: from, To: to}
	cases := []struct {
		name string
		q    models.Query
	}{
		{"unknown metric", models.Query{Metric: "mtbf"}},
		{"unknown stat", models.Query{Metric: "mttr", Stat: "average"}},
		{"group by a column not allowed", models.Query{Metric: "mttr", GroupBy: []string{"title"}}},
		{"group by injection", models.Query{Metric: "mttr", GroupBy: []string{"service; DROP TABLE incidents"}}},
		{"filter on a column not allowed", models.Query{Metric: "count", Filters: map[string][]string{"labels": {"x"}}}},
		{"bad bucket", models.Query{Metric: "count", Bucket: "fortnight"}},
		{"tiny bucket", models.Query{Metric: "count", Bucket: "1s"}},
		{"bad start", models.Query{Metric: "mttr", Incident: &models.IncidentOptions{Start: "acknowledged"}}},
		{"bad end", models.Query{Metric: "mttr", Incident: &models.IncidentOptions{End: "closed"}}},
		{"bad time field", models.Query{Metric: "count", Incident: &models.IncidentOptions{TimeField: "detected"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Normalize()
			if _, err := incidents.Compute(context.Background(), env, c.q); err == nil {
				t.Fatalf("query %+v was accepted", c.q)
			} else {
				t.Log(err)
			}
		})
	}
	// The injection attempt left the table alone.
	if _, err := st.Counts(context.Background()); err != nil {
		t.Fatalf("incidents table damaged: %v", err)
	}
}

func TestFilterValuesAreParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		env := query.Env{Store: st, From: from, To: to}
		q := models.Query{Metric: "count", Bucket: "none", Filters: map[string][]string{"service": {"api' OR '1'='1", `web"); DROP TABLE incidents; --`}}}
		q.Normalize()
		res, err := incidents.Compute(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		if v := res.Series[0].Values[0]; v == nil || *v != 0 {
			t.Fatalf("injection-shaped filter values matched incidents: %s", show(v))
		}
		counts, err := st.Counts(context.Background())
		if err != nil || counts["incidents"] != 5 {
			t.Fatalf("store changed: %v %v", counts, err)
		}
	})
}

func sortSeries(s []query.Series) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j].Group, s[j-1].Group); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func less(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sameValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return time.Duration(*v*float64(time.Second)).String() + " (" + formatFloat(*v) + ")"
}

func formatFloat(v float64) string { return strconvFormat(v) }
