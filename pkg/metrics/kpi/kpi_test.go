package kpi_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

type series struct {
	group  []string
	values []*float64
}

func opts(ids ...string) *models.KPIOptions { return &models.KPIOptions{KPIs: ids} }

func TestKPIMetricsHandComputed(t *testing.T) {
	cases := []struct {
		name string
		q    models.Query
		want []series
	}{
		{"value mean per day; a bucket without samples is null",
			// availability Jan 1 (99.95+99.5)/2 = 99.725, Jan 2 (99.2+99.0)/2 = 99.1; p95 Jan 3 (450+350)/2 = 400.
			models.Query{Metric: "value", Bucket: "1d", KPI: opts("availability", "p95_latency")},
			[]series{{[]string{"availability"}, []*float64{f(99.725), f(99.1), nil}}, {[]string{"p95_latency"}, []*float64{f(150), f(300), f(400)}}}},
		{"value count: samples per bucket, 0 when none",
			models.Query{Metric: "value", Stat: "count", Bucket: "1d", KPI: opts("availability")},
			[]series{{[]string{"availability"}, []*float64{f(2), f(2), f(0)}}}},
		{"value p90 interpolates 350..450",
			// Jan 3: 350 + 0.9 × (450 − 350) = 440.
			models.Query{Metric: "value", Stat: "p90", Bucket: "1d", KPI: opts("p95_latency")},
			[]series{{[]string{"p95_latency"}, []*float64{f(150), f(300), f(440)}}}},
		{"attainment, higher is better: value ÷ target of the version in force at the bucket's latest sample",
			// Jan 1 latest sample 18:00 → v1 (target 99.9); Jan 2 latest 18:00 → v2 from 12:00 (target 99.5).
			models.Query{Metric: "attainment", Bucket: "1d", KPI: opts("availability")},
			[]series{{[]string{"availability"}, []*float64{f(99.725 / 99.9), f(99.1 / 99.5), nil}}}},
		{"attainment of the median (read sample by sample): the same versions apply",
			models.Query{Metric: "attainment", Stat: "median", Bucket: "1d", KPI: opts("availability")},
			[]series{{[]string{"availability"}, []*float64{f(99.725 / 99.9), f(99.1 / 99.5), nil}}}},
		{"attainment, lower is better: target ÷ value",
			models.Query{Metric: "attainment", Bucket: "1d", KPI: opts("p95_latency")},
			[]series{{[]string{"p95_latency"}, []*float64{f(200.0 / 150), f(200.0 / 300), f(200.0 / 400)}}}},
		{"attainment is null when the value is 0 and lower is better (10 ÷ 0)",
			models.Query{Metric: "attainment", Bucket: "1d", KPI: opts("downtime_checkout")},
			[]series{{[]string{"downtime_checkout"}, []*float64{f(10.0 / 12), nil, f(10.0 / 25)}}}},
		{"attainment over the whole range is judged by the latest version",
			// (99.95 + 99.5 + 99.2 + 99.0) / 4 = 99.4125, latest sample Jan 2 18:00 → v2, target 99.5.
			models.Query{Metric: "attainment", Bucket: "none", KPI: opts("availability")},
			[]series{{[]string{"availability"}, []*float64{f(99.4125 / 99.5)}}}},
		{"state after a version bump mid-range: Jan 2's 99.1 is ok under v2 (warning 99.0), where v1 (warning 99.5) would warn",
			models.Query{Metric: "state", Bucket: "1d", KPI: opts("availability")},
			[]series{{[]string{"availability"}, []*float64{f(0), f(0), nil}}}},
		{"state exactly at the warning threshold is a warning (higher is better: 99.5 ≤ 99.5)",
			models.Query{Metric: "state", Bucket: "1d", KPI: opts("availability"), Filters: map[string][]string{"label.region": {"us"}}},
			[]series{{[]string{"availability"}, []*float64{f(1), nil, nil}}}},
		{"state, lower is better: 150 ok, 300 exactly at warning, mean 400 exactly at critical",
			models.Query{Metric: "state", Bucket: "1d", KPI: opts("p95_latency")},
			[]series{{[]string{"p95_latency"}, []*float64{f(0), f(1), f(2)}}}},
		{"state of the bucket's min: Jan 3 min 350 is a warning",
			models.Query{Metric: "state", Stat: "min", Bucket: "1d", KPI: opts("p95_latency")},
			[]series{{[]string{"p95_latency"}, []*float64{f(0), f(1), f(1)}}}},
		{"group by a sample label",
			models.Query{Metric: "value", Bucket: "1d", KPI: opts("availability"), GroupBy: []string{"label.region"}},
			[]series{{[]string{"availability", "eu"}, []*float64{f(99.95), f(99.1), nil}}, {[]string{"availability", "us"}, []*float64{f(99.5), nil, nil}}}},
		{"group by owner labels each KPI's series",
			// p95: (150 + 300 + 450 + 350) / 4 = 312.5.
			models.Query{Metric: "value", Bucket: "none", KPI: opts("availability", "p95_latency"), GroupBy: []string{"owner"}},
			[]series{{[]string{"availability", "sre"}, []*float64{f(99.4125)}}, {[]string{"p95_latency", "web"}, []*float64{f(312.5)}}}},
		{"no KPI named: every active KPI, the retired one left out, the silent one null",
			// downtime (12 + 0 + 25) / 3.
			models.Query{Metric: "value", Bucket: "none"},
			[]series{{[]string{"availability"}, []*float64{f(99.4125)}}, {[]string{"downtime_checkout"}, []*float64{f(37.0 / 3)}},
				{[]string{"nps"}, []*float64{nil}}, {[]string{"p95_latency"}, []*float64{f(312.5)}}}},
		{"a retired KPI named explicitly is still judged (90 ≥ warning 80)",
			models.Query{Metric: "state", Bucket: "1d", KPI: opts("tickets_backlog")},
			[]series{{[]string{"tickets_backlog"}, []*float64{f(1), nil, nil}}}},
		{"includeRetired adds retired KPIs",
			models.Query{Metric: "value", Stat: "count", Bucket: "none", KPI: &models.KPIOptions{IncludeRetired: true}},
			[]series{{[]string{"availability"}, []*float64{f(4)}}, {[]string{"downtime_checkout"}, []*float64{f(3)}},
				{[]string{"nps"}, []*float64{f(0)}}, {[]string{"p95_latency"}, []*float64{f(4)}}, {[]string{"tickets_backlog"}, []*float64{f(1)}}}},
		{"filter by owner",
			models.Query{Metric: "value", Stat: "count", Bucket: "none", Filters: map[string][]string{"owner": {"web"}}},
			[]series{{[]string{"p95_latency"}, []*float64{f(4)}}}},
		{"a kpi filter narrows the named KPIs",
			models.Query{Metric: "value", Stat: "count", Bucket: "none", KPI: opts("availability", "p95_latency"), Filters: map[string][]string{"kpi": {"p95_latency"}}},
			[]series{{[]string{"p95_latency"}, []*float64{f(4)}}}},
		{"cost: each sample × the price in force at its time (Jan 3 00:00 is v2's first instant)",
			// Jan 1 12 × 100 = 1200; Jan 2 0 × 100 = 0; Jan 3 25 × 150 = 3750. Only downtime_checkout has a price.
			models.Query{Metric: "cost", Bucket: "1d"},
			[]series{{[]string{"downtime_checkout"}, []*float64{f(1200), f(0), f(3750)}}}},
		{"cost over the range",
			models.Query{Metric: "cost", Bucket: "none", KPI: opts("downtime_checkout")},
			[]series{{[]string{"downtime_checkout"}, []*float64{f(1200 + 0 + 3750)}}}},
		{"incident cost per day: impact minutes × the service's price at the incident's start",
			// Jan 1: I1 restore 30 min × 100 = 3000 (I3 is search: unpriced; I6 started before the range).
			// Jan 2: I5 45 min × 100 = 4500 (I4 is open without customer_impact).
			// Jan 3: I2 customer_impact 5 min × 150 (v2) = 750.
			models.Query{Metric: "incident_cost", Bucket: "1d"},
			[]series{{nil, []*float64{f(3000), f(4500), f(750)}}}},
		{"incident cost by team",
			models.Query{Metric: "incident_cost", Bucket: "none", GroupBy: []string{"team"}},
			[]series{{[]string{"payments"}, []*float64{f(4500)}}, {[]string{"shop"}, []*float64{f(3000 + 750)}}}},
		{"incident cost filtered to sev1",
			models.Query{Metric: "incident_cost", Bucket: "none", Filters: map[string][]string{"severity": {"sev1"}}},
			[]series{{nil, []*float64{f(4500)}}}},
		{"incident cost: a day without priced incidents costs 0",
			models.Query{Metric: "incident_cost", Bucket: "1d", Filters: map[string][]string{"team": {"payments"}}},
			[]series{{nil, []*float64{f(0), f(4500), f(0)}}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.QueryType = models.QueryTypeKPI
				c.q.Normalize()
				res, err := kpi.Compute(context.Background(), env(st), c.q)
				if err != nil {
					t.Fatal(err)
				}
				sortSeries(res.Series)
				if len(res.Series) != len(c.want) {
					t.Fatalf("got %d series %+v, want %d", len(res.Series), res.Series, len(c.want))
				}
				for i, w := range c.want {
					got := res.Series[i]
					if !slices.Equal(got.Group, w.group) && !(len(got.Group) == 0 && len(w.group) == 0) {
						t.Errorf("series %d group %v, want %v", i, got.Group, w.group)
					}
					if len(got.Values) != len(w.values) {
						t.Fatalf("series %v has %d values, want %d", got.Group, len(got.Values), len(w.values))
					}
					for j := range w.values {
						if !sameValue(got.Values[j], w.values[j]) {
							t.Errorf("series %v value %d = %s, want %s (all: %v)", got.Group, j, show(got.Values[j]), show(w.values[j]), showAll(got.Values))
						}
					}
				}
			})
		}
	})
}

func TestKPIUnitsAndNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		cases := []struct {
			q          models.Query
			name, unit string
		}{
			{models.Query{Metric: "value", KPI: opts("availability")}, "KPI value (mean)", "percent"},
			{models.Query{Metric: "value", KPI: opts("availability", "p95_latency")}, "KPI value (mean)", ""},
			{models.Query{Metric: "value", Stat: "count", KPI: opts("availability")}, "KPI samples", "short"},
			{models.Query{Metric: "attainment", KPI: opts("p95_latency")}, "Attainment (mean)", "percentunit"},
			{models.Query{Metric: "cost"}, "Financial impact (sum)", "currencyUSD"},
			{models.Query{Metric: "incident_cost"}, "Incident cost (sum)", "currencyUSD"},
		}
		for _, c := range cases {
			c.q.Normalize()
			res, err := kpi.Compute(context.Background(), env(st), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Name != c.name || res.Unit != c.unit {
				t.Errorf("%s %v: name %q unit %q, want %q %q", c.q.Metric, c.q.KPI, res.Name, res.Unit, c.name, c.unit)
			}
		}
	})
}

func TestKPIQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadHand(t, st)
	cases := []struct {
		name string
		q    models.Query
		has  string
	}{
		{"unknown metric", models.Query{Metric: "okr"}, "unknown kpi metric"},
		{"count does not judge", models.Query{Metric: "attainment", Stat: "count"}, "stat count does not apply"},
		{"unknown stat", models.Query{Metric: "value", Stat: "last"}, "unknown stat"},
		{"sample metric grouped by an incident column", models.Query{Metric: "value", GroupBy: []string{"service"}}, "cannot use dimension \"service\""},
		{"filter on an unknown dimension", models.Query{Metric: "value", Filters: map[string][]string{"labels": {"x"}}}, "cannot use dimension"},
		{"group by given twice", models.Query{Metric: "value", GroupBy: []string{"owner", "owner"}}, "twice"},
		{"attainment of an undefined KPI", models.Query{Metric: "attainment", KPI: opts("ghost")}, "KPI \"ghost\" is not defined"},
		{"cost of a KPI without a price", models.Query{Metric: "cost", KPI: opts("p95_latency")}, "no cost_per_unit"},
		{"incident cost grouped by kpi", models.Query{Metric: "incident_cost", GroupBy: []string{"kpi"}}, "cannot group by \"kpi\""},
		{"incident cost filter injection", models.Query{Metric: "incident_cost", Filters: map[string][]string{"service = '' OR 1=1 --": {"x"}}}, "cannot filter"},
		{"bad bucket", models.Query{Metric: "value", Bucket: "fortnight"}, "bucket"},
		{"negative stale days", models.Query{Metric: "stale", KPI: &models.KPIOptions{StaleDays: -1}}, "staleDays"},
		{"stale is not a series", models.Query{Metric: "stale"}, "audit table"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.QueryType = models.QueryTypeKPI
			c.q.Normalize()
			_, err := kpi.Compute(context.Background(), env(st), c.q)
			if err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one containing %q", err, c.has)
			}
		})
	}
}

// An undefined KPI's samples can be read by naming it: its value needs no definition.
func TestUndefinedKPIValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		q := models.Query{Metric: "value", Bucket: "none", KPI: opts("ghost", "p95_latency")}
		q.Normalize()
		res, err := kpi.Compute(context.Background(), env(st), q)
		if err != nil {
			t.Fatal(err)
		}
		sortSeries(res.Series)
		if len(res.Series) != 2 || res.Series[0].Group[0] != "ghost" || res.Series[0].Values[0] != nil || *res.Series[1].Values[0] != 312.5 {
			t.Fatalf("series %+v", res.Series)
		}
	})
}

// The SQL push-down (mean, min, max, sum, count) and the values path agree.
func TestPushDownMatchesValuesPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		for _, stat := range []string{"mean", "min", "max", "sum", "count"} {
			for _, metric := range []string{"value", "attainment", "state"} {
				if stat == "count" && metric != "value" {
					continue
				}
				q := models.Query{Metric: metric, Stat: stat, Bucket: "1d", KPI: opts("availability", "p95_latency")}
				q.Normalize()
				pushed, err := kpi.Compute(context.Background(), env(st), q)
				if err != nil {
					t.Fatal(err)
				}
				// A label filter that matches every sample forces the values path.
				q.Filters = map[string][]string{}
				q.GroupBy = []string{"label.none"}
				values, err := kpi.Compute(context.Background(), env(st), q)
				if err != nil {
					t.Fatal(err)
				}
				sortSeries(pushed.Series)
				sortSeries(values.Series)
				for i := range pushed.Series {
					for j := range pushed.Series[i].Values {
						if !sameValue(pushed.Series[i].Values[j], values.Series[i].Values[j]) {
							t.Errorf("%s %s series %d bucket %d: push-down %s, values %s", metric, stat, i, j,
								show(pushed.Series[i].Values[j]), show(values.Series[i].Values[j]))
						}
					}
				}
			}
		}
	})
}

func sortSeries(s []query.Series) {
	slices.SortFunc(s, func(a, b query.Series) int { return slices.Compare(a.Group, b.Group) })
}
