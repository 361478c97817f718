package delivery_test

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/delivery"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked data set (testdata/*.ndjson), range 2024-01-01 to 2024-01-08 UTC,
// production unless marked:
//
//	D0  api  Dec 31 23:00 success                  (before the range)
//	D1  api  Jan 1 02:00  success  commit Dec 31 22:00  lead 4h = 14400
//	D2  api  Jan 1 03:00  failed   (status)              recovered by D3 at 05:00: 7200
//	D3  api  Jan 1 05:00  success  commit 04:00          lead 1h = 3600
//	D4  web  Jan 1 12:00  success  commit 00:00          lead 12h = 43200; failed: INC-W names it;
//	                                                     INC-W resolved 14:00 (7200) before D5 (45h)
//	S1  api  Jan 1 06:00  failed   staging
//	S2  web  Jan 2 10:00  success  staging               (no production deployment on Jan 2)
//	D5  web  Jan 3 09:00  success  no commit_at          (no lead time)
//	D6  web  Jan 3 10:00  rolled_back                    recovered by D7 at 16:00: 21600
//	D7  web  Jan 3 16:00  success  commit 15:00          lead 3600
//	D8  api  Jan 3 20:00  success  commit 19:30          lead 1800; failed: INC-A names "api:D8" and is
//	                                                     still open; recovered by D10 (Jan 8 00:00): 100h = 360000
//	D11 web  Jan 7 10:00  failed                         not recovered yet (no value)
//	D10 api  Jan 8 00:00  success                        (the range end: outside)
//
// Per day, production: deployments 4,0,4,0,0,0,1; failed 2 (D2,D4), 0, 2 (D6,D8), 0,0,0, 1 (D11).
var (
	from = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
)

func load(t *testing.T, st store.Store, kind, file string, want int) {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, _ := ingest.DefaultKinds().Get(kind)
	res, err := ingest.Ingest(context.Background(), st, k, ingest.NDJSON, f, ingest.Options{Now: to})
	if err != nil || res.Stored != want || len(res.Rejected) != 0 {
		t.Fatalf("loading %s: %+v, %v", file, res, err)
	}
}

func loadHand(t *testing.T, st store.Store) {
	t.Helper()
	load(t, st, "deployments", "deployments.ndjson", 13)
	load(t, st, "incidents", "incidents.ndjson", 3)
}

func f(v float64) *float64 { return &v }

type series struct {
	group  []string
	values []*float64
}

func TestDeliveryMetricsHandComputed(t *testing.T) {
	none := (*float64)(nil)
	cases := []struct {
		name     string
		q        models.Query
		from, to time.Time
		want     []series
	}{
		{"deployments per day, zero on days without any",
			models.Query{Metric: "deployments", Bucket: "1d"}, from, to,
			[]series{{nil, []*float64{f(4), f(0), f(4), f(0), f(0), f(0), f(1)}}}},
		{"deployment frequency over the range: 9 deployments / 7 days",
			models.Query{Metric: "deployment_frequency", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(9.0 / 7)}}}},
		{"deployment frequency in a partial first bucket: D4 in the 12h from noon = 2/day",
			models.Query{Metric: "deployment_frequency", Bucket: "1d"}, from.Add(12 * time.Hour), from.Add(72 * time.Hour),
			[]series{{nil, []*float64{f(2), f(0), f(4)}}}},
		{"deployment frequency per ISO week: one Monday-aligned bucket, 9/7",
			models.Query{Metric: "deployment_frequency", Bucket: "1w"}, from, to,
			[]series{{nil, []*float64{f(9.0 / 7)}}}},
		{"change failure rate per day: no deployments, no value",
			models.Query{Metric: "change_failure_rate", Bucket: "1d"}, from, to,
			[]series{{nil, []*float64{f(0.5), none, f(0.5), none, none, none, f(1)}}}},
		{"change failure rate over the range: (D2, D4, D6, D8, D11) / 9",
			models.Query{Metric: "change_failure_rate", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(5.0 / 9)}}}},
		{"change failure rate by service: api D2, D8 of 4; web D4, D6, D11 of 5",
			models.Query{Metric: "change_failure_rate", Bucket: "none", GroupBy: []string{"service"}}, from, to,
			[]series{{[]string{"api"}, []*float64{f(0.5)}}, {[]string{"web"}, []*float64{f(0.6)}}}},
		{"failed deployments per day",
			models.Query{Metric: "failed_deployments", Bucket: "1d"}, from, to,
			[]series{{nil, []*float64{f(2), f(0), f(2), f(0), f(0), f(0), f(1)}}}},
		{"grouping by environment lifts the production default",
			models.Query{Metric: "deployments", Bucket: "none", GroupBy: []string{"environment"}}, from, to,
			[]series{{[]string{"production"}, []*float64{f(9)}}, {[]string{"staging"}, []*float64{f(2)}}}},
		{"filtering on staging: S1 failed of S1, S2",
			models.Query{Metric: "change_failure_rate", Bucket: "none", Filters: map[string][]string{"environment": {"staging"}}}, from, to,
			[]series{{nil, []*float64{f(0.5)}}}},
		{"any environment (a variable's All) lifts the production default: 9 + 2 deployments",
			models.Query{Metric: "deployments", Bucket: "none", Filters: map[string][]string{"environment": {"*"}}}, from, to,
			[]series{{nil, []*float64{f(11)}}}},
		{"any service and team is no filter: the same 5/9 as without filters",
			models.Query{Metric: "change_failure_rate", Bucket: "none", Filters: map[string][]string{"service": {"*"}, "team": {"core", "*"}}}, from, to,
			[]series{{nil, []*float64{f(5.0 / 9)}}}},
		{"lead time median per day: Jan 1 {14400, 3600, 43200}, Jan 3 {3600, 1800}; D5 has no commit",
			models.Query{Metric: "lead_time", Bucket: "1d"}, from, to,
			[]series{{nil, []*float64{f(14400), none, f(2700), none, none, none, none}}}},
		{"lead time mean over the range: 66600 / 5",
			models.Query{Metric: "lead_time", Stat: "mean", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(13320)}}}},
		{"lead time p90 over the range: 14400 + 0.6 × (43200 − 14400)",
			models.Query{Metric: "lead_time", Stat: "p90", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(31680)}}}},
		{"lead time count counts successful deployments with a commit",
			models.Query{Metric: "lead_time", Stat: "count", Bucket: "none", GroupBy: []string{"team"}}, from, to,
			[]series{{[]string{"core"}, []*float64{f(3)}}, {[]string{"edge"}, []*float64{f(2)}}}},
		{"recovery per day: Jan 1 {7200, 7200}, Jan 3 {21600, 360000}; D11 not recovered",
			models.Query{Metric: "recovery_time", Bucket: "1d"}, from, to,
			[]series{{nil, []*float64{f(7200), none, f((21600 + 360000) / 2.0), none, none, none, none}}}},
		{"recovery median over the range of {7200, 7200, 21600, 360000}",
			models.Query{Metric: "recovery_time", Bucket: "none"}, from, to,
			[]series{{nil, []*float64{f(14400)}}}},
		{"recovery max by service: api D8 360000, web D6 21600",
			models.Query{Metric: "recovery_time", Stat: "max", Bucket: "none", GroupBy: []string{"service"}}, from, to,
			[]series{{[]string{"api"}, []*float64{f(360000)}}, {[]string{"web"}, []*float64{f(21600)}}}},
		{"bands over the range: frequency 9/7 per day is elite",
			models.Query{Metric: "deployment_frequency", Bucket: "none", Delivery: &models.DeliveryOptions{Band: true}}, from, to,
			[]series{{nil, []*float64{f(4)}}}},
		{"bands: change failure rate 5/9 is low",
			models.Query{Metric: "change_failure_rate", Bucket: "none", Delivery: &models.DeliveryOptions{Band: true}}, from, to,
			[]series{{nil, []*float64{f(1)}}}},
		{"bands: recovery median 4h is high",
			models.Query{Metric: "recovery_time", Bucket: "none", Delivery: &models.DeliveryOptions{Band: true}}, from, to,
			[]series{{nil, []*float64{f(3)}}}},
		{"bands per day: lead time elite on days with a value, none without",
			models.Query{Metric: "lead_time", Bucket: "1d", Delivery: &models.DeliveryOptions{Band: true}}, from, to,
			[]series{{nil, []*float64{f(4), none, f(4), none, none, none, none}}}},
		{"bands of a deployment count use its rate: 4 on a day is elite, 0 is low",
			models.Query{Metric: "deployments", Bucket: "1d", Delivery: &models.DeliveryOptions{Band: true}}, from, to,
			[]series{{nil, []*float64{f(4), f(1), f(4), f(1), f(1), f(1), f(4)}}}},
		{"an empty range still has its one series",
			models.Query{Metric: "lead_time", Bucket: "none"}, from.AddDate(1, 0, 0), to.AddDate(1, 0, 0),
			[]series{{nil, []*float64{none}}}},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				env := query.Env{Store: st, From: c.from, To: c.to, Now: to}
				c.q.QueryType = models.QueryTypeDelivery
				c.q.Normalize()
				res, err := delivery.Compute(context.Background(), env, c.q)
				if err != nil {
					t.Fatal(err)
				}
				checkSeries(t, res, c.want)
			})
		}
	})
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

func TestDeliveryFrames(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadHand(t, st)
	env := query.Env{Store: st, From: from, To: to, Now: to}
	run := func(q models.Query) data.Frames {
		t.Helper()
		q.QueryType = models.QueryTypeDelivery
		q.Normalize()
		frames, err := delivery.Frames(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		return frames
	}

	// A band query: the value is the level, and mappings show the name in a color.
	frames := run(models.Query{Metric: "recovery_time", Bucket: "none", Delivery: &models.DeliveryOptions{Band: true}})
	v := frames[0].Fields[0]
	if v.Name != "recovery_time_band" || v.Config.DisplayNameFromDS != "Failed deployment recovery time (median) · DORA band" || len(v.Config.Mappings) != 1 {
		t.Fatalf("band field %s config %+v", v.Name, v.Config)
	}
	mapper := v.Config.Mappings[0].(data.ValueMapper)
	if r := mapper["3"]; r.Text != "High" || r.Color != "blue" {
		t.Fatalf("mapping of 3: %+v", r)
	}

	// A table: each row's band beside its value; no value, no band.
	frames = run(models.Query{Metric: "change_failure_rate", Bucket: "1d", Format: "table"})
	fr := frames[0]
	if len(fr.Fields) != 3 || fr.Fields[0].Name != "time" || fr.Fields[1].Name != "change_failure_rate" || fr.Fields[2].Name != "band" {
		t.Fatalf("table fields %v", fieldNames(fr))
	}
	wantBands := []string{"Low", "", "Low", "", "", "", "Low"}
	for i, w := range wantBands {
		got, ok := fr.Fields[2].ConcreteAt(i)
		if (w == "") != !ok || (ok && got.(string) != w) {
			t.Errorf("row %d band %v, want %q", i, got, w)
		}
	}
	// Deployments per day in a table: the band comes from the per-day rate.
	frames = run(models.Query{Metric: "deployments", Bucket: "1d", Format: "table"})
	if b, _ := frames[0].Fields[2].ConcreteAt(1); b.(string) != "Low" {
		t.Fatalf("a day without deployments is %v, want Low", b)
	}
	if b, _ := frames[0].Fields[2].ConcreteAt(0); b.(string) != "Elite" {
		t.Fatalf("a day of 4 deployments is %v, want Elite", b)
	}
}

func TestBandBoundaries(t *testing.T) {
	const hour, day = 3600.0, 86400.0
	cases := []struct {
		name string
		got  delivery.Band
		want delivery.Band
	}{
		{"1 deployment a day is elite", delivery.FrequencyBand(1), delivery.Elite},
		{"just under daily is high", delivery.FrequencyBand(0.99), delivery.High},
		{"weekly is high", delivery.FrequencyBand(1.0 / 7), delivery.High},
		{"just under weekly is medium", delivery.FrequencyBand(1.0/7 - 1e-9), delivery.Medium},
		{"once in 30 days is medium", delivery.FrequencyBand(1.0 / 30), delivery.Medium},
		{"once in 31 days is low", delivery.FrequencyBand(1.0 / 31), delivery.Low},
		{"no deployments is low", delivery.FrequencyBand(0), delivery.Low},
		{"lead time under a day is elite", delivery.LeadTimeBand(day - 1), delivery.Elite},
		{"lead time of a day is high", delivery.LeadTimeBand(day), delivery.High},
		{"lead time of a week is high", delivery.LeadTimeBand(7 * day), delivery.High},
		{"lead time of a week and a second is medium", delivery.LeadTimeBand(7*day + 1), delivery.Medium},
		{"lead time of 30 days is medium", delivery.LeadTimeBand(30 * day), delivery.Medium},
		{"lead time over 30 days is low", delivery.LeadTimeBand(30*day + 1), delivery.Low},
		{"5% failures is elite", delivery.ChangeFailureBand(0.05), delivery.Elite},
		{"10% is high", delivery.ChangeFailureBand(0.10), delivery.High},
		{"20% is medium", delivery.ChangeFailureBand(0.20), delivery.Medium},
		{"21% is low", delivery.ChangeFailureBand(0.21), delivery.Low},
		{"recovery under an hour is elite", delivery.RecoveryBand(hour - 1), delivery.Elite},
		{"recovery of an hour is high", delivery.RecoveryBand(hour), delivery.High},
		{"recovery of a day is medium", delivery.RecoveryBand(day), delivery.Medium},
		{"recovery of a week is low", delivery.RecoveryBand(7 * day), delivery.Low},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, c.got.Name(), c.want.Name())
		}
	}
}

func TestDeliveryQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	env := query.Env{Store: st, From: from, To: to}
	cases := []struct {
		name string
		q    models.Query
	}{
		{"unknown metric", models.Query{Metric: "mttr"}},
		{"unknown stat", models.Query{Metric: "lead_time", Stat: "average"}},
		{"group by a column not allowed", models.Query{Metric: "deployments", GroupBy: []string{"version"}}},
		{"group by injection", models.Query{Metric: "deployments", GroupBy: []string{"d.service; DROP TABLE deployments"}}},
		{"filter on a column not allowed", models.Query{Metric: "deployments", Filters: map[string][]string{"labels": {"x"}}}},
		{"bad bucket", models.Query{Metric: "deployments", Bucket: "fortnight"}},
		{"band of failed deployments", models.Query{Metric: "failed_deployments", Delivery: &models.DeliveryOptions{Band: true}}},
		{"band of a lead time count", models.Query{Metric: "lead_time", Stat: "count", Delivery: &models.DeliveryOptions{Band: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Normalize()
			_, err := delivery.Compute(context.Background(), env, c.q)
			if err == nil {
				t.Fatalf("query %+v was accepted", c.q)
			}
			t.Log(err)
		})
	}
	if c, err := st.Counts(context.Background()); err != nil || c["deployments"] != 0 {
		t.Fatalf("deployments table damaged: %v %v", c, err)
	}
}

func TestDeliveryFilterValuesAreParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		env := query.Env{Store: st, From: from, To: to}
		q := models.Query{Metric: "deployments", Bucket: "none", Filters: map[string][]string{"service": {"api' OR '1'='1"}}}
		q.Normalize()
		res, err := delivery.Compute(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		if v := res.Series[0].Values[0]; v == nil || *v != 0 {
			t.Fatalf("injection-shaped filter matched deployments: %s", show(v))
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
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}

// TestIncidentStartedDuringRollout: impact may begin before the deployment that caused
// it finished rolling out; the link still counts when the range starts at the deployment.
func TestIncidentStartedDuringRollout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		dk, _ := ingest.DefaultKinds().Get("deployments")
		ik, _ := ingest.DefaultKinds().Get("incidents")
		ctx := context.Background()
		if r, err := ingest.Ingest(ctx, st, dk, ingest.NDJSON, strings.NewReader(`{"id":"R1","service":"api","environment":"production","deployed_at":"2024-02-01T10:00:00Z"}`), ingest.Options{Now: time.Now()}); err != nil || r.Stored != 1 {
			t.Fatal(r, err)
		}
		if r, err := ingest.Ingest(ctx, st, ik, ingest.NDJSON, strings.NewReader(`{"id":"I1","started_at":"2024-02-01T09:30:00Z","resolved_at":"2024-02-01T10:45:00Z","caused_by_deployment":"R1"}`), ingest.Options{Now: time.Now()}); err != nil || r.Stored != 1 {
			t.Fatal(err)
		}
		env := query.Env{Store: st, From: time.Date(2024, 2, 1, 10, 0, 0, 0, time.UTC), To: time.Date(2024, 2, 1, 11, 0, 0, 0, time.UTC)}
		for metric, want := range map[string]float64{"change_failure_rate": 1, "recovery_time": 45 * 60} {
			q := models.Query{QueryType: models.QueryTypeDelivery, Metric: metric, Bucket: "none"}
			q.Normalize()
			res, err := delivery.Compute(ctx, env, q)
			if err != nil {
				t.Fatal(err)
			}
			if v := res.Series[0].Values[0]; !sameValue(v, f(want)) {
				t.Errorf("%s = %s, want %v", metric, show(v), want)
			}
		}
	})
}
