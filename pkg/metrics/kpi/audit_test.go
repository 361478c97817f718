package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// As of the range end, Jan 4 00:00: availability last sampled Jan 2 18:00 (1.25 days),
// downtime_checkout Jan 3 00:00 (exactly 1 day), p95_latency Jan 3 13:00 (11 hours),
// nps never sampled but defined Dec 1 (34 days); tickets_backlog is retired.
func TestStaleAudit(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name      string
		opts      *models.KPIOptions
		kpis      []string
		stale     []bool
		silence   []time.Duration
		firstNote string
	}{
		{"default 30 days: only the KPI never sampled for 34 days", nil,
			[]string{"nps", "availability", "downtime_checkout", "p95_latency"},
			[]bool{true, false, false, false},
			[]time.Duration{34 * day, 30 * time.Hour, day, 11 * time.Hour},
			"never sampled; defined 34 days ago"},
		{"1 day: exactly 1 day silent is stale", &models.KPIOptions{StaleDays: 1},
			[]string{"nps", "availability", "downtime_checkout", "p95_latency"},
			[]bool{true, true, true, false},
			[]time.Duration{34 * day, 30 * time.Hour, day, 11 * time.Hour},
			"never sampled; defined 34 days ago"},
		{"retired KPIs on request", &models.KPIOptions{StaleDays: 2, IncludeRetired: true},
			// tickets_backlog: last sample Jan 1 12:00, 2.5 days.
			[]string{"nps", "tickets_backlog", "availability", "downtime_checkout", "p95_latency"},
			[]bool{true, true, false, false, false},
			[]time.Duration{34 * day, 60 * time.Hour, 30 * time.Hour, day, 11 * time.Hour},
			"never sampled; defined 34 days ago"},
		{"named KPIs only", &models.KPIOptions{KPIs: []string{"p95_latency", "availability"}, StaleDays: 0.5},
			[]string{"availability", "p95_latency"},
			[]bool{true, false},
			[]time.Duration{30 * time.Hour, 11 * time.Hour},
			"no sample for 1.3 days"},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				q := models.Query{QueryType: models.QueryTypeKPI, Metric: "stale", KPI: c.opts}
				q.Normalize()
				frames, err := kpi.Frames(context.Background(), env(st), q)
				if err != nil {
					t.Fatal(err)
				}
				fr := frames[0]
				if fr.Rows() != len(c.kpis) {
					t.Fatalf("%d rows, want %d", fr.Rows(), len(c.kpis))
				}
				kpis, stale, silence := field(t, fr, "kpi"), field(t, fr, "stale"), field(t, fr, "since_last_sample")
				for i := range c.kpis {
					if kpis.At(i) != c.kpis[i] || stale.At(i) != c.stale[i] || silence.At(i) != c.silence[i].Seconds() {
						t.Errorf("row %d: %v stale %v silent %vs; want %s %v %vs", i, kpis.At(i), stale.At(i), silence.At(i), c.kpis[i], c.stale[i], c.silence[i].Seconds())
					}
				}
				if note := field(t, fr, "reason").At(0); note != c.firstNote {
					t.Errorf("reason %q, want %q", note, c.firstNote)
				}
				if silence.Config == nil || silence.Config.Unit != "s" {
					t.Errorf("silence field config %+v", silence.Config)
				}
			})
		}
		// Last sample times: the never-sampled KPI has none.
		q := models.Query{QueryType: models.QueryTypeKPI, Metric: "stale"}
		q.Normalize()
		frames, err := kpi.Frames(context.Background(), env(st), q)
		if err != nil {
			t.Fatal(err)
		}
		last := field(t, frames[0], "last_sample")
		if last.At(0).(*time.Time) != nil || !last.At(1).(*time.Time).Equal(time.Date(2024, 1, 2, 18, 0, 0, 0, time.UTC)) {
			t.Fatalf("last samples %v %v", last.At(0), last.At(1))
		}
	})
}

// The audit is as of now when the range ends in the future.
func TestStaleAuditAsOfNow(t *testing.T) {
	st := storetest.OpenSQLite(t)
	loadHand(t, st)
	e := env(st)
	e.To = to.Add(30 * 24 * time.Hour)
	q := models.Query{QueryType: models.QueryTypeKPI, Metric: "stale", KPI: &models.KPIOptions{KPIs: []string{"p95_latency"}}}
	q.Normalize()
	frames, err := kpi.Frames(context.Background(), e, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := field(t, frames[0], "since_last_sample").At(0); got != (11 * time.Hour).Seconds() {
		t.Fatalf("silence %v s, want 11 h measured to now (Jan 4)", got)
	}
}

func field(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	fl, idx := f.FieldByName(name)
	if idx < 0 {
		t.Fatalf("frame has no field %q", name)
	}
	return fl
}
