package ingest_test

import (
	"context"
	"strings"
	"testing"

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
