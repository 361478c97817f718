package model_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/metrics/spc"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func createSnapshot(t *testing.T, st store.Store, body string) (model.Snapshot, error) {
	t.Helper()
	spec, err := model.ParseSnapshotRequest([]byte(body), day(60))
	if err != nil {
		return model.Snapshot{}, err
	}
	return model.CreateSnapshot(context.Background(), st, spec, day(60), "ana")
}

func TestSnapshotLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		ctx := context.Background()
		snap, err := createSnapshot(t, st, `{"model":"churn","name":"may-1","from":"2024-05-01T00:00:00Z","to":"2024-05-02T00:00:00Z","description":"launch week","bins":[10,20,10]}`)
		if err != nil {
			t.Fatal(err)
		}
		distinctAges := map[float64]bool{}
		for _, v := range d.age[0] {
			distinctAges[v] = true
		}
		want := []model.SnapshotFeature{
			{Feature: "age", Kind: "numeric", N: 400, Distinct: int64(len(distinctAges)), Bins: []int{10, 20}},
			{Feature: "flag", Kind: "numeric", N: 100, Distinct: 1, Bins: []int{10, 20}},
			{Feature: "plan", Kind: "categorical", N: 400, Distinct: 3},
		}
		if snap.Name != "may-1" || snap.Description != "launch week" || snap.CreatedBy != "ana" || !snap.From.Equal(day(0)) || len(snap.Features) != 3 {
			t.Fatalf("snapshot %+v", snap)
		}
		for i, w := range want {
			g := snap.Features[i]
			if g.Feature != w.Feature || g.Kind != w.Kind || g.N != w.N || g.Distinct != w.Distinct || len(g.Bins) != len(w.Bins) {
				t.Errorf("feature %d %+v, want %+v", i, g, w)
			}
		}
		// A name is frozen: a second snapshot under it is refused, and the first is intact.
		_, err = createSnapshot(t, st, `{"model":"churn","name":"may-1","from":"2024-05-02T00:00:00Z","to":"2024-05-03T00:00:00Z"}`)
		if !errors.Is(err, model.ErrSnapshotExists) || !strings.Contains(err.Error(), "delete it first") {
			t.Fatalf("error %v", err)
		}
		// One feature of one version's window.
		if _, err := createSnapshot(t, st, `{"model":"churn","name":"plan-only","from":"2024-05-01T00:00:00Z","to":"2024-05-03T00:00:00Z","features":["plan"]}`); err != nil {
			t.Fatal(err)
		}
		list, err := model.ListSnapshots(ctx, st, "churn")
		if err != nil || len(list) != 2 || list[0].Name != "may-1" || list[1].Name != "plan-only" || list[1].Features[0].N != 800 {
			t.Fatalf("list %+v %v", list, err)
		}
		if other, _ := model.ListSnapshots(ctx, st, "fraud"); len(other) != 0 {
			t.Fatalf("fraud snapshots %+v", other)
		}
		found, err := model.DeleteSnapshot(ctx, st, "churn", "may-1")
		if err != nil || !found {
			t.Fatalf("delete %v %v", found, err)
		}
		if found, _ := model.DeleteSnapshot(ctx, st, "churn", "may-1"); found {
			t.Fatal("deleted twice")
		}
		var left int
		if err := st.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM model_snapshot_values) + (SELECT COUNT(*) FROM model_snapshot_bins)
			+ (SELECT COUNT(*) FROM model_snapshot_features WHERE snapshot = 'may-1')`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d rows left (%v)", left, err)
		}
		if _, ok, _ := model.GetSnapshot(ctx, st, "churn", "plan-only"); !ok {
			t.Fatal("the other snapshot went too")
		}
	})
}

func TestBadSnapshotRequests(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadDriftData(t, st)
	cases := []struct{ body, has string }{
		{`{"model":"churn","name":"x y","from":"now-7d","to":"now"}`, "snapshot name"},
		{`{"model":"churn","name":"x","from":"2024-05-02T00:00:00Z","to":"2024-05-01T00:00:00Z"}`, "is not before"},
		{`{"model":"churn","name":"x","from":"2024-05-01"}`, "from and to are required"},
		{`{"model":"churn","name":"x","from":"May 1","to":"now"}`, "from: "},
		{`{"name":"x","from":"now-7d","to":"now"}`, "model is required"},
		{`{"model":"churn","name":"x","from":"now-7d","to":"now","window":"7d"}`, "unknown field"},
		{`{"model":"churn","name":"x","from":"now-7d","to":"now","bins":[1]}`, "bins 1"},
		{`{"model":"churn","name":"x","from":"2023-01-01T00:00:00Z","to":"2023-02-01T00:00:00Z"}`, "no observations from 2023-01-01"},
		{`{"model":"churn","name":"x","from":"2024-05-01T00:00:00Z","to":"2024-05-02T00:00:00Z","features":["tenure"]}`, "no observations of feature tenure"},
	}
	for _, c := range cases {
		t.Run(c.has, func(t *testing.T) {
			_, err := createSnapshot(t, st, c.body)
			var re *model.RequestError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want a request error with %q", err, c.has)
			}
		})
	}
	if list, _ := model.ListSnapshots(context.Background(), st, ""); len(list) != 0 {
		t.Fatalf("a refused request stored %+v", list)
	}
}

// A drift series is a source the control chart takes: PSI per day under SPC.
func TestDriftSeriesUnderSPC(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadShift(t, st)
	e := query.NewEngine()
	model.Register(e)
	e.Register(models.QueryTypeSPC, spc.Handler(e.Series))
	src := shiftQuery(model.PSI, models.ModelOptions{})
	src.QueryType = models.QueryTypeModel
	q := models.Query{QueryType: models.QueryTypeSPC, Metric: "violations", Bucket: "none",
		SPC: &models.SPCOptions{Source: &src, Baseline: &models.SPCBaseline{From: day(1).Format(time.RFC3339), To: day(3).Format(time.RFC3339)}}}
	fs, err := e.Run(context.Background(), query.Env{Store: st, From: day(1), To: day(7), Now: day(60)}, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Fields[0].Labels["feature"] != "age" {
		t.Fatalf("frames %v", fs)
	}
	// The shift from day 3 lies far outside limits set on days 1 and 2.
	if v, _ := fs[0].Fields[0].ConcreteAt(0); v.(float64) < 1 {
		t.Fatalf("%v violations", v)
	}
}
