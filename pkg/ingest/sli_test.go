package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/slo/rollup"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func ingestSLI(t *testing.T, st store.Store, format ingest.Format, payload string) ingest.Result {
	t.Helper()
	res, err := ingest.IngestSLI(context.Background(), st, format, strings.NewReader(payload), ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSLISampleForms(t *testing.T) {
	// The same 1-minute sample given by duration, by end, and by both (agreeing),
	// in JSON, NDJSON and CSV.
	payloads := map[ingest.Format]string{
		ingest.JSON:   `[{"slo":"checkout","at":"2024-05-01T10:00:00Z","duration":"1m","good":998,"total":1000}]`,
		ingest.NDJSON: `{"slo":"checkout","at":"2024-05-01T10:00:00Z","end_at":"2024-05-01T10:01:00Z","good":998,"total":1000}` + "\n",
		ingest.CSV:    "slo,at,end_at,duration,good,total\ncheckout,2024-05-01T10:00:00Z,2024-05-01T10:01:00Z,60s,998,1000\n",
	}
	for format, payload := range payloads {
		t.Run(string(format), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st store.Store) {
				res := ingestSLI(t, st, format, payload)
				if res.Stored != 1 || len(res.Rejected) != 0 {
					t.Fatalf("result %+v", res)
				}
				var at, end int64
				var dur string
				var good, total float64
				if err := st.QueryRowContext(context.Background(), `SELECT at, end_at, duration, good, total FROM sli_samples WHERE slo = $1`, "checkout").
					Scan(&at, &end, &dur, &good, &total); err != nil {
					t.Fatal(err)
				}
				if end-at != 60_000 || dur != "1m" || good != 998 || total != 1000 {
					t.Errorf("stored end−at %d ms, duration %q, good %v, total %v", end-at, dur, good, total)
				}
			})
		})
	}
}

func TestSLIBadSamplesAreRejectedAlone(t *testing.T) {
	cases := []struct {
		name, record, field, reasonHas string
	}{
		{"good above total", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":11,"total":10}`, "good", "more than total 10"},
		{"negative total", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":0,"total":-1}`, "total", "negative"},
		{"negative good", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":-1,"total":5}`, "good", "negative"},
		{"no end and no duration", `{"slo":"a","at":"2024-05-01T10:00:00Z","good":1,"total":1}`, "end_at", "duration"},
		{"end before start", `{"slo":"a","at":"2024-05-01T10:00:00Z","end_at":"2024-05-01T09:59:00Z","good":1,"total":1}`, "end_at", "not after"},
		{"end equal to start", `{"slo":"a","at":"2024-05-01T10:00:00Z","end_at":"2024-05-01T10:00:00Z","good":1,"total":1}`, "end_at", "not after"},
		{"duration disagrees with end", `{"slo":"a","at":"2024-05-01T10:00:00Z","end_at":"2024-05-01T10:05:00Z","duration":"1m","good":1,"total":1}`, "duration", "does not match"},
		{"bad duration", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"a minute","good":1,"total":1}`, "duration", "not a duration"},
		{"too long", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"40d","good":1,"total":1}`, "duration", "longer than"},
		{"too short", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"10ms","good":1,"total":1}`, "duration", "shorter than"},
		{"bad SLO id", `{"slo":"check out","at":"2024-05-01T10:00:00Z","duration":"1m","good":1,"total":1}`, "slo", "not an SLO id"},
		{"missing slo", `{"at":"2024-05-01T10:00:00Z","duration":"1m","good":1,"total":1}`, "slo", "required"},
		{"missing total", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":1}`, "total", "required"},
		{"count as text", `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":"many","total":1}`, "good", "not a number"},
		{"time without zone", `{"slo":"a","at":"2024-05-01T10:00:00","duration":"1m","good":1,"total":1}`, "at", "no time zone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			payload := `{"slo":"a","at":"2024-05-01T09:00:00Z","duration":"1m","good":5,"total":5}` + "\n" + c.record + "\n" +
				`{"slo":"a","at":"2024-05-01T11:00:00Z","duration":"1m","good":5,"total":5}` + "\n"
			res := ingestSLI(t, st, ingest.NDJSON, payload)
			if res.Stored != 2 || len(res.Rejected) != 1 {
				t.Fatalf("stored %d, rejected %+v; want the 2 good samples stored and 1 rejected", res.Stored, res.Rejected)
			}
			rj := res.Rejected[0]
			if rj.Line != 2 || rj.Field != c.field || !strings.Contains(rj.Reason, c.reasonHas) {
				t.Fatalf("rejection %+v; want line 2, field %q, reason containing %q", rj, c.field, c.reasonHas)
			}
			var n int
			_ = st.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM sli_samples`).Scan(&n)
			if n != 2 {
				t.Fatalf("%d samples stored", n)
			}
		})
	}
}

// rollupSums reads a rollup level's cells for one SLO: start → good/total.
func rollupSums(t *testing.T, st store.Store, width int64) map[int64][2]float64 {
	t.Helper()
	rows, err := st.QueryContext(context.Background(), `SELECT start, good, total FROM sli_rollups WHERE width_ms = $1 AND slo = 'a'`, width)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][2]float64{}
	for rows.Next() {
		var s int64
		var g, tot float64
		if err := rows.Scan(&s, &g, &tot); err != nil {
			t.Fatal(err)
		}
		out[s] = [2]float64{g, tot}
	}
	return out
}

// TestSLIRollupsFollowResends: a re-sent sample replaces the old one in the
// hourly and daily sums (recomputed, never added twice), and a sample stored by a
// path that skipped the fold is caught up.
func TestSLIRollupsFollowResends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		const h10 = int64(1714557600000) // 2024-05-01T10:00:00Z
		const day = int64(1714521600000) // 2024-05-01T00:00:00Z
		ingestSLI(t, st, ingest.NDJSON, `{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":90,"total":100}
{"slo":"a","at":"2024-05-01T10:01:00Z","duration":"1m","good":50,"total":50}
{"slo":"a","at":"2024-05-01T11:00:00Z","duration":"1m","good":7,"total":10}`)
		// hour 10: 90+50 of 100+50; hour 11: 7 of 10; day: 147 of 160.
		if got := rollupSums(t, st, 3_600_000); got[h10] != [2]float64{140, 150} || got[h10+3_600_000] != [2]float64{7, 10} {
			t.Fatalf("hourly %v", got)
		}
		if got := rollupSums(t, st, 86_400_000); got[day] != [2]float64{147, 160} {
			t.Fatalf("daily %v", got)
		}
		// Re-send 10:00 as 100 of 100: hour 10 becomes 150 of 150, the day 157 of 160.
		ingestSLI(t, st, ingest.JSON, `[{"slo":"a","at":"2024-05-01T10:00:00Z","duration":"1m","good":100,"total":100}]`)
		if got := rollupSums(t, st, 3_600_000); got[h10] != [2]float64{150, 150} {
			t.Fatalf("hourly after re-send %v", got)
		}
		if got := rollupSums(t, st, 86_400_000); got[day] != [2]float64{157, 160} {
			t.Fatalf("daily after re-send %v", got)
		}
		// The generic ingest path does not fold; CatchUp (run before every SLO
		// query) does: hour 11 becomes 7+3 of 10+3.
		kind, _ := ingest.DefaultKinds().Get("sli")
		later := now.Add(time.Second)
		if _, err := ingest.Ingest(context.Background(), st, kind, ingest.JSON,
			strings.NewReader(`[{"slo":"a","at":"2024-05-01T11:05:00Z","duration":"1m","good":3,"total":3}]`), ingest.Options{Now: later}); err != nil {
			t.Fatal(err)
		}
		if got := rollupSums(t, st, 3_600_000); got[h10+3_600_000] != [2]float64{7, 10} {
			t.Fatalf("generic ingest folded already: %v", got)
		}
		if err := rollup.CatchUp(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		if got := rollupSums(t, st, 3_600_000); got[h10+3_600_000] != [2]float64{10, 13} {
			t.Fatalf("hourly after catch-up %v", got)
		}
		if got := rollupSums(t, st, 86_400_000); got[day] != [2]float64{160, 163} {
			t.Fatalf("daily after catch-up %v", got)
		}
	})
}
