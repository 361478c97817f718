package flow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

type series struct {
	group  []string
	values []*float64
}

var delivery = map[string][]string{"value_stream": {"delivery"}}

func TestSeriesMetricsHandComputed(t *testing.T) {
	const hr = 3600.0
	cases := []struct {
		name string
		q    models.Query
		want []series
	}{
		{"lead time median per day: A 12h; B 24h; D 12h and E 6h",
			models.Query{Metric: "lead_time", Bucket: "1d"},
			[]series{{nil, []*float64{f(12 * hr), f(24 * hr), f(9 * hr)}}}},
		{"lead time mean over the range: (12 + 24 + 12 + 6) / 4",
			models.Query{Metric: "lead_time", Stat: "mean", Bucket: "none"},
			[]series{{nil, []*float64{f(13.5 * hr)}}}},
		{"lead time p85 of 6, 12, 12, 24 h: 12 + 0.55 × 12",
			models.Query{Metric: "lead_time", Stat: "p85", Bucket: "none"},
			[]series{{nil, []*float64{f((12 + 0.55*12) * hr)}}}},
		{"lead time by team: core 12h, 24h; edge 12h, 6h",
			models.Query{Metric: "lead_time", Bucket: "none", GroupBy: []string{"team"}},
			[]series{{[]string{"core"}, []*float64{f(18 * hr)}}, {[]string{"edge"}, []*float64{f(9 * hr)}}}},
		{"cycle time: A 10h, B 20h, D 12h; E never active",
			models.Query{Metric: "cycle_time", Stat: "max", Bucket: "1d"},
			[]series{{nil, []*float64{f(10 * hr), f(20 * hr), f(12 * hr)}}}},
		{"cycle time count excludes E",
			models.Query{Metric: "cycle_time", Stat: "count", Bucket: "none"},
			[]series{{nil, []*float64{f(3)}}}},
		{"process time of delivery items with stays: A 8h, B 20h",
			models.Query{Metric: "process_time", Stat: "sum", Bucket: "none", Filters: delivery},
			[]series{{nil, []*float64{f(28 * hr)}}}},
		{"wait time: A 4h, B 4h",
			models.Query{Metric: "wait_time", Stat: "mean", Bucket: "none", Filters: delivery},
			[]series{{nil, []*float64{f(4 * hr)}}}},
		{"flow efficiency, ratio of totals: (8 + 20) / (12 + 24); E has no stays",
			models.Query{Metric: "flow_efficiency", Bucket: "none", Filters: delivery},
			[]series{{nil, []*float64{f(28.0 / 36)}}}},
		{"flow efficiency per day, all streams: A 8/12; B 20/24; D 12/12",
			models.Query{Metric: "flow_efficiency", Bucket: "1d"},
			[]series{{nil, []*float64{f(8.0 / 12), f(20.0 / 24), f(1)}}}},
		{"flow efficiency mean of per-item ratios: (8/12 + 20/24) / 2",
			models.Query{Metric: "flow_efficiency", Stat: "mean", Bucket: "none", Filters: delivery},
			[]series{{nil, []*float64{f(0.75)}}}},
		{"throughput per day",
			models.Query{Metric: "throughput", Bucket: "1d"},
			[]series{{nil, []*float64{f(1), f(1), f(2)}}}},
		{"throughput by value stream, zero-filled",
			models.Query{Metric: "throughput", Bucket: "1d", GroupBy: []string{"value_stream"}},
			[]series{{[]string{"delivery"}, []*float64{f(1), f(1), f(1)}}, {[]string{"ops"}, []*float64{f(0), f(0), f(1)}}}},
		{"stage time median per stage: Backlog 2h,4h; Dev 5h,10h; Review queue 2h,0h; Review 3h,10h",
			models.Query{Metric: "stage_time", Bucket: "none", Filters: delivery},
			[]series{
				{[]string{"Backlog"}, []*float64{f(3 * hr)}},
				{[]string{"Dev"}, []*float64{f(7.5 * hr)}},
				{[]string{"Review"}, []*float64{f(6.5 * hr)}},
				{[]string{"Review queue"}, []*float64{f(1 * hr)}},
			}},
		{"stage wait time: only queues wait",
			models.Query{Metric: "stage_time", Stat: "sum", Bucket: "none", Filters: delivery, Flow: &models.FlowOptions{Part: "wait"}},
			[]series{
				{[]string{"Backlog"}, []*float64{f(6 * hr)}},
				{[]string{"Dev"}, []*float64{f(0)}},
				{[]string{"Review"}, []*float64{f(0)}},
				{[]string{"Review queue"}, []*float64{f(2 * hr)}},
			}},
		{"stage process time per day, one stage stream",
			models.Query{Metric: "stage_time", Stat: "mean", Bucket: "1d", Filters: map[string][]string{"value_stream": {"ops"}}, Flow: &models.FlowOptions{Part: "process"}},
			[]series{{[]string{"Work"}, []*float64{nil, nil, f(12 * hr)}}}},
		{"WIP at each day's end: B in Review on Jan 2 00:00; C in Dev after",
			models.Query{Metric: "wip", Bucket: "1d", Filters: delivery},
			[]series{
				{[]string{"Backlog"}, []*float64{f(0), f(0), f(0)}},
				{[]string{"Dev"}, []*float64{f(0), f(1), f(1)}},
				{[]string{"Review"}, []*float64{f(1), f(0), f(0)}},
				{[]string{"Review queue"}, []*float64{f(0), f(0), f(0)}},
			}},
		{"WIP vs limit: Dev /2, Review /1; stages without a limit left out",
			models.Query{Metric: "wip_vs_limit", Bucket: "1d", Filters: delivery},
			[]series{
				{[]string{"delivery", "Dev"}, []*float64{f(0), f(0.5), f(0.5)}},
				{[]string{"delivery", "Review"}, []*float64{f(1), f(0), f(0)}},
			}},
		{"arrivals per day",
			models.Query{Metric: "arrivals", Bucket: "1d", Filters: delivery},
			[]series{
				{[]string{"Backlog"}, []*float64{f(2), f(1), f(0)}},
				{[]string{"Dev"}, []*float64{f(3), f(1), f(1)}},
				{[]string{"Review"}, []*float64{f(3), f(0), f(0)}},
				{[]string{"Review queue"}, []*float64{f(2), f(0), f(0)}},
			}},
		{"departures per day: C leaves its active Dev stay at Jan 3 00:00, in Jan 3's bucket",
			models.Query{Metric: "departures", Bucket: "1d", Filters: delivery},
			[]series{
				{[]string{"Backlog"}, []*float64{f(2), f(1), f(0)}},
				{[]string{"Dev"}, []*float64{f(3), f(0), f(1)}},
				{[]string{"Review"}, []*float64{f(2), f(1), f(0)}},
				{[]string{"Review queue"}, []*float64{f(2), f(0), f(0)}},
			}},
		{"cumulative arrivals",
			models.Query{Metric: "arrivals", Bucket: "1d", Filters: delivery, Flow: &models.FlowOptions{Cumulative: true}},
			[]series{
				{[]string{"Backlog"}, []*float64{f(2), f(3), f(3)}},
				{[]string{"Dev"}, []*float64{f(3), f(4), f(5)}},
				{[]string{"Review"}, []*float64{f(3), f(3), f(3)}},
				{[]string{"Review queue"}, []*float64{f(2), f(2), f(2)}},
			}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		env := query.Env{Store: st, From: from, To: to, Now: to}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.QueryType = models.QueryTypeFlow
				c.q.Normalize()
				res, err := flow.Compute(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				checkSeries(t, res, c.want)
			})
		}
	})
}

// TestCumulativeFlowStartsFromWIP: from Jan 2, cumulative arrivals to Review start at 1
// (B, in Review since Jan 1 20:00) and departures at 0; B leaves on Jan 2 06:00. The gap,
// arrivals − departures, is the WIP at each bucket end: 0 and 0.
func TestCumulativeFlowStartsFromWIP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		env := query.Env{Store: st, From: from.AddDate(0, 0, 1), To: to}
		filters := map[string][]string{"value_stream": {"delivery"}, "stage": {"Review"}}
		for metric, want := range map[string][]*float64{"arrivals": {f(1), f(1)}, "departures": {f(1), f(1)}, "wip": {f(0), f(0)}} {
			q := models.Query{QueryType: "flow", Metric: metric, Bucket: "1d", Filters: filters, Flow: &models.FlowOptions{Cumulative: true}}
			q.Normalize()
			res, err := flow.Compute(context.Background(), env, q)
			if err != nil {
				t.Fatal(err)
			}
			checkSeries(t, res, []series{{[]string{"Review"}, want}})
		}
	})
}

func checkSeries(t *testing.T, res query.Result, want []series) {
	t.Helper()
	if len(res.Series) != len(want) {
		t.Fatalf("got %d series, want %d: %+v", len(res.Series), len(want), res.Series)
	}
	got := append([]query.Series(nil), res.Series...)
	sortSeries(got)
	for i, w := range want {
		g := got[i]
		if len(w.group) > 0 && strings.Join(g.Group, "/") != strings.Join(w.group, "/") {
			t.Errorf("series %d group %v, want %v", i, g.Group, w.group)
		}
		if len(g.Values) != len(w.values) {
			t.Fatalf("series %v has %d values, want %d", g.Group, len(g.Values), len(w.values))
		}
		for j := range w.values {
			if !sameValue(g.Values[j], w.values[j]) {
				t.Errorf("series %v value %d = %s, want %s", g.Group, j, show(g.Values[j]), show(w.values[j]))
			}
		}
	}
}

func sortSeries(s []query.Series) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && strings.Join(s[j].Group, "\x00") < strings.Join(s[j-1].Group, "\x00"); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// runFrames runs a flow query through the frames handler.
func runFrames(t *testing.T, st store.Store, q models.Query) data.Frames {
	t.Helper()
	q.QueryType = models.QueryTypeFlow
	q.Normalize()
	frames, err := flow.Frames(context.Background(), query.Env{Store: st, From: from, To: to, Now: to}, q)
	if err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestStageSeriesFollowTheStreamOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		frames := runFrames(t, st, models.Query{Metric: "wip", Bucket: "1d", Filters: delivery})
		var stages []string
		for _, fr := range frames {
			stages = append(stages, fr.Fields[1].Labels["stage"])
			if fr.Fields[1].Config.DisplayNameFromDS != "WIP · "+fr.Fields[1].Labels["stage"] {
				t.Errorf("display name %q", fr.Fields[1].Config.DisplayNameFromDS)
			}
		}
		if got := strings.Join(stages, ","); got != "Backlog,Dev,Review queue,Review" {
			t.Fatalf("frames in order %s, want the stream's order", got)
		}
	})
}

func TestValueStreamMapHandComputed(t *testing.T) {
	const hr = 3600.0
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		frames := runFrames(t, st, models.Query{Metric: "value_stream", Filters: delivery})
		if len(frames) != 2 || frames[0].Name != "stages" || frames[1].Name != "totals" {
			t.Fatalf("frames %v", frames)
		}
		stages, totals := frames[0], frames[1]
		if got := strings.Join(strings_(t, stages, "stage"), ","); got != "Backlog,Dev,Review queue,Review" {
			t.Fatalf("stages %s (Done, a done stage, is left out)", got)
		}
		if got := strings.Join(strings_(t, stages, "kind"), ","); got != "waiting,active,waiting,active" {
			t.Fatalf("kinds %s", got)
		}
		checkColumn(t, stages, "items", []*float64{f(2), f(2), f(2), f(2)})
		checkColumn(t, stages, "wip", []*float64{f(0), f(1), f(0), f(0)}) // C, blocked in Dev
		checkColumn(t, stages, "wip_limit", []*float64{nil, f(2), nil, f(1)})
		checkColumn(t, stages, "process_median", []*float64{f(0), f(7.5 * hr), f(0), f(6.5 * hr)})
		checkColumn(t, stages, "process_mean", []*float64{f(0), f(7.5 * hr), f(0), f(6.5 * hr)})
		// p85 of (5h, 10h) = 5 + 0.85 × 5 = 9.25h; of (3h, 10h) = 3 + 0.85 × 7 = 8.95h.
		checkColumn(t, stages, "process_p85", []*float64{f(0), f(9.25 * hr), f(0), f(8.95 * hr)})
		checkColumn(t, stages, "wait_median", []*float64{f(3 * hr), f(0), f(1 * hr), f(0)})
		checkColumn(t, stages, "wait_p85", []*float64{f(3.7 * hr), f(0), f(1.7 * hr), f(0)})

		// Totals over A (12h), B (24h) and E (6h); cycle A 10h, B 20h; E has no stays.
		checkColumn(t, totals, "items", []*float64{f(3)})
		checkColumn(t, totals, "wip", []*float64{f(1)})
		checkColumn(t, totals, "lead_median", []*float64{f(12 * hr)})
		checkColumn(t, totals, "lead_mean", []*float64{f(14 * hr)})
		checkColumn(t, totals, "lead_p85", []*float64{f((12 + 0.7*12) * hr)}) // sorted 6, 12, 24: position 1.7
		checkColumn(t, totals, "cycle_median", []*float64{f(15 * hr)})
		checkColumn(t, totals, "process_mean", []*float64{f(14 * hr)})
		checkColumn(t, totals, "wait_mean", []*float64{f(4 * hr)})
		checkColumn(t, totals, "flow_efficiency", []*float64{f(28.0 / 36)})

		one := runFrames(t, st, models.Query{Metric: "value_stream", Filters: map[string][]string{"value_stream": {"ops"}}})
		checkColumn(t, one[0], "process_median", []*float64{f(12 * hr)})
		checkColumn(t, one[0], "wait_median", []*float64{f(0)})
		checkColumn(t, one[1], "flow_efficiency", []*float64{f(1)})
	})
}

func TestTableMetricsHandComputed(t *testing.T) {
	const hr = 3600.0
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		t.Run("items, oldest completion first", func(t *testing.T) {
			fr := runFrames(t, st, models.Query{Metric: "items"})[0]
			if got := strings.Join(strings_(t, fr, "id"), ","); got != "A,B,D,E" {
				t.Fatalf("items %s", got)
			}
			checkColumn(t, fr, "lead_time", []*float64{f(12 * hr), f(24 * hr), f(12 * hr), f(6 * hr)})
			checkColumn(t, fr, "cycle_time", []*float64{f(10 * hr), f(20 * hr), f(12 * hr), nil})
			checkColumn(t, fr, "flow_efficiency", []*float64{f(8.0 / 12), f(20.0 / 24), f(1), nil})
			if fr.Meta != nil && len(fr.Meta.Notices) > 0 {
				t.Fatalf("unexpected notice %v", fr.Meta.Notices)
			}
		})
		t.Run("items capped with a notice", func(t *testing.T) {
			fr := runFrames(t, st, models.Query{Metric: "items", Flow: &models.FlowOptions{MaxItems: 2}})[0]
			if got := strings.Join(strings_(t, fr, "id"), ","); got != "D,E" {
				t.Fatalf("items %s, want the 2 most recent", got)
			}
			if len(fr.Meta.Notices) != 1 || !strings.Contains(fr.Meta.Notices[0].Text, "2 most recently completed of 4") {
				t.Fatalf("notices %+v", fr.Meta.Notices)
			}
		})
		t.Run("aging: C started Jan 2 12:00, blocked in Dev since Jan 3", func(t *testing.T) {
			frames := runFrames(t, st, models.Query{Metric: "aging"})
			fr := frames[0]
			if got := strings.Join(strings_(t, fr, "id"), ","); got != "C" {
				t.Fatalf("aging items %s", got)
			}
			if s := strings_(t, fr, "stage")[0] + "/" + strings_(t, fr, "state")[0]; s != "Dev/waiting" {
				t.Fatalf("stage %s", s)
			}
			checkColumn(t, fr, "age", []*float64{f(36 * hr)})
			checkColumn(t, fr, "in_stage", []*float64{f(24 * hr)})
			checkColumn(t, fr, "age_percentile", []*float64{f(1)})
			if b := strings_(t, fr, "band")[0]; b != flow.BandAboveP95 {
				t.Fatalf("band %s", b)
			}
			// Delivery history: cycle times 10h and 20h.
			pf := frames[1]
			if got := strings.Join(strings_(t, pf, "value_stream"), ","); got != "delivery,ops" {
				t.Fatalf("percentile streams %s", got)
			}
			checkColumn(t, pf, "p50", []*float64{f(15 * hr), f(12 * hr)})
			checkColumn(t, pf, "p85", []*float64{f(18.5 * hr), f(12 * hr)})
			checkColumn(t, pf, "p95", []*float64{f(19.5 * hr), f(12 * hr)})
		})
		t.Run("aging as of Jan 2 18:00: C in Dev (active) for 6h", func(t *testing.T) {
			q := models.Query{Metric: "aging", QueryType: models.QueryTypeFlow, Filters: delivery}
			q.Normalize()
			asOf := from.Add(42 * 3600e9)
			frames, err := flow.Frames(context.Background(), query.Env{Store: st, From: from, To: asOf}, q)
			if err != nil {
				t.Fatal(err)
			}
			checkColumn(t, frames[0], "age", []*float64{f(6 * hr)})
			if s := strings_(t, frames[0], "state")[0]; s != "active" {
				t.Fatalf("state %s", s)
			}
			// Completed before Jan 2 18:00: A (10h) and B (20h); 6h is below both.
			checkColumn(t, frames[0], "age_percentile", []*float64{f(0)})
		})
		t.Run("Little's law over the range", func(t *testing.T) {
			fr := runFrames(t, st, models.Query{Metric: "littles_law", Filters: delivery})[0]
			// In progress: A 02-12 (10h), B Jan 1 10:00 to Jan 2 06:00 (20h), C Jan 2 12:00 to the
			// range end (36h): L = 66h / 72h. Done: A, B; W = 15h; λ = 2 / 72h; λW = 30/72.
			checkColumn(t, fr, "avg_wip", []*float64{f(66.0 / 72)})
			checkColumn(t, fr, "throughput", []*float64{f(2.0 / 3)})
			checkColumn(t, fr, "cycle_time_mean", []*float64{f(15 * hr)})
			checkColumn(t, fr, "littles_wip", []*float64{f(30.0 / 72)})
			checkColumn(t, fr, "deviation", []*float64{f(66.0/30 - 1)})
		})
		t.Run("Little's law grouped by value stream", func(t *testing.T) {
			fr := runFrames(t, st, models.Query{Metric: "littles_law", GroupBy: []string{"value_stream"}})[0]
			if got := strings.Join(strings_(t, fr, "value_stream"), ","); got != "delivery,ops" {
				t.Fatalf("groups %s", got)
			}
			// ops: D in progress 12h of 72h; one done, W = 12h: λW = 12/72, deviation 0.
			checkColumn(t, fr, "deviation", []*float64{f(66.0/30 - 1), f(0)})
		})
	})
}

func TestQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadHand(t, st)
	env := query.Env{Store: st, From: from, To: to, Now: to}
	cases := []struct {
		name string
		q    models.Query
		has  string
	}{
		{"unknown metric", models.Query{Metric: "velocity"}, "unknown flow metric"},
		{"unknown stat", models.Query{Metric: "lead_time", Stat: "p80"}, "p85"},
		{"group by stage on an item metric", models.Query{Metric: "lead_time", GroupBy: []string{"stage"}}, "per item, not per stage"},
		{"filter on stage on an item metric", models.Query{Metric: "throughput", Filters: map[string][]string{"stage": {"Dev"}}}, "per item, not per stage"},
		{"group by a column not allowed", models.Query{Metric: "wip", GroupBy: []string{"title"}}, "cannot group by"},
		{"group by injection", models.Query{Metric: "lead_time", GroupBy: []string{"team; DROP TABLE work_items"}}, "cannot group by"},
		{"filter not allowed", models.Query{Metric: "lead_time", Filters: map[string][]string{"labels": {"x"}}}, "cannot filter"},
		{"bad part", models.Query{Metric: "stage_time", Flow: &models.FlowOptions{Part: "queue"}}, "flow.part"},
		{"bad max items", models.Query{Metric: "items", Flow: &models.FlowOptions{MaxItems: -1}}, "flow.maxItems"},
		{"too many items", models.Query{Metric: "items", Flow: &models.FlowOptions{MaxItems: 1 << 30}}, "flow.maxItems"},
		{"wip vs limit by team", models.Query{Metric: "wip_vs_limit", GroupBy: []string{"team"}}, "cannot be grouped"},
		{"wip vs limit filtered by team", models.Query{Metric: "wip_vs_limit", Filters: map[string][]string{"team": {"core"}}}, "cannot be filtered"},
		{"value stream map of two streams", models.Query{Metric: "value_stream", Filters: map[string][]string{"value_stream": {"delivery", "ops"}}}, "one value stream"},
		{"value stream map, ambiguous", models.Query{Metric: "value_stream"}, `"delivery", "ops"`},
		{"value stream map grouped", models.Query{Metric: "value_stream", GroupBy: []string{"team"}}, "not groupBy"},
		{"bad bucket", models.Query{Metric: "throughput", Bucket: "fortnight"}, "bucket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.QueryType = models.QueryTypeFlow
			c.q.Normalize()
			_, err := flow.Frames(context.Background(), env, c.q)
			if err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one containing %q", err, c.has)
			}
		})
	}
	t.Run("a table metric is not a series", func(t *testing.T) {
		q := models.Query{QueryType: models.QueryTypeFlow, Metric: "items"}
		q.Normalize()
		if _, err := flow.Compute(context.Background(), env, q); err == nil || !strings.Contains(err.Error(), "cannot be the source of a series") {
			t.Fatalf("error %v", err)
		}
	})
	counts, err := st.Counts(context.Background())
	if err != nil || counts["work_items"] != 5 {
		t.Fatalf("store changed: %v %v", counts, err)
	}
}

func TestFilterValuesAreParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		res, err := flow.Compute(context.Background(), query.Env{Store: st, From: from, To: to},
			models.Query{QueryType: "flow", Metric: "throughput", Bucket: "none", Filters: map[string][]string{"team": {"core' OR '1'='1", `x"); DROP TABLE work_items; --`}}})
		if err != nil {
			t.Fatal(err)
		}
		if v := res.Series[0].Values[0]; v == nil || *v != 0 {
			t.Fatalf("injection-shaped filter values matched items: %s", show(v))
		}
	})
}
