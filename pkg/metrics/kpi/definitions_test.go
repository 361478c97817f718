package kpi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

const mttrKPI = `{"id":"mttr_p1","name":"MTTR of P1 incidents","unit":"m","direction":"lower","target":60,"warning":90,"critical":120,"owner":"sre"}`

func TestDefinitionVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
		w := func(h int) kpi.Writer { return kpi.Writer{By: "alice", Now: t0.Add(time.Duration(h) * time.Hour)} }

		v1, err := kpi.Create(ctx, st, parse(t, mttrKPI), w(0))
		if err != nil || v1.Version != 1 || v1.Status != kpi.Active || v1.EffectiveFrom.UnixMilli() != 0 || !v1.CreatedAt.Equal(t0) || v1.ChangedBy != "alice" {
			t.Fatalf("create: %+v %v", v1, err)
		}
		var conflict *kpi.ConflictError
		if _, err := kpi.Create(ctx, st, parse(t, mttrKPI), w(1)); !errors.As(err, &conflict) || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("duplicate create: %v", err)
		}

		// Re-sending the same definition adds no version.
		same, outcome, err := kpi.Update(ctx, st, parse(t, mttrKPI), w(2))
		if err != nil || outcome != kpi.Unchanged || same.Version != 1 {
			t.Fatalf("unchanged update: %+v %v %v", same, outcome, err)
		}

		tighter := strings.Replace(mttrKPI, `"target":60`, `"target":45`, 1)
		v2, outcome, err := kpi.Update(ctx, st, parse(t, tighter), w(3))
		if err != nil || outcome != kpi.Versioned || v2.Version != 2 || v2.Target != 45 || !v2.EffectiveFrom.Equal(t0.Add(3*time.Hour)) {
			t.Fatalf("update: %+v %v %v", v2, outcome, err)
		}

		// An edit based on version 1 is refused: version 2 happened meanwhile.
		stale := strings.Replace(tighter, `"target":45`, `"target":30,"base_version":1`, 1)
		if _, _, err := kpi.Update(ctx, st, parse(t, stale), w(4)); !errors.As(err, &conflict) || !strings.Contains(err.Error(), "version 2, not 1") {
			t.Fatalf("stale edit: %v", err)
		}
		based := strings.Replace(stale, `"base_version":1`, `"base_version":2`, 1)
		if v3, _, err := kpi.Update(ctx, st, parse(t, based), w(4)); err != nil || v3.Version != 3 {
			t.Fatalf("edit based on the current version: %+v %v", v3, err)
		}

		// A version cannot take effect before the one it follows.
		early := strings.Replace(mttrKPI, `"target":60`, `"target":50,"effective_from":"2024-03-01T10:00:00Z"`, 1)
		var fe *ingest.FieldError
		if _, _, err := kpi.Update(ctx, st, parse(t, early), w(5)); !errors.As(err, &fe) || fe.Field != "effective_from" {
			t.Fatalf("backdated version: %v", err)
		}

		var missing *kpi.NotFoundError
		if _, _, err := kpi.Update(ctx, st, parse(t, strings.Replace(mttrKPI, "mttr_p1", "mttr_p2", 1)), w(5)); !errors.As(err, &missing) {
			t.Fatalf("update of a missing KPI: %v", err)
		}

		retired, err := kpi.Retire(ctx, st, "mttr_p1", w(6))
		if err != nil || retired.Version != 4 || retired.Status != kpi.Retired || retired.Target != 30 {
			t.Fatalf("retire: %+v %v", retired, err)
		}
		if _, err := kpi.Retire(ctx, st, "mttr_p1", w(7)); !errors.As(err, &conflict) {
			t.Fatalf("retire twice: %v", err)
		}
		if _, err := kpi.Retire(ctx, st, "nope", w(7)); !errors.As(err, &missing) {
			t.Fatalf("retire a missing KPI: %v", err)
		}
		// An edit of a retired KPI keeps it retired unless it says otherwise.
		v3 := strings.Replace(mttrKPI, `"target":60`, `"target":30`, 1)
		edited, _, err := kpi.Update(ctx, st, parse(t, strings.Replace(v3, `"owner":"sre"`, `"owner":"ops"`, 1)), w(8))
		if err != nil || edited.Status != kpi.Retired || edited.Version != 5 {
			t.Fatalf("edit of a retired KPI: %+v %v", edited, err)
		}
		back, _, err := kpi.Update(ctx, st, parse(t, strings.Replace(v3, `"owner":"sre"`, `"owner":"ops","status":"active"`, 1)), w(9))
		if err != nil || back.Status != kpi.Active || back.Version != 6 {
			t.Fatalf("reactivate: %+v %v", back, err)
		}

		versions, err := kpi.Versions(ctx, st, "mttr_p1")
		if err != nil || len(versions) != 6 {
			t.Fatalf("versions: %d %v", len(versions), err)
		}
		for i, want := range []float64{60, 45, 30, 30, 30, 30} {
			if versions[i].Version != i+1 || versions[i].Target != want {
				t.Errorf("version %d: %+v, want target %v", i+1, versions[i], want)
			}
		}
		list, err := kpi.List(ctx, st)
		if err != nil || len(list) != 1 || list[0].Version != 6 {
			t.Fatalf("list: %+v %v", list, err)
		}
	})
}

func TestServicePricedByOneKPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := kpi.Writer{By: "bob", Now: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
		first := `{"id":"downtime_api","name":"API downtime","unit":"m","direction":"lower","target":5,"service":"api","cost_per_unit":80}`
		second := `{"id":"api_minutes","name":"API outage minutes","unit":"m","direction":"lower","target":5,"service":"api","cost_per_unit":90}`
		if _, err := kpi.Create(ctx, st, parse(t, first), w); err != nil {
			t.Fatal(err)
		}
		var fe *ingest.FieldError
		if _, err := kpi.Create(ctx, st, parse(t, second), w); !errors.As(err, &fe) || fe.Field != "service" || !strings.Contains(err.Error(), "downtime_api") {
			t.Fatalf("second price for a service: %v", err)
		}
		if _, err := kpi.Retire(ctx, st, "downtime_api", w); err != nil {
			t.Fatal(err)
		}
		if _, err := kpi.Create(ctx, st, parse(t, second), w); err != nil {
			t.Fatalf("price after the first KPI retired: %v", err)
		}
	})
}

func TestImportDefinitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := kpi.Writer{By: "import", Now: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
		payload := mttrKPI + "\n" +
			`{"id":"bad","name":"Bad","direction":"higher","target":10,"warning":12}` + "\n" +
			strings.Replace(mttrKPI, `"target":60`, `"target":50`, 1) + "\n" +
			strings.Replace(mttrKPI, `"target":60`, `"target":50`, 1) + "\n"
		res, err := kpi.Import(ctx, st, ingest.NDJSON, strings.NewReader(payload), w)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 3 || res.Created != 1 || res.Versioned != 1 || res.Unchanged != 1 || len(res.Rejected) != 1 {
			t.Fatalf("result %+v", res)
		}
		if rj := res.Rejected[0]; rj.Line != 2 || rj.ID != "bad" || rj.Field != "warning" || !strings.Contains(rj.Reason, "not below the target 10") {
			t.Fatalf("rejection %+v", rj)
		}
		// A payload that cannot be read stores nothing, not even its good records.
		_, err = kpi.Import(ctx, st, ingest.JSON, strings.NewReader(`[`+strings.Replace(mttrKPI, `"target":60`, `"target":40`, 1)+`, {"id":`), w)
		if !ingest.IsPayloadError(err) {
			t.Fatalf("truncated payload: %v", err)
		}
		versions, err := kpi.Versions(ctx, st, "mttr_p1")
		if err != nil || len(versions) != 2 || versions[1].Target != 50 {
			t.Fatalf("versions after a refused payload: %+v %v", versions, err)
		}
	})
}
