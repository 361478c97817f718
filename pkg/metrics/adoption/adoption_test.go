package adoption_test

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/adoption"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked data set (testdata/), range Monday 2024-01-01 to Monday 2024-01-15 UTC:
//
//	ana  sre/eng        grafana explore   Dec 20 (before the range); Jan 1 09:00; alerting Jan 1 09:30; explore Jan 3
//	ben  sre/eng        grafana explore   Jan 2 00:00:00 exactly (the boundary between Jan 1 and Jan 2); Jan 8
//	cai  web/eng        grafana           Jan 2 15:00 (no feature); explore Jan 9
//	dan  sales-ops/sales pagerduty ack    Jan 2 08:00
//	eve  web/eng        grafana explore   Jan 10 (first use in the second week)
//
// Headcounts: sre 4 from 2023-01-01 and 2 from 2024-01-06; web 5; sales-ops 0; platform 3
// (no usage at all).
var (
	from = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	day  = 24 * time.Hour
)

func loadHand(t *testing.T, st store.Store) {
	t.Helper()
	for _, l := range []struct {
		kind, file string
		format     ingest.Format
		want       int
	}{{"usage", "usage.ndjson", ingest.NDJSON, 10}, {"headcount", "headcount.csv", ingest.CSV, 5}} {
		fh, err := os.Open("testdata/" + l.file)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := ingest.DefaultKinds().Get(l.kind)
		res, err := ingest.Ingest(context.Background(), st, k, l.format, fh, ingest.Options{Now: to})
		fh.Close()
		if err != nil || res.Stored != l.want || len(res.Rejected) != 0 {
			t.Fatalf("loading %s: %+v, %v", l.file, res, err)
		}
	}
}

func f(v float64) *float64 { return &v }

type series struct {
	group  []string
	values []*float64
}

func TestAdoptionMetricsHandComputed(t *testing.T) {
	none := (*float64)(nil)
	week1 := from.Add(7 * day)
	cases := []struct {
		name     string
		q        models.Query
		from, to time.Time
		want     []series
	}{
		{"DAU per day: ben's use at Jan 2 00:00 counts for Jan 2, not Jan 1",
			models.Query{Metric: "dau", Bucket: "1d"}, from, week1,
			[]series{{nil, []*float64{f(1), f(3), f(1), f(0), f(0), f(0), f(0)}}}},
		{"DAU of grafana only: dan used pagerduty",
			models.Query{Metric: "dau", Bucket: "1d", Filters: map[string][]string{"tool": {"grafana"}}}, from, week1,
			[]series{{nil, []*float64{f(1), f(2), f(1), f(0), f(0), f(0), f(0)}}}},
		{"DAU at hourly points is a rolling 24 hours: ben enters at the 01:00 point of Jan 2",
			models.Query{Metric: "dau", Bucket: "1h"}, from.Add(23 * time.Hour), from.Add(25 * time.Hour),
			// points at Jan 2 00:00 ([Jan 1 00:00, Jan 2 00:00): ana) and Jan 2 01:00 ([Jan 1 01:00, Jan 2 01:00): ana, ben)
			[]series{{nil, []*float64{f(1), f(2)}}}},
		{"WAU per day: 7-day windows; ana's Dec 20 use never falls in one",
			models.Query{Metric: "wau", Bucket: "1d"}, from, week1,
			[]series{{nil, []*float64{f(1), f(4), f(4), f(4), f(4), f(4), f(4)}}}},
		{"MAU at the range end: [Dec 16, Jan 15) holds all five",
			models.Query{Metric: "mau", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(5)}}}},
		{"MAU by team",
			models.Query{Metric: "mau", Bucket: "none", GroupBy: []string{"team"}}, from, to,
			[]series{{[]string{"sales-ops"}, []*float64{f(1)}}, {[]string{"sre"}, []*float64{f(2)}}, {[]string{"web"}, []*float64{f(2)}}}},
		{"MAU per ISO week: ends Jan 8 ([Dec 9, Jan 8): ana ben cai dan) and Jan 15",
			models.Query{Metric: "mau", Bucket: "1w"}, from, to,
			[]series{{nil, []*float64{f(4), f(5)}}}},
		{"stickiness per day: DAU / MAU = 1/1, 3/4, 1/4, then 0/4",
			models.Query{Metric: "stickiness", Bucket: "1d"}, from, week1,
			[]series{{nil, []*float64{f(1), f(0.75), f(0.25), f(0), f(0), f(0), f(0)}}}},
		{"stickiness without any user has no value",
			models.Query{Metric: "stickiness", Bucket: "none"}, from.AddDate(1, 0, 0), to.AddDate(1, 0, 0),
			[]series{{nil, []*float64{none}}}},
		{"adoption rate by team per week: sre 2 of 2 (headcount 2 from Jan 6), web 1/5 then 2/5, sales-ops headcount 0, platform 0 users",
			models.Query{Metric: "adoption_rate", Bucket: "1w", GroupBy: []string{"team"}}, from, to,
			[]series{
				{[]string{"platform"}, []*float64{f(0), f(0)}},
				{[]string{"sales-ops"}, []*float64{none, none}},
				{[]string{"sre"}, []*float64{f(1), f(1)}},
				{[]string{"web"}, []*float64{f(0.2), f(0.4)}},
			}},
		{"adoption rate by department: eng 4 users of 2+5+3, sales headcount 0",
			models.Query{Metric: "adoption_rate", Bucket: "none", GroupBy: []string{"department"}}, from, to,
			[]series{{[]string{"eng"}, []*float64{f(0.4)}}, {[]string{"sales"}, []*float64{none}}}},
		{"adoption rate overall: 5 users of 10",
			models.Query{Metric: "adoption_rate", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(0.5)}}}},
		{"adoption rate over a 7-day window: ben, cai, eve of 10",
			models.Query{Metric: "adoption_rate", Bucket: "none", Adoption: &models.AdoptionOptions{Window: "7d"}}, from, to,
			[]series{{nil, []*float64{f(0.3)}}}},
		{"adoption rate of sre per day: the Jan 6 headcount applies from the Jan 7 point on",
			models.Query{Metric: "adoption_rate", Bucket: "1d", Filters: map[string][]string{"team": {"sre"}}}, from.Add(3 * day), from.Add(6 * day),
			[]series{{nil, []*float64{f(0.5), f(0.5), f(1)}}}},
		{"adoption rate before any headcount has no value",
			models.Query{Metric: "adoption_rate", Bucket: "none"}, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC),
			[]series{{nil, []*float64{none}}}},
		{"adoption rate of each tool: grafana 4 of 10, pagerduty 1 of 10",
			models.Query{Metric: "adoption_rate", Bucket: "none", GroupBy: []string{"tool"}}, from, to,
			[]series{{[]string{"grafana"}, []*float64{f(0.4)}}, {[]string{"pagerduty"}, []*float64{f(0.1)}}}},
		{"feature adoption over 30 days: explore 4 of grafana's 4, alerting 1 of 4, ack 1 of pagerduty's 1",
			models.Query{Metric: "feature_adoption", Bucket: "none"}, from, to,
			[]series{
				{[]string{"grafana", "alerting"}, []*float64{f(0.25)}},
				{[]string{"grafana", "explore"}, []*float64{f(1)}},
				{[]string{"pagerduty", "ack"}, []*float64{f(1)}},
			}},
		{"feature adoption per week: week 1 explore ana+ben of ana, ben, cai; alerting ana",
			models.Query{Metric: "feature_adoption", Bucket: "1w", Adoption: &models.AdoptionOptions{Window: "7d"}, Filters: map[string][]string{"tool": {"grafana"}}}, from, to,
			[]series{
				{[]string{"grafana", "alerting"}, []*float64{f(1.0 / 3), f(0)}},
				{[]string{"grafana", "explore"}, []*float64{f(2.0 / 3), f(1)}},
			}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				env := query.Env{Store: st, From: c.from, To: c.to, Now: to}
				c.q.QueryType = models.QueryTypeAdoption
				c.q.Normalize()
				res, err := adoption.Compute(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				checkSeries(t, res, c.want)
			})
		}
	})
}

func TestRetentionCohorts(t *testing.T) {
	none := (*float64)(nil)
	cases := []struct {
		name   string
		q      models.Query
		groups [][]string
		// per row: cohort week start, size, week 0 and week 1 shares
		cohorts []time.Time
		sizes   []int64
		cells   [][]*float64
	}{
		{"ana was active before the range; ben, cai, dan start in week 0, eve in week 1",
			models.Query{Metric: "retention"}, nil,
			[]time.Time{from, from.Add(7 * day)}, []int64{3, 1},
			// week 0 cohort: ben and cai come back in week 1 (2/3); eve's week 1 starts at the range end
			[][]*float64{{f(1), f(2.0 / 3)}, {f(1), none}}},
		{"grafana only: dan is in no cohort",
			models.Query{Metric: "retention", Filters: map[string][]string{"tool": {"grafana"}}}, nil,
			[]time.Time{from, from.Add(7 * day)}, []int64{2, 1},
			[][]*float64{{f(1), f(1)}, {f(1), none}}},
		{"by team",
			models.Query{Metric: "retention", GroupBy: []string{"team"}}, [][]string{{"sales-ops", "sre", "web", "web"}},
			[]time.Time{from, from, from, from.Add(7 * day)}, []int64{1, 1, 1, 1},
			[][]*float64{{f(1), f(0)}, {f(1), f(1)}, {f(1), f(1)}, {f(1), none}}},
		{"one week of columns asked for",
			models.Query{Metric: "retention", Adoption: &models.AdoptionOptions{Weeks: 1}}, nil,
			[]time.Time{from, from.Add(7 * day)}, []int64{3, 1},
			[][]*float64{{f(1)}, {f(1)}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		env := query.Env{Store: st, From: from.Add(36 * time.Hour), To: to, Now: to} // a mid-week start still starts the Jan 1 cohort
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.QueryType = models.QueryTypeAdoption
				c.q.Normalize()
				frames, err := adoption.Frames(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				fr := frames[0]
				ng := len(c.q.GroupBy)
				weeks := len(c.cells[0])
				if len(fr.Fields) != ng+2+weeks {
					t.Fatalf("fields %v", fieldNames(fr))
				}
				if fr.Fields[ng].Name != "cohort" || fr.Fields[ng+1].Name != "users" || fr.Fields[ng+2].Name != "week_0" || fr.Fields[ng+2].Config.Unit != "percentunit" {
					t.Fatalf("fields %v", fieldNames(fr))
				}
				if n, _ := fr.RowLen(); n != len(c.cohorts) {
					t.Fatalf("%d rows, want %d", n, len(c.cohorts))
				}
				for i := range c.cohorts {
					for d := range c.groups {
						if got := fr.Fields[d].At(i).(string); got != c.groups[d][i] {
							t.Errorf("row %d %s = %s, want %s", i, c.q.GroupBy[d], got, c.groups[d][i])
						}
					}
					if got := fr.Fields[ng].At(i).(time.Time); !got.Equal(c.cohorts[i]) {
						t.Errorf("row %d cohort %s, want %s", i, got, c.cohorts[i])
					}
					if got := fr.Fields[ng+1].At(i).(int64); got != c.sizes[i] {
						t.Errorf("row %d size %d, want %d", i, got, c.sizes[i])
					}
					for w := 0; w < weeks; w++ {
						got := fr.Fields[ng+2+w].At(i).(*float64)
						if !sameValue(got, c.cells[i][w]) {
							t.Errorf("row %d week %d = %s, want %s", i, w, show(got), show(c.cells[i][w]))
						}
					}
				}
			})
		}
	})
}

func TestAdoptionQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	env := query.Env{Store: st, From: from, To: to}
	cases := []struct {
		name string
		q    models.Query
	}{
		{"unknown metric", models.Query{Metric: "yau"}},
		{"group by a column not allowed", models.Query{Metric: "mau", GroupBy: []string{"user_id"}}},
		{"filter on a column not allowed", models.Query{Metric: "mau", Filters: map[string][]string{"user_id": {"ana"}}}},
		{"group by injection", models.Query{Metric: "dau", GroupBy: []string{"team) FROM headcounts; --"}}},
		{"bad window", models.Query{Metric: "adoption_rate", Adoption: &models.AdoptionOptions{Window: "90d"}}},
		{"too many weeks", models.Query{Metric: "retention", Adoption: &models.AdoptionOptions{Weeks: 53}}},
		{"bad bucket", models.Query{Metric: "dau", Bucket: "1s"}},
		{"retention as a series", models.Query{Metric: "retention"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Normalize()
			_, err := adoption.Compute(context.Background(), env, c.q)
			if err == nil {
				t.Fatalf("query %+v was accepted", c.q)
			}
			t.Log(err)
		})
	}
}

func TestAdoptionFramesShapes(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadHand(t, st)
	env := query.Env{Store: st, From: from, To: to}
	q := models.Query{QueryType: models.QueryTypeAdoption, Metric: "dau", Bucket: "1d", GroupBy: []string{"department"}}
	q.Normalize()
	frames, err := adoption.Frames(context.Background(), env, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 2 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti || frames[0].Fields[1].Labels["department"] != "eng" {
		t.Fatalf("frames %d, first %+v", len(frames), frames[0].Fields[1].Labels)
	}
	if frames[0].Fields[1].Config.DisplayNameFromDS != "DAU · eng" {
		t.Fatalf("display name %q", frames[0].Fields[1].Config.DisplayNameFromDS)
	}
}

func checkSeries(t *testing.T, res query.Result, want []series) {
	t.Helper()
	if len(res.Series) != len(want) {
		t.Fatalf("got %d series, want %d: %+v", len(res.Series), len(want), res.Series)
	}
	sortSeries(res.Series)
	for i, w := range want {
		got := res.Series[i]
		if len(w.group) > 0 && !equalStrings(got.Group, w.group) {
			t.Errorf("series %d group %v, want %v", i, got.Group, w.group)
		}
		if len(got.Values) != len(w.values) {
			t.Fatalf("series %v has %d values, want %d", got.Group, len(got.Values), len(w.values))
		}
		for j := range w.values {
			if !sameValue(got.Values[j], w.values[j]) {
				t.Errorf("series %v value %d = %s, want %s", got.Group, j, show(got.Values[j]), show(w.values[j]))
			}
		}
	}
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
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}
