package spc_test

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/spc"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	spcstats "github.com/kaizenops/suite/pkg/stats/spc"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The daily data set (testdata/daily.ndjson), range 2024-02-01 to 2024-02-11 UTC,
// one incident a day on api, started 09:00, restored after (minutes):
//
//	day   1   2   3   4   5   6   7   8   9   10
//	api  30  40  35   -  45  40  38  42  36  120   (sev2; day 10 sev1)
//	web       50                                    (sev1)
//
// api MTTR per day in seconds, day 4 empty (null, left out of the chart):
//
//	1800 2400 2100 2700 2400 2280 2520 2160 7200
var (
	from = time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2024, 2, 11, 0, 0, 0, 0, time.UTC)
)

func day(d int) time.Time { return from.AddDate(0, 0, d-1) }

var apiDays = []time.Time{day(1), day(2), day(3), day(5), day(6), day(7), day(8), day(9), day(10)}

func loadDaily(t *testing.T, st store.Store) {
	t.Helper()
	f, err := os.Open("testdata/daily.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kind, _ := ingest.DefaultKinds().Get("incidents")
	res, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, f, ingest.Options{Now: to})
	if err != nil || res.Stored != 10 || len(res.Rejected) != 0 {
		t.Fatalf("loading daily data: %+v, %v", res, err)
	}
}

// Hand-worked XmR numbers:
//
// First 8 api points (baseline): sum 18360, mean 2295; moving ranges
// 600 300 600 300 120 240 360, sum 2520, mean 360; sigma = 360/1.128.
var (
	sigma8 = 360 / 1.128
	cl8    = 2295.0
	ucl8   = cl8 + 3*sigma8 // 3252.4468...
	lcl8   = cl8 - 3*sigma8 // 1337.5531...
)

// All 9 api points: sum 25560, mean 2840; moving ranges add 5040, sum 7560, mean 945.
var (
	sigma9 = 945 / 1.128
	cl9    = 2840.0
)

const apiMTTR = `"source":{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d","filters":{"service":["api"]}}`

type want struct {
	series     int
	labels     data.Labels
	times      []time.Time
	fields     map[string][]float64 // by field name, checked value by value
	baseline   []bool
	violations []string
	absent     []string // fields that must not be there
	unit       string
	notices    []string // substrings, in order
}

func TestChartHandComputed(t *testing.T) {
	k2, _ := spcstats.Constants(2)
	none := func(n int) []string { return make([]string, n) }
	lastIs := func(n int, rules string) []string { v := none(n); v[n-1] = rules; return v }
	repeat := func(v float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	bools := func(n, trueFirst int) []bool {
		out := make([]bool, n)
		for i := 0; i < trueFirst; i++ {
			out[i] = true
		}
		return out
	}
	cases := []struct {
		name     string
		from, to time.Time
		q        string
		want     want
	}{
		{"xmr of api MTTR per day, first 8 points as baseline: day 10 is beyond the UCL", from, to,
			`{"queryType":"spc","spc":{"chart":"xmr","baseline":{"points":8},` + apiMTTR + `}}`,
			want{series: 1, times: apiDays, unit: "s",
				fields: map[string][]float64{
					"value": {1800, 2400, 2100, 2700, 2400, 2280, 2520, 2160, 7200},
					"cl":    repeat(cl8, 9), "ucl": repeat(ucl8, 9), "lcl": repeat(lcl8, 9),
					"plus_1_sigma": repeat(cl8+sigma8, 9), "minus_2_sigma": repeat(cl8-2*sigma8, 9),
				},
				baseline: bools(9, 8), violations: lastIs(9, "nelson-1")}},
		{"a baseline time range before the dashboard's range is fetched and gives the same limits (day 4 is empty, so day 9 is the 8th point)",
			day(6), to,
			`{"queryType":"spc","spc":{"baseline":{"from":"2024-02-01T00:00:00Z","to":"2024-02-09T00:00:00Z"},` + apiMTTR + `}}`,
			want{series: 1, times: apiDays[4:],
				fields:   map[string][]float64{"value": {2400, 2280, 2520, 2160, 7200}, "cl": repeat(cl8, 5), "ucl": repeat(ucl8, 5)},
				baseline: bools(5, 4), violations: lastIs(5, "nelson-1")}},
		{"frozen center and sigma: UCL 2400 + 3·300, no baseline",
			from, to,
			`{"queryType":"spc","spc":{"frozen":{"center":2400,"sigma":300},` + apiMTTR + `}}`,
			want{series: 1, times: apiDays,
				fields:   map[string][]float64{"cl": repeat(2400, 9), "ucl": repeat(3300, 9), "lcl": repeat(1500, 9), "plus_2_sigma": repeat(3000, 9)},
				baseline: bools(9, 0), violations: lastIs(9, "nelson-1")}},
		{"grouped by service: api charted over all 9 points (all are the baseline), web (1 point) left out with a notice",
			from, to,
			`{"queryType":"spc","spc":{"source":{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d","groupBy":["service"]}}}`,
			want{series: 1, labels: data.Labels{"service": "api"}, times: apiDays,
				fields:   map[string][]float64{"cl": repeat(cl9, 9), "ucl": repeat(cl9+3*sigma9, 9), "minus_1_sigma": repeat(cl9-sigma9, 9)},
				baseline: bools(9, 9), violations: lastIs(9, "nelson-1"),
				notices: []string{"MTTR (mean) · web: the xmr chart needs at least 2 points", "left out"}}},
		{"Western Electric rules too: 8 days below the center fire we-4 at the 8th",
			from, to,
			`{"queryType":"spc","spc":{"rules":["nelson","westernelectric"],` + apiMTTR + `}}`,
			want{series: 1, times: apiDays,
				violations: []string{"", "", "", "", "", "", "", "we-4", "nelson-1,we-1"}}},
		{"no rules: nothing flagged", from, to,
			`{"queryType":"spc","spc":{"rules":["none"],` + apiMTTR + `}}`,
			want{series: 1, times: apiDays, violations: none(9)}},
		{"c chart of incidents per day: cbar 1, UCL 1+3·1, LCL and lower zone lines clipped at 0", from, to,
			`{"queryType":"spc","spc":{"chart":"c","source":{"queryType":"incidents","metric":"count","bucket":"1d"}}}`,
			want{series: 1, unit: "short",
				fields: map[string][]float64{"value": {1, 2, 1, 0, 1, 1, 1, 1, 1, 1}, "cl": repeat(1, 10), "ucl": repeat(4, 10),
					"lcl": repeat(0, 10), "plus_1_sigma": repeat(2, 10), "plus_2_sigma": repeat(3, 10),
					"minus_1_sigma": repeat(0, 10), "minus_2_sigma": repeat(0, 10)},
				violations: none(10)}},
		{"p chart of sev1 share per day with n from a second query; day 4 has no incidents and is left out", from, to,
			`{"queryType":"spc","spc":{"chart":"p",` +
				`"source":{"queryType":"incidents","metric":"count","bucket":"1d","filters":{"severity":["sev1"]}},` +
				`"sizeSource":{"queryType":"incidents","metric":"count","bucket":"1d"}}}`,
			// pbar = 2 sev1 / 10 incidents = 0.2; sigma_i = sqrt(0.2·0.8/n_i): 0.4 (n=1), 0.28284 (n=2);
			// UCL 0.2 + 3 sigma_i clipped at 1, LCL clipped at 0.
			want{series: 1, times: []time.Time{day(1), day(2), day(3), day(5), day(6), day(7), day(8), day(9), day(10)}, unit: "percentunit",
				fields: map[string][]float64{"value": {0, 0.5, 0, 0, 0, 0, 0, 0, 1}, "n": {1, 2, 1, 1, 1, 1, 1, 1, 1},
					"cl": repeat(0.2, 9), "ucl": repeat(1, 9), "lcl": repeat(0, 9),
					"plus_1_sigma": {0.6, 0.2 + math.Sqrt(0.08), 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6}},
				violations: none(9), notices: []string{"1 bucket without a sample size"}}},
		{"x-bar R of api in subgroups of 2: the 9th day is an incomplete subgroup", from, to,
			`{"queryType":"spc","spc":{"chart":"xbar-r","subgroup":2,` + apiMTTR + `}}`,
			// subgroups (1800,2400) (2100,2700) (2400,2280) (2520,2160): means 2100 2400 2340 2340,
			// ranges 600 600 120 360, Rbar 420; center 9180/4 = 2295; UCL 2295 + A2·420.
			want{series: 1, times: []time.Time{day(2), day(5), day(7), day(9)},
				fields:   map[string][]float64{"value": {2100, 2400, 2340, 2340}, "cl": repeat(2295, 4), "ucl": repeat(2295+k2.A2*420, 4)},
				notices:  []string{"the newest value is left out: an incomplete subgroup of 2"},
				baseline: bools(4, 4), violations: none(4)}},
		{"ewma with a known process: z0 = 0.2·1800 + 0.8·2400, exact limits start at 2400 ± 3·60", from, to,
			`{"queryType":"spc","spc":{"chart":"ewma","frozen":{"center":2400,"sigma":300},` + apiMTTR + `}}`,
			// sigma_z0 = 300·sqrt(0.2/1.8·(1 − 0.8²)) = 300·0.2 = 60.
			want{series: 1, times: apiDays,
				fields: map[string][]float64{"value": {2280}, "observation": {1800, 2400}, "ucl": {2580}, "plus_1_sigma": {2460}}}},
		{"tabular cusum, k 0.5, h 5 around 2400 ± 300: C+ reaches 4650 on day 10; no zone lines", from, to,
			`{"queryType":"spc","spc":{"chart":"cusum","frozen":{"center":2400,"sigma":300},` + apiMTTR + `}}`,
			// K = 150, H = 1500; C+ = max(0, C+ + x − 2550), C− = max(0, C− + 2250 − x).
			want{series: 1, times: apiDays,
				fields: map[string][]float64{"value": {0, 0, 0, 150, 0, 0, 0, 0, 4650}, "cusum_lower": {-450, -300, -450, 0, 0, 0, 0, -90, 0},
					"ucl": repeat(1500, 9), "lcl": repeat(-1500, 9), "cl": repeat(0, 9)},
				absent: []string{"plus_1_sigma", "minus_2_sigma"}, violations: lastIs(9, "cusum-upper")}},
		{"no incidents for the filter: an empty frame, not an error", from, to,
			`{"queryType":"spc","spc":{"source":{"queryType":"incidents","metric":"mttr","bucket":"1d","filters":{"service":["nope"]}}}}`,
			want{series: 0, notices: []string{"MTTR (mean): no values in the time range"}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadDaily(t, st)
		e := metrics.Engine()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				frames := run(t, e, query.Env{Store: st, From: c.from, To: c.to, Now: to}, c.q)
				checkChart(t, frames, c.want)
			})
		}
	})
}

// The frames agree with pkg/stats/spc run directly on the same series.
func TestChartMatchesEngine(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadDaily(t, st)
	frames := run(t, metrics.Engine(), query.Env{Store: st, From: from, To: to, Now: to},
		`{"queryType":"spc","spc":{"chart":"xmr","rules":["nelson","we-4"],"baseline":{"points":6},`+apiMTTR+`}}`)
	pts := []float64{1800, 2400, 2100, 2700, 2400, 2280, 2520, 2160, 7200}
	six := 6
	res, err := spcstats.Compute(spcstats.Input{Values: pts, Times: apiDays},
		spcstats.Options{Chart: spcstats.XmR, Rules: []string{"nelson", "we-4"}, Baseline: spcstats.Baseline{Points: &six}})
	if err != nil {
		t.Fatal(err)
	}
	f := frames[0]
	for name, col := range map[string][]float64{"value": res.Points.Value, "cl": res.Points.Center, "ucl": res.Points.UCL,
		"lcl": res.Points.LCL, "plus_1_sigma": res.Line(1), "minus_1_sigma": res.Line(-1), "plus_2_sigma": res.Line(2), "minus_2_sigma": res.Line(-2)} {
		checkFloats(t, field(t, f, name), col)
	}
	for i := range pts {
		if got := field(t, f, "violations").At(i).(string); got != res.Points.Violations[i].String() {
			t.Errorf("violations[%d] = %q, engine %q", i, got, res.Points.Violations[i].String())
		}
	}
	custom := f.Meta.Custom.(map[string]any)["spc"].(map[string]any)
	if custom["chart"] != "xmr" || custom["baseline"].(map[string]any)["points"] != 6 {
		t.Errorf("meta.custom.spc = %v", custom)
	}
}

func TestViolationsForAlerting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadDaily(t, st)
		e := metrics.Engine()
		env := query.Env{Store: st, From: from, To: to, Now: to}
		grouped := `"source":{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d","groupBy":["service"]}`

		t.Run("one labelled number per series", func(t *testing.T) {
			frames := run(t, e, env, `{"queryType":"spc","metric":"violations","spc":{"rules":["nelson","westernelectric"],`+grouped+`}}`)
			if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeNumericMulti {
				t.Fatalf("frames %d, meta %+v", len(frames), frames[0].Meta)
			}
			v := frames[0].Fields[0]
			if v.Labels["service"] != "api" || v.Len() != 1 || *v.At(0).(*float64) != 3 { // we-4, nelson-1, we-1
				t.Fatalf("violations field %s %v = %v", v.Name, v.Labels, v.At(0))
			}
			if n := frames[0].Meta.Notices; len(n) != 1 || !strings.Contains(n[0].Text, "web") {
				t.Fatalf("notices %+v", n)
			}
		})
		t.Run("only points inside the range count", func(t *testing.T) {
			e2 := env
			e2.To = day(10) // day 10's spike is outside
			frames := run(t, e, e2, `{"queryType":"spc","metric":"violations","spc":{"baseline":{"points":8},`+apiMTTR+`}}`)
			if got := *frames[0].Fields[0].At(0).(*float64); got != 0 {
				t.Fatalf("violations %v, want 0", got)
			}
		})
		t.Run("table: a row per series with points and in-control", func(t *testing.T) {
			frames := run(t, e, env, `{"queryType":"spc","metric":"violations","format":"table",`+`"spc":{`+grouped+`}}`)
			f := frames[0]
			if got := fieldNames(f); strings.Join(got, ",") != "service,points,violations,in_control" {
				t.Fatalf("fields %v", got)
			}
			if f.Fields[0].At(0) != "api" || f.Fields[1].At(0) != int64(9) || f.Fields[2].At(0) != 1.0 || f.Fields[3].At(0) != false {
				t.Fatalf("row %v %v %v %v", f.Fields[0].At(0), f.Fields[1].At(0), f.Fields[2].At(0), f.Fields[3].At(0))
			}
		})
		t.Run("no data gives an empty number, so the alert rule goes to NoData", func(t *testing.T) {
			frames := run(t, e, env, `{"queryType":"spc","metric":"violations","spc":{"source":{"queryType":"incidents","metric":"mttr","bucket":"1d","filters":{"service":["nope"]}}}}`)
			if len(frames) != 1 || frames[0].Fields[0].Len() != 0 {
				t.Fatalf("frames %v", frames)
			}
		})
	})
}

func TestChartTableFormat(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadDaily(t, st)
	frames := run(t, metrics.Engine(), query.Env{Store: st, From: from, To: to, Now: to},
		`{"queryType":"spc","format":"table","spc":{"source":{"queryType":"incidents","metric":"count","bucket":"1d","groupBy":["team"]}}}`)
	if len(frames) != 1 {
		t.Fatalf("%d frames", len(frames))
	}
	f := frames[0]
	names := strings.Join(fieldNames(f), ",")
	if !strings.HasPrefix(names, "team,time,value,cl,ucl,lcl,") || f.Rows() != 20 {
		t.Fatalf("fields %s, %d rows", names, f.Rows())
	}
	if f.Fields[0].At(0) != "core" || f.Fields[0].At(10) != "edge" {
		t.Fatalf("teams %v %v", f.Fields[0].At(0), f.Fields[0].At(10))
	}
}

func TestSPCQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadDaily(t, st)
	e := metrics.Engine()
	env := query.Env{Store: st, From: from, To: to, Now: to}
	cases := []struct{ name, q, want string }{
		{"no options", `{"queryType":"spc"}`, "spc.source is missing"},
		{"no source", `{"queryType":"spc","spc":{"chart":"xmr"}}`, "spc.source is missing"},
		{"source without a type", `{"queryType":"spc","spc":{"source":{"metric":"mttr"}}}`, "spc.source.queryType is missing"},
		{"source is spc", `{"queryType":"spc","spc":{"source":{"queryType":"spc"}}}`, "cannot be another spc query"},
		{"source not bucketed", `{"queryType":"spc","spc":{"source":{"queryType":"incidents","bucket":"none"}}}`, "spc.source.bucket is none"},
		{"source type unknown", `{"queryType":"spc","spc":{"source":{"queryType":"tickets"}}}`, `queryType "tickets" does not produce a series`},
		{"source query error", `{"queryType":"spc","spc":{"source":{"queryType":"incidents","metric":"mtbf"}}}`, `spc.source (incidents query): unknown incident metric "mtbf"`},
		{"unknown metric", `{"queryType":"spc","metric":"limits","spc":{` + apiMTTR + `}}`, `unknown spc metric "limits"; use one of chart, violations`},
		{"unknown chart", `{"queryType":"spc","spc":{"chart":"imr",` + apiMTTR + `}}`, `spc.chart "imr" is not a chart`},
		{"unknown rule", `{"queryType":"spc","spc":{"rules":["nelson-9"],` + apiMTTR + `}}`, `spc.rules: unknown rule "nelson-9"`},
		{"rules on ewma", `{"queryType":"spc","spc":{"chart":"ewma","rules":["nelson"],` + apiMTTR + `}}`, "spc.rules: run rules do not apply to the ewma chart"},
		{"bad lambda", `{"queryType":"spc","spc":{"chart":"ewma","lambda":1.5,` + apiMTTR + `}}`, "spc.lambda: must be in (0, 1]"},
		{"subgroup missing", `{"queryType":"spc","spc":{"chart":"xbar-s",` + apiMTTR + `}}`, "spc.subgroup: the xbar-s chart needs a subgroup size between 2 and 25, got 0"},
		{"baseline points and range", `{"queryType":"spc","spc":{"baseline":{"points":3,"from":"now-7d"},` + apiMTTR + `}}`, "spc.baseline: give points or from/to, not both"},
		{"baseline time not a time", `{"queryType":"spc","spc":{"baseline":{"from":"last tuesday"},` + apiMTTR + `}}`, `spc.baseline.from: "last tuesday" is not an RFC 3339 time`},
		{"baseline relative time bad unit", `{"queryType":"spc","spc":{"baseline":{"from":"now-3y"},` + apiMTTR + `}}`, `spc.baseline.from: "now-3y"`},
		{"baseline longer than the series", `{"queryType":"spc","spc":{"baseline":{"points":20},` + apiMTTR + `}}`, "MTTR (mean): spc.baseline: points must be between 1 and 9"},
		{"baseline range with no points", `{"queryType":"spc","spc":{"baseline":{"from":"2024-03-01T00:00:00Z"},` + apiMTTR + `}}`, "no points of the series fall in the baseline's time range"},
		{"baseline ending before the range without a start", `{"queryType":"spc","spc":{"baseline":{"to":"2024-01-01T00:00:00Z"},` + apiMTTR + `}}`, "give baseline.from"},
		{"frozen ucl without lcl", `{"queryType":"spc","spc":{"frozen":{"center":1,"ucl":2},` + apiMTTR + `}}`, "spc.frozen: give both ucl and lcl"},
		{"too few points in the only series", `{"queryType":"spc","spc":{"source":{"queryType":"incidents","metric":"mttr","bucket":"1d","filters":{"service":["web"]}}}}`,
			"MTTR (mean): the xmr chart needs at least 2 points to estimate sigma from moving ranges, got 1 (the series has 1 point in the range: widen the time range or use a smaller bucket)"},
		{"n on an xmr chart", `{"queryType":"spc","spc":{"n":10,` + apiMTTR + `}}`, "spc.n and spc.sizeSource are for p, np and u charts, not xmr"},
		{"p chart without sizes", `{"queryType":"spc","spc":{"chart":"p",` + apiMTTR + `}}`, "the p chart needs sample sizes: give spc.n"},
		{"bad n", `{"queryType":"spc","spc":{"chart":"np","n":0,` + apiMTTR + `}}`, "spc.n must be a sample size > 0, got 0"},
		{"n and sizeSource", `{"queryType":"spc","spc":{"chart":"u","n":5,"sizeSource":{"queryType":"incidents","metric":"count"},` + apiMTTR + `}}`, "use one"},
		{"sizeSource grouped differently", `{"queryType":"spc","spc":{"chart":"p","sizeSource":{"queryType":"incidents","metric":"count","groupBy":["team"]},` + apiMTTR + `}}`, "spc.sizeSource.groupBy [team] differs"},
		{"defectives above n", `{"queryType":"spc","spc":{"chart":"np","n":1,"source":{"queryType":"incidents","metric":"count","bucket":"1d"}}}`,
			"Incidents: value at 2024-02-02T00:00:00Z: 2 defectives exceed the sample size 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := models.ParseQuery([]byte(c.q))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Run(context.Background(), env, q)
			if err == nil {
				t.Fatalf("query %s was accepted", c.q)
			}
			t.Log(err)
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q\n does not say %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "spc query: ") {
				t.Fatalf("error %q is not prefixed with the query type", err)
			}
		})
	}
}

func run(t *testing.T, e *query.Engine, env query.Env, raw string) data.Frames {
	t.Helper()
	q, err := models.ParseQuery([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	q.RefID = "A"
	frames, err := e.Run(context.Background(), env, q)
	if err != nil {
		t.Fatalf("query %s: %v", raw, err)
	}
	return frames
}

func checkChart(t *testing.T, frames data.Frames, w want) {
	t.Helper()
	if len(frames) == 0 {
		t.Fatal("no frames")
	}
	var notices []string
	if frames[0].Meta != nil {
		for _, n := range frames[0].Meta.Notices {
			notices = append(notices, n.Text)
		}
	}
	joined := strings.Join(notices, "\n")
	for _, n := range w.notices {
		i := strings.Index(joined, n)
		if i < 0 {
			t.Errorf("notices %q do not say %q", joined, n)
			continue
		}
		joined = joined[i+len(n):]
	}
	if w.series == 0 {
		if len(frames) != 1 || frames[0].Rows() != 0 {
			t.Fatalf("want one empty frame, got %d frames, %d rows", len(frames), frames[0].Rows())
		}
		return
	}
	if len(frames) != w.series {
		t.Fatalf("%d frames, want %d", len(frames), w.series)
	}
	f := frames[0]
	if f.RefID != "A" {
		t.Errorf("refId %q", f.RefID)
	}
	if w.times != nil {
		tf := field(t, f, "time")
		if tf.Len() != len(w.times) {
			t.Fatalf("%d points, want %d", tf.Len(), len(w.times))
		}
		for i, want := range w.times {
			if got := tf.At(i).(time.Time); !got.Equal(want) {
				t.Errorf("time[%d] = %s, want %s", i, got, want)
			}
		}
	}
	for name, vals := range w.fields {
		fl := field(t, f, name)
		if len(vals) < fl.Len() && len(vals) > 2 {
			t.Fatalf("%s: %d values, want %d", name, fl.Len(), len(vals))
		}
		checkFloats(t, fl, vals)
	}
	for _, name := range w.absent {
		if _, idx := f.FieldByName(name); idx >= 0 {
			t.Errorf("field %s should not be there", name)
		}
	}
	value := field(t, f, "value")
	if w.unit != "" && (value.Config == nil || value.Config.Unit != w.unit) {
		t.Errorf("unit %+v, want %s", value.Config, w.unit)
	}
	for _, fl := range f.Fields[1:] {
		if len(w.labels) > 0 && !fl.Labels.Equals(w.labels) {
			t.Errorf("field %s labels %v, want %v", fl.Name, fl.Labels, w.labels)
		}
	}
	if w.baseline != nil {
		b := field(t, f, "baseline")
		for i, want := range w.baseline {
			if b.At(i).(bool) != want {
				t.Errorf("baseline[%d] = %v, want %v", i, b.At(i), want)
			}
		}
	}
	if w.violations != nil {
		v := field(t, f, "violations")
		if v.Len() != len(w.violations) {
			t.Fatalf("violations has %d rows, want %d", v.Len(), len(w.violations))
		}
		for i, want := range w.violations {
			if got := v.At(i).(string); got != want {
				t.Errorf("violations[%d] = %q, want %q", i, got, want)
			}
		}
	}
}

// checkFloats compares the first len(want) values (1e-9 relative).
func checkFloats(t *testing.T, f *data.Field, want []float64) {
	t.Helper()
	for i, w := range want {
		if i >= f.Len() {
			t.Fatalf("%s has %d values, want at least %d", f.Name, f.Len(), len(want))
		}
		got := f.At(i).(float64)
		if math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s[%d] = %.12g, want %.12g", f.Name, i, got, w)
		}
	}
}

func field(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	fl, idx := f.FieldByName(name)
	if idx < 0 {
		t.Fatalf("no field %q in %v", name, fieldNames(f))
	}
	return fl
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}

// A KPI-like source registered as a plain SeriesFunc: the chart needs nothing from the
// family but its series. Also checks what the source is asked for when the baseline
// starts before the dashboard's range.
func TestAnySeriesSource(t *testing.T) {
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var asked query.Env
	fake := func(_ context.Context, env query.Env, q models.Query) (query.Result, error) {
		asked = env
		res := query.Result{Name: "Checkout conversion", FieldName: "value", Unit: "percentunit", GroupBy: []string{"kpi"}, Bucketed: true}
		// 10 days of 0.31 0.33 0.32 0.34 0.33 0.31 0.32 0.33 0.32 0.20 for "conversion";
		// "empty" has no samples.
		vals := []float64{0.31, 0.33, 0.32, 0.34, 0.33, 0.31, 0.32, 0.33, 0.32, 0.20}
		s := query.Series{Group: []string{"conversion"}}
		e := query.Series{Group: []string{"empty"}}
		for i, v := range vals {
			s.Times = append(s.Times, day0.AddDate(0, 0, i))
			s.Values = append(s.Values, &v)
			e.Times = append(e.Times, day0.AddDate(0, 0, i))
			e.Values = append(e.Values, nil)
		}
		res.Series = []query.Series{e, s}
		return res, nil
	}
	e := query.NewEngine()
	e.RegisterSeries("kpi", fake)
	h := spc.Handler(e.Series)
	env := query.Env{From: day0.AddDate(0, 0, 5), To: day0.AddDate(0, 0, 10), MaxDataPoints: 100, Now: day0.AddDate(0, 0, 10)}
	q, err := models.ParseQuery([]byte(`{"queryType":"spc","spc":{"baseline":{"from":"now-10d","to":"now-2d"},"source":{"queryType":"kpi","bucket":"1d"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	frames, err := h(context.Background(), env, q)
	if err != nil {
		t.Fatal(err)
	}
	// Fetched from the baseline's start; 10 days instead of 5, so twice the points allowed.
	if !asked.From.Equal(day0) || asked.MaxDataPoints != 200 {
		t.Fatalf("source asked for %s.. with %d points", asked.From, asked.MaxDataPoints)
	}
	if len(frames) != 1 || frames[0].Rows() != 5 {
		t.Fatalf("%d frames, %d rows", len(frames), frames[0].Rows())
	}
	// Baseline days 0..8 (now-10d .. now-2d): mean 2.91/9; moving ranges
	// .02 .01 .02 .01 .02 .01 .01 .01, mean 0.11/8; day 9 (0.20) is far below the LCL.
	mean := 2.91 / 9
	sigma := 0.11 / 8 / 1.128
	f := frames[0]
	checkFloats(t, field(t, f, "cl"), []float64{mean})
	checkFloats(t, field(t, f, "lcl"), []float64{mean - 3*sigma})
	if v := field(t, f, "violations").At(4); v != "nelson-1" {
		t.Fatalf("day 9 violations %q", v)
	}
	if u := field(t, f, "value").Config.Unit; u != "percentunit" {
		t.Fatalf("unit %q", u)
	}
	if l := field(t, f, "ucl").Labels; l["kpi"] != "conversion" {
		t.Fatalf("labels %v", l)
	}
	if n := f.Meta.Notices; len(n) != 1 || n[0].Text != "Checkout conversion · empty: no values in the time range; no chart" {
		t.Fatalf("notices %+v", n)
	}
}
