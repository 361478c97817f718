package kpi_test

import (
	"context"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func TestStateFrames(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadHand(t, st)
	e := query.NewEngine()
	kpi.Register(e)

	t.Run("table: a state_text column beside the number", func(t *testing.T) {
		q := models.Query{QueryType: models.QueryTypeKPI, Metric: "state", Bucket: "1d", Format: "table", KPI: opts("p95_latency", "availability")}
		q.Normalize()
		frames, err := e.Run(context.Background(), env(st), q)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		// Rows: availability Jan 1..3 (ok, ok, no samples), then p95_latency (ok, warning, critical).
		want := []any{"ok", "ok", nil, "ok", "warning", "critical"}
		text := field(t, f, "state_text")
		for i, w := range want {
			got := text.At(i).(*string)
			if (got == nil) != (w == nil) || (got != nil && *got != w) {
				t.Errorf("row %d state_text %v, want %v", i, got, w)
			}
		}
		if kpis := field(t, f, "kpi"); kpis.At(0) != "availability" || kpis.At(5) != "p95_latency" {
			t.Errorf("kpi column %v .. %v", kpis.At(0), kpis.At(5))
		}
	})

	t.Run("time series: value mappings and threshold colours for panels", func(t *testing.T) {
		q := models.Query{QueryType: models.QueryTypeKPI, Metric: "state", Bucket: "1d", KPI: opts("p95_latency")}
		q.Normalize()
		frames, err := e.Run(context.Background(), env(st), q)
		if err != nil {
			t.Fatal(err)
		}
		v := frames[0].Fields[1]
		if v.Labels["kpi"] != "p95_latency" || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("labels %v meta %+v", v.Labels, frames[0].Meta)
		}
		m, ok := v.Config.Mappings[0].(data.ValueMapper)
		if !ok || m["2"].Text != "CRITICAL" || m["2"].Color != "red" || m["1"].Text != "WARNING" || m["0"].Text != "OK" {
			t.Fatalf("mappings %+v", v.Config.Mappings)
		}
		steps := v.Config.Thresholds.Steps
		if len(steps) != 3 || float64(steps[1].Value) != 1 || steps[2].Color != "red" {
			t.Fatalf("thresholds %+v", steps)
		}
		if _, idx := frames[0].FieldByName("state_text"); idx >= 0 {
			t.Fatal("a time series frame got a text field")
		}
	})

	t.Run("the series are available to other queries", func(t *testing.T) {
		q := models.Query{QueryType: models.QueryTypeKPI, Metric: "value", Bucket: "1d", KPI: opts("p95_latency")}
		q.Normalize()
		res, err := e.Series(context.Background(), env(st), q)
		if err != nil || len(res.Series) != 1 || *res.Series[0].Values[2] != 400 {
			t.Fatalf("series %+v, %v", res, err)
		}
	})
}
