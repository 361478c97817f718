package kpi_test

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// The hand-worked KPI set, range 2024-01-01 to 2024-01-04 UTC (testdata/*.ndjson):
//
//	availability       higher is better, %. v1 (defined 2023-12-01): target 99.9, warning 99.5, critical 99.0.
//	                   v2 in force from 2024-01-02 12:00: target 99.5, warning 99.0, critical 98.0.
//	                   samples: Jan 1 06:00 99.95 (eu), Jan 1 18:00 99.5 (us), Jan 2 06:00 99.2 (eu), Jan 2 18:00 99.0 (eu).
//	p95_latency        lower is better, ms: target 200, warning 300, critical 400. Samples Jan 1 150, Jan 2 300,
//	                   Jan 3 12:00 450 and 13:00 350.
//	downtime_checkout  lower is better, minutes, prices service checkout: v1 100 USD/min; v2 150 USD/min from
//	                   Jan 3 00:00. Target 10, warning 20, critical 30. Samples Jan 1 12, Jan 2 0, Jan 3 25 (at 00:00).
//	tickets_backlog    lower is better: target 50, warning 80, critical 100; retired on Jan 2. Sample Jan 1 90.
//	nps                higher is better, defined 2023-12-01, never sampled.
//
// Jan 3 has no availability sample.
var (
	from    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to      = time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)
	defined = time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)
)

func parse(t *testing.T, body string) ingest.Record {
	t.Helper()
	rec, _, err := ingest.ParseKPIDefinition([]byte(body), to)
	if err != nil {
		t.Fatalf("parsing %s: %v", body, err)
	}
	return rec
}

func loadHand(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	at := func(ts time.Time) kpi.Writer { return kpi.Writer{By: "test", Now: ts} }
	creates := []string{
		`{"id":"availability","name":"Availability","unit":"percent","direction":"higher","target":99.9,"warning":99.5,"critical":99.0,"owner":"sre","indicator":"lagging"}`,
		`{"id":"p95_latency","name":"Checkout p95 latency","unit":"ms","direction":"lower","target":200,"warning":300,"critical":400,"owner":"web","indicator":"leading"}`,
		`{"id":"downtime_checkout","name":"Checkout downtime","unit":"m","direction":"lower","target":10,"warning":20,"critical":30,"service":"checkout","cost_per_unit":100,"currency":"usd","owner":"sre"}`,
		`{"id":"tickets_backlog","name":"Ticket backlog","direction":"lower","target":50,"warning":80,"critical":100,"owner":"support"}`,
		`{"id":"nps","name":"Net promoter score","direction":"higher","target":40,"owner":"product"}`,
	}
	for _, c := range creates {
		if _, err := kpi.Create(ctx, st, parse(t, c), at(defined)); err != nil {
			t.Fatal(err)
		}
	}
	updates := []string{
		`{"id":"availability","name":"Availability","unit":"percent","direction":"higher","target":99.5,"warning":99.0,"critical":98.0,"owner":"sre","indicator":"lagging","effective_from":"2024-01-02T12:00:00Z"}`,
		`{"id":"downtime_checkout","name":"Checkout downtime","unit":"m","direction":"lower","target":10,"warning":20,"critical":30,"service":"checkout","cost_per_unit":150,"currency":"USD","owner":"sre","effective_from":"2024-01-03T00:00:00Z"}`,
	}
	for _, u := range updates {
		if _, outcome, err := kpi.Update(ctx, st, parse(t, u), at(from)); err != nil || outcome != kpi.Versioned {
			t.Fatalf("update: %v %v", outcome, err)
		}
	}
	if _, err := kpi.Retire(ctx, st, "tickets_backlog", at(from.Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	for file, kindName := range map[string]string{"testdata/samples.ndjson": "kpi-samples", "testdata/incidents.ndjson": "incidents"} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		kind, err := ingest.DefaultKinds().Get(kindName)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, f, ingest.Options{Now: to})
		f.Close()
		if err != nil || len(res.Rejected) != 0 {
			t.Fatalf("loading %s: %+v, %v", file, res, err)
		}
	}
}

func env(st store.Store) query.Env { return query.Env{Store: st, From: from, To: to, Now: to} }

func f(v float64) *float64 { return &v }

func sameValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func showAll(vs []*float64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = show(v)
	}
	return out
}
