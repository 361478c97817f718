package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func ingestFlowKind(t *testing.T, st store.Store, kind string, format ingest.Format, payload string) ingest.Result {
	t.Helper()
	k, err := ingest.DefaultKinds().Get(kind)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), st, k, format, strings.NewReader(payload), ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFlowKindsBadRecordsAreRejectedAlone(t *testing.T) {
	cases := []struct {
		name, kind, before, record, field, reasonHas string
	}{
		{"item without created_at", "work_items", `{"id":"ok","created_at":"2024-05-01T10:00:00Z"}`, `{"id":"x"}`, "created_at", "required"},
		{"item with a blank id", "work_items", `{"id":"ok","created_at":"2024-05-01T10:00:00Z"}`, `{"id":"  ","created_at":"2024-05-01T10:00:00Z"}`, "id", "blank"},
		{"item done before created", "work_items", `{"id":"ok","created_at":"2024-05-01T10:00:00Z"}`, `{"id":"x","created_at":"2024-05-01T10:00:00Z","done_at":"2024-05-01T09:00:00Z"}`, "done_at", "before created_at"},
		{"transition without stage", "transitions", `{"item_id":"ok","stage":"Dev","entered_at":"2024-05-01T10:00:00Z"}`, `{"item_id":"x","entered_at":"2024-05-01T10:00:00Z"}`, "stage", "required"},
		{"transition with a blank stage", "transitions", `{"item_id":"ok","stage":"Dev","entered_at":"2024-05-01T10:00:00Z"}`, `{"item_id":"x","stage":"","entered_at":"2024-05-01T10:00:00Z"}`, "stage", "blank"},
		{"transition with an unknown state", "transitions", `{"item_id":"ok","stage":"Dev","entered_at":"2024-05-01T10:00:00Z"}`, `{"item_id":"x","stage":"Dev","entered_at":"2024-05-01T10:00:00Z","state":"blocked"}`, "state", "not one of active, waiting"},
		{"transition at a local time", "transitions", `{"item_id":"ok","stage":"Dev","entered_at":"2024-05-01T10:00:00Z"}`, `{"item_id":"x","stage":"Dev","entered_at":"2024-05-01T10:00:00"}`, "entered_at", "no time zone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			after := strings.Replace(c.before, `"ok"`, `"ok2"`, 1)
			res := ingestFlowKind(t, st, c.kind, ingest.NDJSON, c.before+"\n"+c.record+"\n"+after+"\n")
			if res.Stored != 2 || len(res.Rejected) != 1 {
				t.Fatalf("stored %d, rejected %+v", res.Stored, res.Rejected)
			}
			if rj := res.Rejected[0]; rj.Line != 2 || rj.Field != c.field || !strings.Contains(rj.Reason, c.reasonHas) {
				t.Fatalf("rejection %+v, want field %s with %q", rj, c.field, c.reasonHas)
			}
		})
	}
}

// TestTransitionsKeyedByItemStageAndTime: re-sending replaces, the same stage at another
// time is another event, and CSV stores what JSON stores.
func TestTransitionsKeyedByItemStageAndTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestFlowKind(t, st, "transitions", ingest.JSON, `[{"item_id":"A","stage":"Dev","entered_at":"2024-05-01T10:00:00Z"}]`)
		ingestFlowKind(t, st, "transitions", ingest.JSON, `[{"item_id":"A","stage":"Dev","entered_at":"2024-05-01T12:00:00+02:00","state":"waiting"}]`)
		res := ingestFlowKind(t, st, "transitions", ingest.CSV, "item_id,stage,entered_at,from_stage,state\nA,Dev,2024-05-01T11:00:00Z,Dev,\nA,Review,2024-05-01T12:00:00Z,Dev,active\n")
		if res.Stored != 2 || len(res.Rejected) != 0 {
			t.Fatalf("csv: %+v", res)
		}
		rows, err := st.QueryContext(context.Background(), `SELECT stage, entered_at, from_stage, state FROM work_item_transitions ORDER BY entered_at, stage`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var stage, from, state string
			var at int64
			if err := rows.Scan(&stage, &at, &from, &state); err != nil {
				t.Fatal(err)
			}
			got = append(got, stage+"@"+time.UnixMilli(at).UTC().Format("15:04")+"<"+from+"|"+state)
		}
		// 12:00+02:00 is 10:00Z: the second send replaced the first, now marked waiting.
		if strings.Join(got, " ") != "Dev@10:00<|waiting Dev@11:00<Dev| Review@12:00<Dev|active" {
			t.Fatalf("stored %v", got)
		}
	})
}

func TestTransitionWebhookItemFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ingestFlowKind(t, st, "work_items", ingest.JSON, `[{"id":"A","value_stream":"delivery","team":"core","title":"kept","created_at":"2024-05-01T08:00:00Z"}]`)
		// Existing item: only the fields given change; created_at stays. New item B: created
		// at its earliest event in the payload, as no created_at was given.
		res, err := ingest.IngestTransitionWebhook(context.Background(), st, strings.NewReader(`[
			{"item_id":"A","to":"Dev","at":"2024-05-01T10:00:00Z","team":"platform"},
			{"item_id":"B","to":"Review","at":"2024-05-01T12:00:00Z","value_stream":"delivery"},
			{"item_id":"B","to":"Dev","at":"2024-05-01T09:00:00Z","type":"bug"}
		]`), "", now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 3 || res.ItemsWritten != 2 || len(res.UnknownItems) != 0 || len(res.Rejected) != 0 {
			t.Fatalf("result %+v", res)
		}
		for _, want := range []struct{ id, stream, team, typ, title, created string }{
			{"A", "delivery", "platform", "", "kept", "08:00"},
			{"B", "delivery", "", "bug", "", "09:00"},
		} {
			var stream, team, typ, title string
			var created int64
			if err := st.QueryRowContext(context.Background(), `SELECT value_stream, team, type, title, created_at FROM work_items WHERE source = 'api' AND id = $1`, want.id).
				Scan(&stream, &team, &typ, &title, &created); err != nil {
				t.Fatal(err)
			}
			if got := time.UnixMilli(created).UTC().Format("15:04"); stream != want.stream || team != want.team || typ != want.typ || title != want.title || got != want.created {
				t.Errorf("item %s: %q %q %q %q created %s; want %+v", want.id, stream, team, typ, title, got, want)
			}
		}
	})
}

func TestTransitionWebhookPayloadErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	for _, body := range []string{``, `[{"item_id":"A"`, `"text"`, `[1] trailing`} {
		_, err := ingest.IngestTransitionWebhook(context.Background(), st, strings.NewReader(body), "", now)
		if err == nil || !ingest.IsPayloadError(err) {
			t.Errorf("payload %q: error %v, want a payload error", body, err)
		}
	}
	res, err := ingest.IngestTransitionWebhook(context.Background(), st, strings.NewReader(`[1, {"item_id":"A","to":"Dev","at":"2024-05-01T10:00:00Z","created_at":"soon"}]`), "", now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 0 || len(res.Rejected) != 2 || res.Rejected[1].Field != "created_at" || res.Rejected[1].ID != "A" {
		t.Fatalf("result %+v", res)
	}
	c, _ := st.Counts(context.Background())
	if c["work_item_transitions"] != 0 || c["work_items"] != 0 {
		t.Fatalf("rejected records were stored: %v", c)
	}
}
