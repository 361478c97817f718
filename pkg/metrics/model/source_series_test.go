package model_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/drift"
)

// sourceEngine has the model query type and a "fake" series type: per hour from
// 2024-03-01, service api gives 1, 2, 3, 4 (hours 0..3, the reference) then
// 3, 4, 5, 6 (hours 4..7), with a null at hour 8; service web has values only in
// the reference hours.
func sourceEngine(t *testing.T) (*query.Engine, time.Time) {
	t.Helper()
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	e := query.NewEngine()
	model.Register(e)
	e.RegisterSeries("fake", func(_ context.Context, env query.Env, q models.Query) (query.Result, error) {
		if q.Metric == "broken" {
			return query.Result{}, context.DeadlineExceeded
		}
		res := query.Result{Name: "Latency", FieldName: "latency", GroupBy: []string{"service"}, Bucketed: q.Bucket != "none"}
		api := query.Series{Group: []string{"api"}}
		web := query.Series{Group: []string{"web"}}
		for h, v := range []float64{1, 2, 3, 4, 3, 4, 5, 6, math.NaN()} {
			at := t0.Add(time.Duration(h) * time.Hour)
			if at.Before(env.From) || !at.Before(env.To) {
				continue // only what was asked for: the plan must fetch the reference too
			}
			x := v
			api.Times, api.Values = append(api.Times, at), append(api.Values, &x)
			if h < 4 {
				web.Times, web.Values = append(web.Times, at), append(web.Values, &x)
			}
		}
		res.Series = []query.Series{web, api}
		return res, nil
	})
	return e, t0
}

func sourceQuery(metric, bucket string, ref *models.ModelReference) models.Query {
	src := models.Query{QueryType: "fake", Bucket: "1h"}
	return models.Query{RefID: "D", QueryType: models.QueryTypeModel, Metric: metric, Bucket: bucket,
		Model: &models.ModelOptions{Source: &src, Reference: ref}}
}

func TestDriftOverSourceSeries(t *testing.T) {
	e, t0 := sourceEngine(t)
	env := query.Env{From: t0.Add(4 * time.Hour), To: t0.Add(9 * time.Hour), Now: t0.Add(9 * time.Hour)}
	ref := &models.ModelReference{Type: "range", From: "2024-03-01T00:00:00Z", To: "2024-03-01T04:00:00Z"}

	t.Run("raw Wasserstein: api shifted by exactly 2; web has no current values", func(t *testing.T) {
		threshold := 1.0
		q := sourceQuery("wasserstein", "none", ref)
		q.Model.Threshold = &threshold
		q.Normalize()
		frames, err := e.Run(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		// sorted reference 1 2 3 4 against current 3 4 5 6 (the NaN at hour 8 is no value):
		// W1 = mean |difference| = 2.
		if len(frames) != 2 {
			t.Fatalf("%d frames", len(frames))
		}
		api, web := frames[0].Fields[0], frames[1].Fields[0]
		if api.Labels["service"] != "api" || *api.At(0).(*float64) != 2 || api.Config.DisplayNameFromDS != "Wasserstein distance of Latency · api" {
			t.Fatalf("api %v %v %q", api.Labels, api.At(0), api.Config.DisplayNameFromDS)
		}
		if web.At(0).(*float64) != nil {
			t.Fatalf("web %v", *web.At(0).(*float64))
		}
		if n := frames[0].Meta.Notices; len(n) != 1 || !strings.HasPrefix(n[0].Text, "Latency · web: no values in the current window (2024-03-01T04:00:00Z – 2024-03-01T09:00:00Z)") {
			t.Fatalf("notices %+v", n)
		}
	})

	t.Run("KS and drifted output agree with pkg/stats/drift", func(t *testing.T) {
		q := sourceQuery("ks", "none", ref)
		q.Normalize()
		res, err := e.Series(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := drift.KS([]float64{1, 2, 3, 4}, []float64{3, 4, 5, 6}, drift.KSOptions{})
		// D = 0.5: at x = 2 the reference CDF is 1/2 and the current one 0.
		if want.Statistic != 0.5 || *res.Series[0].Values[0] != want.Statistic || res.Series[0].Group[0] != "api" {
			t.Fatalf("ks %v, want %v", res.Series[0].Values[0], want.Statistic)
		}
		q.Model.Output = "p_value"
		res, _ = e.Series(context.Background(), env, q)
		if *res.Series[0].Values[0] != want.PValue || res.FieldName != "ks_p_value" {
			t.Fatalf("p %v, want %v", *res.Series[0].Values[0], want.PValue)
		}
	})

	t.Run("table: a row per series with counts and notes", func(t *testing.T) {
		q := sourceQuery("psi", "none", ref)
		q.Format = models.FormatTable
		q.Normalize()
		frames, err := e.Run(context.Background(), env, q)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		want, _ := drift.PSI([]float64{1, 2, 3, 4}, []float64{3, 4, 5, 6}, drift.PSIOptions{})
		svc, _ := f.FieldByName("service")
		stat, _ := f.FieldByName("statistic")
		refN, _ := f.FieldByName("reference_n")
		curN, _ := f.FieldByName("current_n")
		if f.Rows() != 2 || svc.At(0) != "api" || *stat.At(0).(*float64) != want.Statistic || refN.At(0) != int64(4) || curN.At(0) != int64(4) || curN.At(1) != int64(0) {
			t.Fatalf("%v", f.Rows())
		}
	})

	t.Run("rolling reference per bucket: fetched from before the range", func(t *testing.T) {
		// buckets of 2h from hour 4: [4,6) and [6,8) against the 4h before each:
		// bucket 4: reference hours 0..3 (1 2 3 4) vs 3 4: quantile by quantile
		// |1−3| + |2−3| + |3−4| + |4−4| over 4 quarters = (2 + 1 + 1 + 0) / 4 = 1;
		// bucket 6: reference hours 2..5 (3 4 3 4) vs 5 6: every quarter is 2 apart = 2.
		q := sourceQuery("wasserstein", "2h", &models.ModelReference{Type: "rolling", Window: "4h"})
		q.Normalize()
		res, err := e.Series(context.Background(), query.Env{From: t0.Add(4 * time.Hour), To: t0.Add(8 * time.Hour), Now: t0.Add(8 * time.Hour)}, q)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := drift.WassersteinOf([]float64{1, 2, 3, 4}, []float64{3, 4})
		w2, _ := drift.WassersteinOf([]float64{3, 4, 3, 4}, []float64{5, 6})
		api := res.Series[0]
		if len(api.Values) != 2 || *api.Values[0] != w.Distance || *api.Values[1] != w2.Distance || w.Distance != 1 || w2.Distance != 2 {
			t.Fatalf("%v %v, want %v %v", *api.Values[0], *api.Values[1], w.Distance, w2.Distance)
		}
	})

	cases := []struct {
		name string
		q    func() models.Query
		want string
	}{
		{"chisquare", func() models.Query { return sourceQuery("chisquare", "none", ref) }, "chisquare compares categories; the values of model.source are numbers: use psi, ks, wasserstein, wasserstein_normed, jsd"},
		{"performance metric", func() models.Query { return sourceQuery("accuracy", "none", ref) }, "model metric accuracy reads stored model observations; with model.source use a drift statistic"},
		{"snapshot", func() models.Query {
			return sourceQuery("psi", "none", &models.ModelReference{Type: "snapshot", Snapshot: "s"})
		}, "model.reference.type snapshot holds stored observations"},
		{"filters", func() models.Query {
			q := sourceQuery("psi", "none", ref)
			q.Filters = map[string][]string{"model": {"m"}}
			return q
		}, "with model.source, group and filter in the source query"},
		{"model source", func() models.Query {
			q := sourceQuery("psi", "none", ref)
			q.Model.Source.QueryType = "model"
			return q
		}, "model.source cannot be a model query"},
		{"no source type", func() models.Query { q := sourceQuery("psi", "none", ref); q.Model.Source.QueryType = ""; return q }, "model.source.queryType is missing"},
		{"source without buckets", func() models.Query { q := sourceQuery("psi", "none", ref); q.Model.Source.Bucket = "none"; return q }, "model.source.bucket is none"},
		{"source error", func() models.Query { q := sourceQuery("psi", "none", ref); q.Model.Source.Metric = "broken"; return q }, "model query: model.source (fake query): context deadline exceeded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q()
			q.Normalize()
			_, err := e.Run(context.Background(), env, q)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v\nwant %q", err, c.want)
			}
		})
	}
}
