package postmortems_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/postmortems"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked April 2024 (testdata/): now is 2024-05-01T00:00Z, weeks start on
// Mondays (2024-04-01 is one): 04-01, 04-08, 04-15, 04-22, 04-29 (cut at 05-01).
//
//	incident  service   severity  started      resolved     postmortem (counts at)          themes
//	I0        search    sev2      03-20 00:00  03-20 01:00  PM-0 03-21                      disk
//	I1        checkout  sev1      04-01 10:00  04-01 12:00  PM-1 04-03 09:00 (in 5d)        dns
//	I2        checkout  sev2      04-02 08:00  04-02 09:00  PM-2 created 04-10 (late)       capacity
//	I3        cart      SEV2      04-03 00:00  04-03 01:00  none (PM-3 names pagerduty's I3)
//	I4        checkout  sev3      04-04 10:00  04-04 11:00  PM-4 04-05                      dns (sent as DNS)
//	I10       cart      sev2      04-06 00:00  04-06 01:00  PM-10 04-08                     dns
//	I7        checkout  P1        04-10 00:00  04-10 01:00  none                            (not a ranked severity)
//	I11       search    sev1      04-15 00:00  04-15 03:00  PM-11 04-20 03:00 (exactly 5d)  disk
//	I9        checkout  sev2      04-20 00:00  04-20 01:00  PM-9 04-21                      capacity, network
//	I5        checkout  sev1      04-28 00:00  04-28 02:00  none, due 05-03: not yet due
//	I6        search    sev1      04-29 00:00  open         PM-6 created 04-30 (draft)
//
//	item  owner  created              due         done        postmortem
//	A1    ana    04-03 09:00          04-10       04-09       PM-1 (on time)
//	A2    bo     04-03 09:00          04-10       04-16       PM-1 (late; overdue 04-10..04-16)
//	A3    ana    (PM-2: 04-10)        04-17       open        PM-2 (overdue from 04-17)
//	A4    cy     04-20 03:00          04-24       04-24       I11 (done at its due time: on time)
//	A5    bo     04-21                06-30       open        PM-9 (not due)
//	A6    cy     04-20 03:00          04-29       open        PM-11 (overdue after 04-29, not at it)
//	A8    dee    (PM-6: 04-30)        04-28       open        PM-6 (not overdue before it existed)
//	A9    ana    (PM-4: 04-04 12:00)  none        04-06 12:00 PM-4
var (
	april = time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	may   = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
)

func load(t *testing.T, st store.Store) {
	t.Helper()
	for _, in := range []struct {
		kind, file string
		format     ingest.Format
		stored     int
	}{
		{"incidents", "incidents.ndjson", ingest.NDJSON, 11},
		{"postmortems", "postmortems.csv", ingest.CSV, 9},
		{"action_items", "action_items.ndjson", ingest.NDJSON, 8},
	} {
		f, err := os.Open("testdata/" + in.file)
		if err != nil {
			t.Fatal(err)
		}
		kind, _ := ingest.DefaultKinds().Get(in.kind)
		res, err := ingest.Ingest(context.Background(), st, kind, in.format, f, ingest.Options{Now: may})
		f.Close()
		if err != nil || res.Stored != in.stored || len(res.Rejected) != 0 {
			t.Fatalf("%s: %+v %v", in.kind, res, err)
		}
	}
}

func f(v float64) *float64 { return &v }

type series struct {
	group  []string
	values []*float64
}

func TestPostmortemMetrics(t *testing.T) {
	imp := func(o models.ImprovementOptions) *models.ImprovementOptions { return &o }
	day := 86400.0
	cases := []struct {
		name string
		q    models.Query
		want []series
	}{
		// Covered: I1 I4 I10 I11 I9 I6; due without: I2 (late) and I3; I5 pending; I7 unranked.
		{"coverage over every ranked severity: 6/8", models.Query{Metric: "postmortem_coverage", Bucket: "none"},
			[]series{{nil, []*float64{f(6.0 / 8)}}}},
		{"coverage at sev2 and above: I4 (sev3) leaves, 5/7",
			models.Query{Metric: "postmortem_coverage", Bucket: "none", Improvement: imp(models.ImprovementOptions{MinSeverity: "SEV2"})},
			[]series{{nil, []*float64{f(5.0 / 7)}}}},
		{"coverage of sev1: I1, I11 and the open I6 with its draft; I5 is not due: 3/3",
			models.Query{Metric: "postmortem_coverage", Bucket: "none", Improvement: imp(models.ImprovementOptions{MinSeverity: "sev1"})},
			[]series{{nil, []*float64{f(1)}}}},
		// Within 1 day of resolution: only I9 (04-21 00:00 ≤ 04-21 01:00) and I6; I5 is
		// due (04-29 02:00) and uncovered: 2/8.
		{"coverage within 1 day, sev2 and above",
			models.Query{Metric: "postmortem_coverage", Bucket: "none", Improvement: imp(models.ImprovementOptions{MinSeverity: "sev2", PostmortemDays: f(1)})},
			[]series{{nil, []*float64{f(2.0 / 8)}}}},
		{"coverage per week: a week with only a pending incident has no value",
			models.Query{Metric: "postmortem_coverage", Bucket: "1w", Improvement: imp(models.ImprovementOptions{MinSeverity: "sev2"})},
			[]series{{nil, []*float64{f(0.5), nil, f(1), nil, f(1)}}}},
		{"coverage per service",
			models.Query{Metric: "postmortem_coverage", Bucket: "none", GroupBy: []string{"service"}, Improvement: imp(models.ImprovementOptions{MinSeverity: "sev2"})},
			[]series{{[]string{"cart"}, []*float64{f(0.5)}}, {[]string{"checkout"}, []*float64{f(2.0 / 3)}}, {[]string{"search"}, []*float64{f(1)}}}},
		{"coverage with another severity scheme: P1 only, I7 has none: 0/1",
			models.Query{Metric: "postmortem_coverage", Bucket: "none", Improvement: imp(models.ImprovementOptions{Severities: []string{"P1", "P2"}, MinSeverity: "p1"})},
			[]series{{nil, []*float64{f(0)}}}},

		// Due per week: none; A1 A2; A3; A4 A8; A6.
		{"completion per week: no value where nothing fell due",
			models.Query{Metric: "action_completion", Bucket: "1w"},
			[]series{{nil, []*float64{nil, f(0.5), f(0), f(0.5), f(0)}}}},
		{"completion over April: A1 and A4 of six due; a stat left by the editor changes nothing", models.Query{Metric: "action_completion", Stat: "mean", Bucket: "none"},
			[]series{{nil, []*float64{f(2.0 / 6)}}}},
		{"completion per owner", models.Query{Metric: "action_completion", Bucket: "none", GroupBy: []string{"owner"}},
			[]series{{[]string{"ana"}, []*float64{f(0.5)}}, {[]string{"bo"}, []*float64{f(0)}}, {[]string{"cy"}, []*float64{f(0.5)}}, {[]string{"dee"}, []*float64{f(0)}}}},
		// At 04-08: 0; 04-15: A2; 04-22: A3; 04-29: A3 (A6 due exactly then, A8 not created);
		// 05-01: A3 A6 A8.
		{"overdue at each week's end", models.Query{Metric: "overdue_actions", Bucket: "1w"},
			[]series{{nil, []*float64{f(0), f(1), f(1), f(1), f(3)}}}},
		{"overdue at the end of the range per team", models.Query{Metric: "overdue_actions", Bucket: "none", GroupBy: []string{"team"}},
			[]series{{[]string{"discovery"}, []*float64{f(2)}}, {[]string{"payments"}, []*float64{f(1)}}}},
		{"overdue filtered to an owner", models.Query{Metric: "overdue_actions", Bucket: "none", Filters: map[string][]string{"owner": {"cy"}}},
			[]series{{nil, []*float64{f(1)}}}},
		// A1 5d15h, A2 12d15h, A4 3d21h, A9 2d (from PM-4's creation).
		{"time to close, median of 2d, 3d21h, 5d15h, 12d15h", models.Query{Metric: "action_time_to_close", Bucket: "none"},
			[]series{{nil, []*float64{f((3*day + 21*3600 + 5*day + 15*3600) / 2)}}}},
		{"time to close per week, by closing time", models.Query{Metric: "action_time_to_close", Stat: "mean", Bucket: "1w"},
			[]series{{nil, []*float64{f(2 * day), f(5*day + 15*3600), f(12*day + 15*3600), f(3*day + 21*3600), nil}}}},

		// I4 repeats I1 (dns, 3 days), I11 repeats I0 (disk, 26 days, before the range),
		// I9 repeats I2 (capacity, 17d16h). I10 (cart, dns) repeats nothing: another service.
		{"repeat incidents per week", models.Query{Metric: "repeat_incidents", Bucket: "1w"},
			[]series{{nil, []*float64{f(1), f(0), f(2), f(0), f(0)}}}},
		{"repeat at exactly repeatDays counts", models.Query{Metric: "repeat_incidents", Bucket: "none", Improvement: imp(models.ImprovementOptions{RepeatDays: f(3)})},
			[]series{{nil, []*float64{f(1)}}}},
		{"repeat just past repeatDays does not", models.Query{Metric: "repeat_incidents", Bucket: "none", Improvement: imp(models.ImprovementOptions{RepeatDays: f(2.99)})},
			[]series{{nil, []*float64{f(0)}}}},
		{"a sev3 repeat of a sev1 incident: filters choose the repeating incident only",
			models.Query{Metric: "repeat_incidents", Bucket: "none", Filters: map[string][]string{"severity": {"sev3"}}},
			[]series{{nil, []*float64{f(1)}}}},
		{"repeat incidents per service", models.Query{Metric: "repeat_incidents", Bucket: "none", GroupBy: []string{"service"}},
			[]series{{[]string{"checkout"}, []*float64{f(2)}}, {[]string{"search"}, []*float64{f(1)}}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		load(t, st)
		env := query.Env{Store: st, From: april, To: may, Now: may}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.QueryType = models.QueryTypePostmortems
				c.q.Normalize()
				res, err := postmortems.Compute(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Series) != len(c.want) {
					t.Fatalf("%d series %+v, want %d", len(res.Series), res.Series, len(c.want))
				}
				for i, w := range c.want {
					got := res.Series[i]
					if w.group != nil && strings.Join(got.Group, "/") != strings.Join(w.group, "/") {
						t.Errorf("series %d group %v, want %v", i, got.Group, w.group)
					}
					if len(got.Values) != len(w.values) {
						t.Fatalf("series %v: %d values, want %d", got.Group, len(got.Values), len(w.values))
					}
					for j, wv := range w.values {
						gv := got.Values[j]
						if (gv == nil) != (wv == nil) || (gv != nil && math.Abs(*gv-*wv) > 1e-9*math.Max(1, math.Abs(*wv))) {
							t.Errorf("series %v value %d = %s, want %s", got.Group, j, show(gv), show(wv))
						}
					}
				}
			})
		}
	})
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	b, _ := json.Marshal(*v)
	return string(b)
}

func TestRepeatsTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		load(t, st)
		env := query.Env{Store: st, From: april, To: may, Now: may}
		q := models.Query{QueryType: models.QueryTypePostmortems, Metric: "repeats"}
		q.Normalize()
		frames, err := postmortems.Frames(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		fr := frames[0]
		var rows []string
		for r := 0; r < fr.Rows(); r++ {
			var cells []string
			for _, fl := range fr.Fields {
				switch v := fl.At(r).(type) {
				case time.Time:
					cells = append(cells, v.Format(time.RFC3339))
				case string:
					cells = append(cells, v)
				case float64:
					b, _ := json.Marshal(v)
					cells = append(cells, string(b))
				}
			}
			rows = append(rows, strings.Join(cells, " | "))
		}
		want := []string{
			"2024-04-04T10:00:00Z | I4 | checkout | dns | I1 | 259200",
			"2024-04-15T00:00:00Z | I11 | search | disk | I0 | 2246400",
			"2024-04-20T00:00:00Z | I9 | checkout | capacity | I2 | 1526400",
		}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Fatalf("repeats\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestPostmortemQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	env := query.Env{Store: st, From: april, To: may, Now: may}
	cases := []struct {
		name, has string
		q         models.Query
	}{
		{"unknown metric", `unknown postmortems metric "mttr"`, models.Query{Metric: "mttr"}},
		{"severity not in the order", `improvement.minSeverity "critical" is not in the severity order sev1 > sev2 > sev3 > sev4 > sev5`,
			models.Query{Improvement: &models.ImprovementOptions{MinSeverity: "critical"}}},
		{"repeated severity", `improvement.severities[2] "P1" repeats improvement.severities[0]`,
			models.Query{Improvement: &models.ImprovementOptions{Severities: []string{"p1", "p2", "P1"}}}},
		{"empty severity", `improvement.severities[1] is empty`, models.Query{Improvement: &models.ImprovementOptions{Severities: []string{"p1", " "}}}},
		{"zero days", "improvement.postmortemDays 0", models.Query{Improvement: &models.ImprovementOptions{PostmortemDays: f(0)}}},
		{"NaN days", "improvement.repeatDays NaN", models.Query{Metric: "repeat_incidents", Improvement: &models.ImprovementOptions{RepeatDays: f(math.NaN())}}},
		{"owner is not an incident dimension", `cannot group by "owner"`, models.Query{Metric: "postmortem_coverage", GroupBy: []string{"owner"}}},
		{"severity is not an action item dimension", `cannot filter on "severity"`, models.Query{Metric: "overdue_actions", Filters: map[string][]string{"severity": {"sev1"}}}},
		{"bad stat", `unknown stat "average"`, models.Query{Metric: "action_time_to_close", Stat: "average"}},
		{"the table is not a series", "repeats is a table", models.Query{Metric: "repeats"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Normalize()
			if _, err := postmortems.Compute(context.Background(), env, c.q); err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one containing %q", err, c.has)
			}
		})
	}
}
