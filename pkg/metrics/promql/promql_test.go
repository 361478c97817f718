package promql_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/prometheus"
	"github.com/kaizenops/suite/pkg/prometheus/promtest"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/drift"
	spcstats "github.com/kaizenops/suite/pkg/stats/spc"
)

func TestMain(m *testing.M) { os.Exit(promtest.Main(m)) }

// The data set (pkg/prometheus/testdata/series.om), one sample a minute from T0:
//
//	kaizen_request_latency_seconds{service="checkout"}  minutes 0..19: 0.20, 0.22 alternating;
//	    20..29: 0.24 0.24 0.30 0.24 0.24 0.32 0.24 0.24 0.24 0.24 (a shift up, two spikes)
//	kaizen_request_latency_seconds{service="search"}    0.10, 0.11, 0.12 repeating (minutes 0..29)
//	kaizen_odd_values                                   1, NaN, +Inf, -Inf, 2 at minutes 0..4; 3 at minute 15
var t0 = promtest.T0

func env(t *testing.T, from, to time.Time) query.Env {
	t.Helper()
	e := benchEnv(t, promtest.URL(t))
	e.From, e.To, e.Now = from, to, to
	return e
}

// benchEnv is a dashboard's environment with a client of the Prometheus at url.
func benchEnv(t testing.TB, url string) query.Env {
	t.Helper()
	c, err := prometheus.New(prometheus.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return query.Env{Interval: time.Minute, MaxDataPoints: 1000, Prometheus: c}
}

func run(t *testing.T, e query.Env, q models.Query) (data.Frames, error) {
	t.Helper()
	q.Normalize()
	return metrics.Engine().Run(context.Background(), e, q)
}

func promQuery(expr, legend, bucket string) models.Query {
	return models.Query{RefID: "A", QueryType: models.QueryTypePrometheus, Bucket: bucket,
		Prometheus: &models.PrometheusOptions{Expr: expr, LegendFormat: legend}}
}

func values(t *testing.T, f *data.Field) []*float64 {
	t.Helper()
	out := make([]*float64, f.Len())
	for i := range out {
		out[i], _ = f.At(i).(*float64)
	}
	return out
}

func TestPrometheusQueryType(t *testing.T) {
	// [T0, T0+29m] at the panel's 1m interval: 29 min / 1000 points = 1.7 s is under the
	// 1m floor, so the step is 1m and each minute's sample comes back: 30 points.
	e := env(t, t0, t0.Add(29*time.Minute))

	t.Run("series with their labels, named by the legend format", func(t *testing.T) {
		frames, err := run(t, e, promQuery(`kaizen_request_latency_seconds`, "{{service}} p95", "auto"))
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != 2 {
			t.Fatalf("%d frames", len(frames))
		}
		for i, svc := range []string{"checkout", "search"} {
			f := frames[i]
			want := promtest.Series(t, "kaizen_request_latency_seconds", `env="prod",service="`+svc+`"`)
			tf, vf := f.Fields[0], f.Fields[1]
			if f.RefID != "A" || tf.Len() != len(want) || len(want) != 30 {
				t.Fatalf("%s: refId %q, %d points", svc, f.RefID, tf.Len())
			}
			for j, w := range want {
				if got := tf.At(j).(time.Time); !got.Equal(w.At) || *vf.At(j).(*float64) != w.Value {
					t.Fatalf("%s point %d = %v %v, want %v %v", svc, j, got, *vf.At(j).(*float64), w.At, w.Value)
				}
			}
			if vf.Labels["service"] != svc || vf.Labels["env"] != "prod" || vf.Labels["__name__"] != "kaizen_request_latency_seconds" {
				t.Fatalf("labels %v", vf.Labels)
			}
			if vf.Config.DisplayNameFromDS != svc+" p95" || tf.Config.Interval != 60000 || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
				t.Fatalf("display %q, interval %v, type %s", vf.Config.DisplayNameFromDS, tf.Config.Interval, f.Meta.Type)
			}
		}
		if !strings.Contains(frames[0].Meta.ExecutedQueryString, "Step: 1m\n") {
			t.Fatalf("executed %q", frames[0].Meta.ExecutedQueryString)
		}
	})

	t.Run("default names; $__interval replaced in the backend", func(t *testing.T) {
		frames, err := run(t, e, promQuery(`max_over_time(kaizen_request_latency_seconds{service="checkout"}[$__interval])`, "", "auto"))
		if err != nil {
			t.Fatal(err)
		}
		if n := frames[0].Fields[1].Config.DisplayNameFromDS; n != `{env="prod", service="checkout"}` {
			t.Fatalf("display %q", n)
		}
		if q := frames[0].Meta.ExecutedQueryString; !strings.HasPrefix(q, `Expr: max_over_time(kaizen_request_latency_seconds{service="checkout"}[1m])`) {
			t.Fatalf("executed %q", q)
		}
	})

	t.Run("a fixed bucket is the exact step", func(t *testing.T) {
		// step 5m over [T0, T0+29m]: minutes 0, 5, ..., 25 → 0.20, 0.22 (minute 5 is odd), 0.20, 0.22, 0.24, 0.32
		frames, err := run(t, e, promQuery(`kaizen_request_latency_seconds{service="checkout"}`, "", "5m"))
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{0.2, 0.22, 0.2, 0.22, 0.24, 0.32}
		got := values(t, frames[0].Fields[1])
		if len(got) != len(want) {
			t.Fatalf("%d points", len(got))
		}
		for i := range want {
			if *got[i] != want[i] {
				t.Fatalf("point %d = %v, want %v", i, *got[i], want[i])
			}
		}
	})

	t.Run("NaN and ±Inf become null with a notice; the gap is absent", func(t *testing.T) {
		frames, err := run(t, env(t, t0, t0.Add(15*time.Minute)), promQuery(`kaizen_odd_values`, "", "1m"))
		if err != nil {
			t.Fatal(err)
		}
		// minutes 0..9 (5..9 repeat 2 within the 5-minute lookback) and 15; 10..14 absent
		got := values(t, frames[0].Fields[1])
		want := []*float64{fp(1), nil, nil, nil, fp(2), fp(2), fp(2), fp(2), fp(2), fp(2), fp(3)}
		if len(got) != len(want) || frames[0].Fields[0].At(10).(time.Time) != t0.Add(15*time.Minute) {
			t.Fatalf("%d points", len(got))
		}
		for i := range want {
			if (got[i] == nil) != (want[i] == nil) || (got[i] != nil && *got[i] != *want[i]) {
				t.Fatalf("point %d = %v, want %v", i, got[i], want[i])
			}
		}
		n := frames[0].Meta.Notices
		if len(n) != 1 || n[0].Text != `kaizen_odd_values{service="checkout"}: 3 samples were NaN or ±Inf, shown as null (no value); control charts and drift leave them out` {
			t.Fatalf("notices %+v", n)
		}
	})

	t.Run("bucket none: an instant query at the end of the range", func(t *testing.T) {
		frames, err := run(t, env(t, t0, t0.Add(22*time.Minute)), promQuery(`kaizen_request_latency_seconds`, "{{service}}", "none"))
		if err != nil {
			t.Fatal(err)
		}
		// minute 22: checkout 0.30 (a spike); search 0.10 + 0.01·(22 mod 3) = 0.11
		if len(frames) != 2 || frames[0].Meta.Type != data.FrameTypeNumericMulti {
			t.Fatalf("%d frames", len(frames))
		}
		for i, want := range map[int]float64{0: 0.3, 1: 0.11} {
			vf := frames[i].Fields[0]
			if vf.Len() != 1 || *vf.At(0).(*float64) != want || vf.Config.DisplayNameFromDS != []string{"checkout", "search"}[i] {
				t.Fatalf("frame %d: %v %q", i, vf.At(0), vf.Config.DisplayNameFromDS)
			}
		}
	})

	t.Run("table: one long frame with a column per label", func(t *testing.T) {
		q := promQuery(`kaizen_request_latency_seconds`, "", "10m")
		q.Format = models.FormatTable
		frames, err := run(t, e, q)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		names := []string{}
		for _, fl := range f.Fields {
			names = append(names, fl.Name)
		}
		// minutes 0, 10, 20 per service; __name__ is shared and names the result instead
		if strings.Join(names, ",") != "time,env,service,value" || f.Rows() != 6 || f.Fields[2].At(3) != "search" || *f.Fields[3].At(2).(*float64) != 0.24 {
			t.Fatalf("fields %v rows %d", names, f.Rows())
		}
	})

	t.Run("no series: an empty frame keeps the schema", func(t *testing.T) {
		frames, err := run(t, e, promQuery(`kaizen_no_such_metric`, "", "auto"))
		if err != nil || len(frames) != 1 || frames[0].Rows() != 0 || len(frames[0].Fields) != 2 {
			t.Fatalf("%v %v", frames, err)
		}
	})

	t.Run("more than 11,000 steps: the step is raised, with a notice", func(t *testing.T) {
		// 30 days at bucket 1m = 43,200 steps; 2,592,000 s / 10,999 = 235.7 → 236 s = 3m56s
		frames, err := run(t, env(t, t0.Add(-15*24*time.Hour), t0.Add(15*24*time.Hour)), promQuery(`kaizen_error_ratio`, "", "1m"))
		if err != nil {
			t.Fatal(err)
		}
		if n := frames[0].Meta.Notices; len(n) != 1 || n[0].Text != "step raised from 1m to 3m56s: Prometheus answers at most 11000 steps per series" {
			t.Fatalf("notices %+v", n)
		}
	})
}

func fp(v float64) *float64 { return &v }

func TestPrometheusQueryErrors(t *testing.T) {
	e := env(t, t0, t0.Add(time.Hour))
	cases := []struct {
		name string
		env  query.Env
		q    models.Query
		want string
	}{
		{"bad PromQL", e, promQuery(`sum(rate(kaizen_error_ratio[5m])`, "", "auto"),
			"prometheus query: Prometheus refused the query (bad_data): 1:33: parse error: unclosed left parenthesis"},
		{"evaluation error", e, promQuery(`kaizen_request_latency_seconds + on() kaizen_request_latency_seconds`, "", "auto"),
			"prometheus query: Prometheus failed to evaluate the query (execution): "},
		{"no expression", e, promQuery("  ", "", "auto"), "prometheus query: prometheus.expr is missing: give a PromQL expression"},
		{"no options", e, models.Query{QueryType: models.QueryTypePrometheus}, "prometheus.expr is missing"},
		{"unknown metric", e, func() models.Query { q := promQuery("up", "", ""); q.Metric = "rate"; return q }(), `unknown prometheus metric "rate"; use series`},
		{"group by", e, func() models.Query { q := promQuery("up", "", ""); q.GroupBy = []string{"service"}; return q }(), "group in PromQL instead, e.g. sum by (service) (...)"},
		{"filters", e, func() models.Query {
			q := promQuery("up", "", "")
			q.Filters = map[string][]string{"service": {"api"}}
			return q
		}(), `filters.service: filter in PromQL with a label matcher instead, e.g. {service="api"}`},
		{"bad bucket", e, promQuery("up", "", "soon"), `bucket: duration "soon": use forms such as 30s, 5m, 1h, 1d, 1w (the step of a prometheus query`},
		{"bad step", e, models.Query{QueryType: models.QueryTypePrometheus, Prometheus: &models.PrometheusOptions{Expr: "up", Step: "-1m"}}, `prometheus.step: duration "-1m" must be positive`},
		{"not configured", query.Env{From: t0, To: t0.Add(time.Hour)}, promQuery("up", "", ""), "no Prometheus is configured for this data source: set its Prometheus URL"},
		{"unreachable", func() query.Env {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			c, _ := prometheus.New(prometheus.Config{URL: srv.URL, User: "u", Password: "topsecret"})
			return query.Env{From: t0, To: t0.Add(time.Hour), Prometheus: c}
		}(), promQuery("up", "", ""), "is unreachable: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := run(t, c.env, c.q)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "topsecret") {
				t.Fatalf("error %v\nwant %q", err, c.want)
			}
		})
	}

	t.Run("a cancelled query wraps context.Canceled (the handler answers with a timeout status)", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		q := promQuery("kaizen_error_ratio", "", "")
		q.Normalize()
		_, err := metrics.Engine().Run(ctx, e, q)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v", err)
		}
	})
}

// TestSPCOverPromQL: a control chart whose source is a PromQL expression flags
// exactly the hand-worked points, and agrees with pkg/stats/spc on the same values.
//
// checkout, baseline = the first 20 points (0.20, 0.22 alternating): CL = 0.21, every
// moving range 0.02, σ = 0.02 / 1.128 = 0.017730, UCL = 0.21 + 3σ = 0.263191.
// nelson-1 (beyond a limit): minutes 22 (0.30) and 25 (0.32). nelson-2 (9 in a row on
// one side): minute 19 (0.22) and minutes 20..29 are all above 0.21, so the run first
// completes at minute 27 (19..27), and again at 28 and 29.
// search (0.10, 0.11, 0.12): CL 0.1095, no rule fires.
func TestSPCOverPromQL(t *testing.T) {
	e := env(t, t0, t0.Add(29*time.Minute))
	points := 20
	spcQuery := func(metric string) models.Query {
		src := promQuery(`kaizen_request_latency_seconds`, "", "auto")
		return models.Query{RefID: "S", QueryType: models.QueryTypeSPC, Metric: metric, SPC: &models.SPCOptions{
			Chart: "xmr", Rules: []string{"nelson-1", "nelson-2"}, Baseline: &models.SPCBaseline{Points: &points}, Source: &src}}
	}
	frames, err := run(t, e, spcQuery("chart"))
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 2 {
		t.Fatalf("%d frames", len(frames))
	}
	byField := func(f *data.Frame, name string) *data.Field {
		fl, _ := f.FieldByName(name)
		if fl == nil {
			t.Fatalf("no field %s", name)
		}
		return fl
	}
	sigma := 0.02 / 1.128
	want := map[string]map[int]string{
		"checkout": {22: "nelson-1", 25: "nelson-1", 27: "nelson-2", 28: "nelson-2", 29: "nelson-2"},
		"search":   {},
	}
	for _, f := range frames {
		vf := byField(f, "value")
		svc := vf.Labels["service"]
		if vf.Config.DisplayNameFromDS != "kaizen_request_latency_seconds · prod / "+svc {
			t.Fatalf("display %q", vf.Config.DisplayNameFromDS)
		}
		viol := byField(f, "violations")
		for i := 0; i < viol.Len(); i++ {
			if got := viol.At(i).(string); got != want[svc][i] {
				t.Fatalf("%s minute %d violations %q, want %q", svc, i, got, want[svc][i])
			}
		}
		if svc == "checkout" {
			cl, ucl := byField(f, "cl").At(0).(float64), byField(f, "ucl").At(0).(float64)
			if math.Abs(cl-0.21) > 1e-12 || math.Abs(ucl-(0.21+3*sigma)) > 1e-12 {
				t.Fatalf("cl %v ucl %v", cl, ucl)
			}
		}
		// Cross-check: pkg/stats/spc on the file's values.
		samples := promtest.Series(t, "kaizen_request_latency_seconds", `env="prod",service="`+svc+`"`)
		res, err := spcstats.Compute(spcstats.Input{Values: promtest.Values(samples)},
			spcstats.Options{Chart: spcstats.XmR, Rules: []string{"nelson-1", "nelson-2"}, Baseline: spcstats.Baseline{Points: &points}})
		if err != nil {
			t.Fatal(err)
		}
		flagged := map[int]string{}
		for _, v := range res.Violations {
			flagged[v.Index] = string(v.Rule)
		}
		if fmt.Sprint(flagged) != fmt.Sprint(want[svc]) {
			t.Fatalf("%s: pkg/stats/spc flags %v, want %v", svc, flagged, want[svc])
		}
	}

	// What an alert rule reads: violations per series in the range.
	frames, err = run(t, e, spcQuery("violations"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range frames {
		got[f.Fields[0].Labels["service"]] = *f.Fields[0].At(0).(*float64)
	}
	if got["checkout"] != 5 || got["search"] != 0 || len(got) != 2 {
		t.Fatalf("violations %v", got)
	}

	t.Run("a source error names the source", func(t *testing.T) {
		q := spcQuery("chart")
		q.SPC.Source.Prometheus.Expr = "rate(("
		_, err := run(t, e, q)
		if err == nil || !strings.HasPrefix(err.Error(), "spc query: spc.source (prometheus query): Prometheus refused the query (bad_data): ") {
			t.Fatalf("error %v", err)
		}
	})
}

// TestDriftOverPromQL: the model query type's drift statistics over two windows of
// a PromQL series equal pkg/stats/drift on the same values. kaizen_error_ratio:
// minutes 0..59 (the reference) 0.010 + 0.001·(k mod 7); minutes 60..119 (the
// dashboard's range) 0.014 + 0.001·(k mod 5).
func TestDriftOverPromQL(t *testing.T) {
	e := env(t, t0.Add(time.Hour), t0.Add(2*time.Hour))
	all := promtest.Values(promtest.Series(t, "kaizen_error_ratio", `service="checkout"`))
	ref, cur := all[:60], all[60:]
	src := promQuery(`kaizen_error_ratio`, "", "1m")
	for _, metric := range []string{"psi", "ks", "wasserstein_normed", "jsd"} {
		t.Run(metric, func(t *testing.T) {
			q := models.Query{RefID: "M", QueryType: models.QueryTypeModel, Metric: metric, Bucket: "none", Model: &models.ModelOptions{
				Source:    &src,
				Reference: &models.ModelReference{Type: "range", From: "2024-03-01T00:00:00Z", To: "2024-03-01T01:00:00Z"}}}
			frames, err := run(t, e, q)
			if err != nil {
				t.Fatal(err)
			}
			var want drift.Result
			switch metric {
			case "psi":
				r, _ := drift.PSI(ref, cur, drift.PSIOptions{})
				want = r.Result
			case "ks":
				r, _ := drift.KS(ref, cur, drift.KSOptions{})
				want = r.Result
			case "wasserstein_normed":
				w, _ := drift.WassersteinOf(ref, cur)
				want = w.NormedResult(0)
			case "jsd":
				r, _ := drift.JSD(ref, cur, drift.JSDOptions{})
				want = r.Result
			}
			vf := frames[0].Fields[0]
			if len(frames) != 1 || vf.Labels["service"] != "checkout" || *vf.At(0).(*float64) != want.Statistic || !want.Drifted {
				t.Fatalf("%s = %v (labels %v), pkg/stats/drift says %v (drifted %v)", metric, vf.At(0), vf.Labels, want.Statistic, want.Drifted)
			}
		})
	}
}
