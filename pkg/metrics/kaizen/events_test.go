package kaizen_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

var writeNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const checkoutEvent = `{"id":"kz-1","name":"Runbook for checkout","owner":"sre","hypothesis":"A runbook cuts restore time",
	"target":{"queryType":"incidents","metric":"mttr","stat":"median","filters":{"service":["checkout"]}},
	"expected_change_pct":20,"proposed_at":"2025-04-01T00:00:00Z","deployed_at":"2025-05-01T00:00:00Z"}`

func TestEventDefaultsAndNormalizedTarget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		e := createEvent(t, st, checkoutEvent, writeNow)
		// The catalog says MTTR improves downwards; the hypothesis' direction follows it.
		if e.Better != "lower" || e.ExpectedDirection != "lower" || e.Status != kaizen.Deployed || e.Revision != 1 || e.ChangedBy != "test" {
			t.Fatalf("event %+v", e)
		}
		if e.BaselineDays != 30 || e.AfterDays != 30 || e.SettlingDays != 0 || fmt.Sprint(e.ReviewDays) != "[30 60 90]" {
			t.Fatalf("windows %v %v %v reviews %v", e.BaselineDays, e.AfterDays, e.SettlingDays, e.ReviewDays)
		}
		if got := e.ReviewDates[2]; !got.Equal(time.Date(2025, 7, 30, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("90-day review on %v", got)
		}
		// No bucket given: stored as one point per day, explicitly.
		if got := string(e.Target); got != `{"queryType":"incidents","metric":"mttr","stat":"median","filters":{"service":["checkout"]},"bucket":"1d"}` {
			t.Fatalf("stored target %s", got)
		}
		got, err := kaizen.Get(context.Background(), st, "kz-1")
		if err != nil || string(got.Target) != string(e.Target) || !got.DeployedAt.Equal(*e.DeployedAt) || *got.ExpectedChangePct != 20 || got.Hypothesis != e.Hypothesis {
			t.Fatalf("read back %+v, %v", got, err)
		}
	})
}

// writeErr parses and creates an event, returning the error.
func writeErr(st store.Store, body string) error {
	rec, _, err := ingest.ParseKaizenEvent([]byte(body), writeNow)
	if err != nil {
		return err
	}
	_, err = deps().Create(context.Background(), st, rec, kaizen.Writer{By: "test", Now: writeNow})
	return err
}

func TestEventWritesRefuseBadInput(t *testing.T) {
	withTarget := func(target string) string {
		return `{"id":"x","name":"X","target":` + target + `}`
	}
	cases := []struct {
		name, body, field, has string
	}{
		{"target grouped", withTarget(`{"queryType":"incidents","metric":"mttr","groupBy":["service"]}`), "target", "groups by service; an event targets one series"},
		{"target bucket none", withTarget(`{"queryType":"incidents","metric":"mttr","bucket":"none"}`), "target", "bucket none"},
		{"target metric unknown to the engine", withTarget(`{"queryType":"incidents","metric":"mtbf"}`), "target", `unknown incident metric "mtbf"`},
		{"target filter the family lacks", withTarget(`{"queryType":"incidents","metric":"mttr","filters":{"region":["eu"]}}`), "target", `cannot filter on "region"`},
		{"target is a control chart", withTarget(`{"queryType":"spc","metric":"chart"}`), "target", "target the metric itself"},
		{"target without metric", withTarget(`{"queryType":"incidents"}`), "target", "has no metric"},
		{"target not an object", withTarget(`"mttr"`), "target", "is not a JSON object"},
		{"no direction for a KPI value", withTarget(`{"queryType":"kpi","metric":"value","kpi":{"kpis":["nps"]}}`), "expected_direction", "say whether lower or higher is better"},
		{"bad id", `{"id":"a b","name":"X","target":{"queryType":"incidents","metric":"mttr"}}`, "id", "not a kaizen event id"},
		{"deployed without deployed_at", `{"id":"x","name":"X","status":"deployed","target":{"queryType":"incidents","metric":"mttr"}}`, "deployed_at", "required when status is deployed"},
		{"proposed with deployed_at", `{"id":"x","name":"X","status":"proposed","deployed_at":"2025-05-01T00:00:00Z","target":{"queryType":"incidents","metric":"mttr"}}`, "status", "deployed_at is set"},
		{"deployed before proposed", `{"id":"x","name":"X","proposed_at":"2025-05-02T00:00:00Z","deployed_at":"2025-05-01T00:00:00Z","target":{"queryType":"incidents","metric":"mttr"}}`, "deployed_at", "is before proposed_at"},
		{"reviews out of order", `{"id":"x","name":"X","review_days":[60,30],"target":{"queryType":"incidents","metric":"mttr"}}`, "review_days", "30 comes after 60"},
		{"review day not a number", `{"id":"x","name":"X","review_days":"30,soon","target":{"queryType":"incidents","metric":"mttr"}}`, "review_days", `"soon" is not a whole number`},
		{"zero baseline", `{"id":"x","name":"X","baseline_days":0,"target":{"queryType":"incidents","metric":"mttr"}}`, "baseline_days", "must be more than 0"},
		{"negative expected change", `{"id":"x","name":"X","expected_change_pct":-20,"target":{"queryType":"incidents","metric":"mttr"}}`, "expected_change_pct", "expected_direction says which way"},
		{"unknown status", `{"id":"x","name":"X","status":"done","target":{"queryType":"incidents","metric":"mttr"}}`, "status", `"done" is not one of`},
		{"deployed in the future", `{"id":"x","name":"X","deployed_at":"2026-06-01T00:00:00Z","target":{"queryType":"incidents","metric":"mttr"}}`, "deployed_at", "too far in the future"},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := writeErr(st, c.body)
				var fe *ingest.FieldError
				if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Reason, c.has) {
					t.Fatalf("error %v; want field %s with %q", err, c.field, c.has)
				}
			})
		}
		evs, err := kaizen.List(context.Background(), st, true)
		if err != nil || len(evs) != 0 {
			t.Fatalf("a refused write stored %d events (%v)", len(evs), err)
		}
	})
}

func TestEventLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		d := deps()
		createEvent(t, st, checkoutEvent, writeNow)
		w := kaizen.Writer{By: "bob", Now: writeNow.Add(time.Hour)}
		update := func(body string) (kaizen.Event, kaizen.Outcome, error) {
			rec, _, err := ingest.ParseKaizenEvent([]byte(body), w.Now)
			if err != nil {
				return kaizen.Event{}, "", err
			}
			return d.Update(ctx, st, rec, w)
		}
		if err := writeErr(st, checkoutEvent); err == nil || !strings.Contains(err.Error(), "already exists (revision 1)") {
			t.Fatalf("duplicate create: %v", err)
		}
		// Sending it back unchanged is not a revision (proposed_at left out keeps the stored one).
		same := strings.Replace(checkoutEvent, `"proposed_at":"2025-04-01T00:00:00Z",`, "", 1)
		if e, outcome, err := update(same); err != nil || outcome != kaizen.Unchanged || e.Revision != 1 {
			t.Fatalf("unchanged: %v %v %+v", outcome, err, e)
		}
		changed := strings.Replace(checkoutEvent, `"expected_change_pct":20`, `"expected_change_pct":25,"base_revision":1`, 1)
		e, outcome, err := update(changed)
		if err != nil || outcome != kaizen.Updated || e.Revision != 2 || *e.ExpectedChangePct != 25 || e.ChangedBy != "bob" || !e.CreatedAt.Equal(writeNow) {
			t.Fatalf("update: %v %v %+v", outcome, err, e)
		}
		var ce *kaizen.ConflictError
		if _, _, err := update(changed); !errors.As(err, &ce) || !strings.Contains(err.Error(), "revision 2, not 1") {
			t.Fatalf("stale edit: %v", err)
		}
		if _, err := kaizen.Delete(ctx, st, "kz-1"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "archive it first") {
			t.Fatalf("delete before archive: %v", err)
		}
		a, err := kaizen.Archive(ctx, st, "kz-1", w)
		if err != nil || a.ArchivedAt == nil || a.Revision != 3 {
			t.Fatalf("archive: %+v %v", a, err)
		}
		if evs, _ := kaizen.List(ctx, st, false); len(evs) != 0 {
			t.Fatalf("archived event listed: %+v", evs)
		}
		if evs, _ := kaizen.List(ctx, st, true); len(evs) != 1 {
			t.Fatalf("archived event lost: %+v", evs)
		}
		if _, _, err := update(strings.Replace(checkoutEvent, `"expected_change_pct":20`, `"expected_change_pct":30`, 1)); !errors.As(err, &ce) || !strings.Contains(err.Error(), "is archived") {
			t.Fatalf("edit of an archived event: %v", err)
		}
		if r, err := kaizen.Restore(ctx, st, "kz-1", w); err != nil || r.ArchivedAt != nil || r.Revision != 4 {
			t.Fatalf("restore: %+v %v", r, err)
		}
		if _, err := kaizen.Archive(ctx, st, "kz-1", w); err != nil {
			t.Fatal(err)
		}
		if _, err := kaizen.Delete(ctx, st, "kz-1"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		var nf *kaizen.NotFoundError
		if _, err := kaizen.Get(ctx, st, "kz-1"); !errors.As(err, &nf) {
			t.Fatalf("deleted event still read: %v", err)
		}
	})
}

func TestImportAppliesEachRecordAndListsTheRejected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		csv := "id,name,owner,target,deployed_at,review_days\n" +
			`kz-a,Pager tuning,sre,"{""queryType"":""incidents"",""metric"":""mtta""}",2025-05-01T00:00:00Z,"14,28"` + "\n" +
			`kz-b,Bad target,sre,"{""queryType"":""incidents"",""metric"":""nope""}",,` + "\n" +
			`kz-c,Deploy checklist,web,"{""queryType"":""delivery"",""metric"":""change_failure_rate"",""bucket"":""1w""}",,none` + "\n"
		d := deps()
		w := kaizen.Writer{By: "import", Now: writeNow}
		res, err := ingest.ApplyKaizenEvents(context.Background(), st, ingest.CSV, strings.NewReader(csv), ingest.Options{Now: writeNow},
			func(ctx context.Context, tx store.Tx, rec ingest.Record) error {
				_, _, err := d.Apply(ctx, st, tx, rec, w)
				return err
			})
		if err != nil || res.Stored != 2 || len(res.Rejected) != 1 || res.Rejected[0].Line != 3 || res.Rejected[0].Field != "target" {
			t.Fatalf("import: %+v %v", res, err)
		}
		evs, err := kaizen.List(context.Background(), st, false)
		if err != nil || len(evs) != 2 {
			t.Fatalf("list: %+v %v", evs, err)
		}
		byID := map[string]kaizen.Event{}
		for _, e := range evs {
			byID[e.ID] = e
		}
		if a := byID["kz-a"]; fmt.Sprint(a.ReviewDays) != "[14 28]" || a.Status != kaizen.Deployed || a.Better != "lower" {
			t.Fatalf("kz-a %+v", a)
		}
		// Change failure rate is lower-is-better in the catalog; not deployed: proposed.
		if c := byID["kz-c"]; len(c.ReviewDays) != 0 || c.Status != kaizen.Proposed || c.Better != "lower" || !strings.Contains(string(c.Target), `"bucket":"1w"`) {
			t.Fatalf("kz-c %+v", c)
		}
	})
}

// TestKPITargetTakesItsDefinitionsDirection: a target on one KPI's values takes the
// better direction its definition states, so expected_direction is not needed.
func TestKPITargetTakesItsDefinitionsDirection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		rec, _, err := ingest.ParseKPIDefinition([]byte(`{"id":"web_p95_ms","name":"Web p95","unit":"ms","direction":"lower","target":1200}`), writeNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kpi.Create(ctx, st, rec, kpi.Writer{By: "test", Now: writeNow}); err != nil {
			t.Fatal(err)
		}
		e := createEvent(t, st, `{"id":"kz-cdn","name":"Image CDN","target":{"queryType":"kpi","metric":"value","kpi":{"kpis":["web_p95_ms"]}}}`, writeNow)
		if e.Better != "lower" || e.ExpectedDirection != "lower" {
			t.Fatalf("better %q, expected direction %q; want lower from the KPI's definition", e.Better, e.ExpectedDirection)
		}
	})
}
