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

func TestUsageEventsAreIdempotentWithoutIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		payload := "user_id,team,department,tool,feature,at\n" +
			"ana,sre,eng,grafana,explore,2024-05-01T10:00:00Z\n" +
			"ana,sre,eng,grafana,explore,2024-05-01T12:00:00+02:00\n" + // the same instant: superseded
			"ana,sre,eng,grafana,alerting,2024-05-01T10:00:00Z\n" +
			"ben,,,grafana,,2024-05-01T10:00:00Z\n"
		res := ingestKind(t, st, "usage", ingest.CSV, payload)
		if res.Stored != 3 || res.Superseded != 1 || len(res.Rejected) != 0 {
			t.Fatalf("result %+v", res)
		}
		ingestKind(t, st, "usage", ingest.CSV, payload)
		c, _ := st.Counts(context.Background())
		if c["usage_events"] != 3 {
			t.Fatalf("%d usage events after a resend, want 3", c["usage_events"])
		}
		var team string
		if err := st.QueryRowContext(context.Background(), `SELECT team FROM usage_events WHERE user_id = 'ben'`).Scan(&team); err != nil || team != "" {
			t.Fatalf("ben's team %q (%v)", team, err)
		}
	})
}

func TestBadUsageAndHeadcounts(t *testing.T) {
	cases := []struct {
		kind, good, record, field, reasonHas string
	}{
		{"usage", `{"user_id":"u","tool":"t","at":"2024-05-01T10:00:00Z"}`, `{"user_id":"u","at":"2024-05-01T10:00:00Z"}`, "tool", "required"},
		{"usage", `{"user_id":"u","tool":"t","at":"2024-05-01T10:00:00Z"}`, `{"user_id":"  ","tool":"t","at":"2024-05-01T10:00:00Z"}`, "user_id", "empty"},
		{"usage", `{"user_id":"u","tool":"t","at":"2024-05-01T10:00:00Z"}`, `{"user":"u","tool":"t","at":"2024-05-01T10:00:00Z"}`, "user_id", "required"},
		{"usage", `{"user_id":"u","tool":"t","at":"2024-05-01T10:00:00Z"}`, `{"user_id":"u","tool":"t","at":"2024-05-01"}`, "at", "RFC 3339"},
		{"headcount", `{"team":"sre","effective_at":"2024-01-01","headcount":12}`, `{"team":"sre","effective_at":"2024-01-01","headcount":-1}`, "headcount", "negative"},
		{"headcount", `{"team":"sre","effective_at":"2024-01-01","headcount":12}`, `{"team":"sre","effective_at":"2024-01-01","headcount":2.5}`, "headcount", "whole number"},
		{"headcount", `{"team":"sre","effective_at":"2024-01-01","headcount":12}`, `{"team":"sre","effective_at":"01/02/2024","headcount":3}`, "effective_at", "2024-05-01"},
		{"headcount", `{"team":"sre","effective_at":"2024-01-01","headcount":12}`, `{"team":"sre","effective_at":"2024-01-01T00:00:00","headcount":3}`, "effective_at", "no time zone"},
		{"headcount", `{"team":"sre","effective_at":"2024-01-01","headcount":12}`, `{"effective_at":"2024-01-01","headcount":3}`, "team", "required"},
		{"headcount", `{"team":"sre","effective_at":"2024-01-01","headcount":12}`, `{"team":"sre","effective_at":"2024-01-01","headcount":"twelve"}`, "headcount", "not a number"},
	}
	for _, c := range cases {
		t.Run(c.kind+" "+c.field+" "+c.reasonHas, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			res := ingestKind(t, st, c.kind, ingest.NDJSON, c.good+"\n"+c.record+"\n")
			if res.Stored != 1 || len(res.Rejected) != 1 {
				t.Fatalf("result %+v", res)
			}
			if rj := res.Rejected[0]; rj.Field != c.field || !strings.Contains(rj.Reason, c.reasonHas) {
				t.Fatalf("rejection %+v; want field %q, reason with %q", rj, c.field, c.reasonHas)
			}
		})
	}
}

func TestHeadcountDatesAndResend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		res := ingestKind(t, st, "headcount", ingest.CSV, "team,department,effective_at,headcount\nsre,eng,2024-01-01,12\nsre,eng,2024-04-01T00:00:00+02:00,14\nqa,eng,2030-01-01,0\n")
		if res.Stored != 3 || len(res.Rejected) != 0 {
			t.Fatalf("result %+v", res)
		}
		// A corrected headcount for the same team and date replaces the first.
		ingestKind(t, st, "headcount", ingest.NDJSON, `{"team":"sre","department":"eng","effective_at":"2024-01-01","headcount":13}`)
		rows, err := st.QueryContext(context.Background(), `SELECT team, effective_at, headcount FROM headcounts ORDER BY team, effective_at`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var team string
			var at int64
			var n float64
			if err := rows.Scan(&team, &at, &n); err != nil {
				t.Fatal(err)
			}
			got = append(got, team+"@"+fmtMs(at)+"="+strconvF(n))
		}
		want := "qa@2030-01-01T00:00:00Z=0,sre@2024-01-01T00:00:00Z=13,sre@2024-03-31T22:00:00Z=14"
		if strings.Join(got, ",") != want {
			t.Fatalf("headcounts %v, want %s", got, want)
		}
	})
}

type usageDay struct {
	day                          int64
	tool, user, team, department string
	uses                         int
}

func readUsageDays(t *testing.T, st store.Store) []usageDay {
	t.Helper()
	rows, err := st.QueryContext(context.Background(), `SELECT day, tool, user_id, team, department, uses FROM usage_days ORDER BY day, tool, user_id, team, department`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []usageDay
	for rows.Next() {
		var d usageDay
		if err := rows.Scan(&d.day, &d.tool, &d.user, &d.team, &d.department, &d.uses); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func TestUsageDaysFoldInTheIngestTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		may1 := ms("2024-05-01T00:00:00Z")
		payload := `{"user_id":"ana","team":"sre","tool":"grafana","feature":"explore","at":"2024-05-01T10:00:00Z"}
{"user_id":"ana","team":"sre","tool":"grafana","feature":"alerting","at":"2024-05-01T23:59:59.999Z"}
{"user_id":"ana","team":"sre","tool":"grafana","at":"2024-05-02T00:00:00Z"}
{"user_id":"ben","team":"web","tool":"k6","at":"2024-05-01T08:00:00Z"}
`
		if _, err := ingest.IngestUsage(ctx, st, ingest.NDJSON, strings.NewReader(payload), ingest.Options{Now: now}); err != nil {
			t.Fatal(err)
		}
		// ana: two uses of grafana on May 1 (the last millisecond of the day), one on May 2.
		want := []usageDay{
			{may1, "grafana", "ana", "sre", "", 2},
			{may1, "k6", "ben", "web", "", 1},
			{may1 + ingest.UsageDay, "grafana", "ana", "sre", "", 1},
		}
		if got := readUsageDays(t, st); !equalDays(got, want) {
			t.Fatalf("usage_days %+v, want %+v", got, want)
		}
		// ben's use re-sent with another team: the day is recomputed, no stale row stays.
		if _, err := ingest.IngestUsage(ctx, st, ingest.NDJSON, strings.NewReader(`{"user_id":"ben","team":"qa","tool":"k6","at":"2024-05-01T08:00:00Z"}`), ingest.Options{Now: now.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
		want[1].team = "qa"
		if got := readUsageDays(t, st); !equalDays(got, want) {
			t.Fatalf("after the resend: %+v, want %+v", got, want)
		}
		// Events stored later by the plain ingest path are folded by the catch-up.
		k, _ := ingest.DefaultKinds().Get("usage")
		if _, err := ingest.Ingest(ctx, st, k, ingest.NDJSON, strings.NewReader(`{"user_id":"cai","tool":"k6","at":"2024-05-03T12:00:00Z"}`), ingest.Options{Now: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if err := ingest.CatchUpUsageDays(ctx, st); err != nil {
			t.Fatal(err)
		}
		got := readUsageDays(t, st)
		if last := got[len(got)-1]; len(got) != 4 || last.user != "cai" || last.day != may1+2*ingest.UsageDay {
			t.Fatalf("after the catch-up: %+v", got)
		}
		// A refused payload leaves both the events and the rollup as they were.
		if _, err := ingest.IngestUsage(ctx, st, ingest.JSON, strings.NewReader(`[{"user_id":"dan","tool":"k6","at":"2024-05-04T00:00:00Z"},`), ingest.Options{Now: now.Add(2 * time.Second)}); err == nil {
			t.Fatal("a truncated payload was accepted")
		}
		if got := readUsageDays(t, st); len(got) != 4 {
			t.Fatalf("a refused payload changed the rollup: %+v", got)
		}
	})
}

func equalDays(a, b []usageDay) bool {
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
