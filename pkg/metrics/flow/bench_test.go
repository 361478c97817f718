package flow_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: flow queries over 1M work items with 8M transitions on the embedded store,
// each against plain SQL over the same rows measured in the same run.
//
//	go test ./pkg/metrics/flow -run '^$' -bench 'Flow' -benchtime 5x -timeout 60m
//
// The store is generated once per machine through the real ingest path (with rollups)
// and cached in the temp dir; the first run takes several minutes.

var benchYear = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// benchStages: the stream every generated item walks, with its kinds.
const benchDefinition = `{"stages":[
	{"name":"Backlog","kind":"waiting"},{"name":"Analysis","kind":"active"},{"name":"Dev","kind":"active","wip_limit":400},
	{"name":"Review queue","kind":"waiting"},{"name":"Review","kind":"active","wip_limit":150},
	{"name":"Deploy queue","kind":"waiting"},{"name":"Deploy","kind":"active"},{"name":"Done","kind":"done"}]}`

// generateFlow writes items [first, first+n) as NDJSON work items and transitions: created
// uniformly over 2024 in two streams, 8 teams, 3 types; Backlog, Analysis (half of them),
// Dev, Review queue, Review (a sixth go back to Dev once), Deploy queue, Deploy, Done:
// 8 transitions per item on average; items whose path runs past the year stay in progress.
func generateFlow(first, n int, seed uint64) (items, transitions []byte) {
	r := rand.New(rand.NewPCG(seed, 3))
	var ib, tb bytes.Buffer
	end := benchYear.AddDate(1, 0, 0)
	span := int64(end.Sub(benchYear) / time.Second)
	stay := func(medianHours float64) time.Duration {
		return time.Duration(medianHours * math.Exp(0.9*r.NormFloat64()) * float64(time.Hour))
	}
	for i := first; i < first+n; i++ {
		stream := "delivery"
		if r.IntN(4) == 0 {
			stream = "platform"
		}
		created := benchYear.Add(time.Duration(r.Int64N(span)) * time.Second)
		path := []struct {
			stage string
			hours float64
		}{{"Backlog", 48}}
		if r.IntN(2) == 0 {
			path = append(path, struct {
				stage string
				hours float64
			}{"Analysis", 8})
		}
		path = append(path, []struct {
			stage string
			hours float64
		}{{"Dev", 30}, {"Review queue", 10}, {"Review", 3}}...)
		if r.IntN(6) == 0 {
			path = append(path, []struct {
				stage string
				hours float64
			}{{"Dev", 8}, {"Review queue", 6}, {"Review", 2}}...)
		}
		path = append(path, []struct {
			stage string
			hours float64
		}{{"Deploy queue", 20}, {"Deploy", 1}, {"Done", 0}}...)
		at := created
		for _, s := range path {
			if !at.Before(end) {
				break
			}
			fmt.Fprintf(&tb, `{"item_id":"W%d","stage":%q,"entered_at":%q}`+"\n", i, s.stage, at.Format(time.RFC3339))
			at = at.Add(stay(s.hours))
		}
		fmt.Fprintf(&ib, `{"id":"W%d","value_stream":%q,"team":"team-%d","type":%q,"created_at":%q}`+"\n",
			i, stream, r.IntN(8), []string{"feature", "bug", "chore"}[r.IntN(3)], created.Format(time.RFC3339))
	}
	return ib.Bytes(), tb.Bytes()
}

var (
	flowOnce sync.Once
	flowPath string
	flowErr  error
)

// millionFlow opens (building once, cached in the temp dir) the 1M-item store.
func millionFlow(b *testing.B) store.Store {
	flowOnce.Do(func() {
		flowPath = filepath.Join(os.TempDir(), "kaizen-bench-flow-1M-v3.db")
		if _, err := os.Stat(flowPath); err == nil {
			return
		}
		tmp := flowPath + ".building"
		_ = os.Remove(tmp)
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			flowErr = err
			return
		}
		// One connection with a 1 GiB page cache: the default 2 MB makes random index inserts
		// into a multi-GB file read pages from disk, and the build would take hours.
		st.SetMaxOpenConns(1)
		if _, flowErr = st.ExecContext(context.Background(), "PRAGMA cache_size = -1048576"); flowErr != nil {
			return
		}
		for _, name := range []string{"delivery", "platform"} {
			def, _ := flow.ParseDefinition(name, strings.NewReader(benchDefinition))
			if flowErr = st.WithTx(context.Background(), func(tx store.Tx) error {
				_, err := flow.SaveDefinition(context.Background(), tx, st.Dialect(), def, time.Now())
				return err
			}); flowErr != nil {
				return
			}
		}
		tk, _ := ingest.DefaultKinds().Get("transitions")
		ik, _ := ingest.DefaultKinds().Get("work_items")
		const chunk = 50_000
		t0 := time.Now()
		var transitions int
		for c := 0; c < 1_000_000/chunk; c++ {
			items, trans := generateFlow(c*chunk, chunk, uint64(1000+c))
			for _, step := range []struct {
				kind    ingest.Kind
				payload []byte
			}{{tk, trans}, {ik, items}} { // transitions first: the items' refresh derives each item once
				now := time.Now()
				res, err := ingest.Ingest(context.Background(), flow.WithRollups(st, now), step.kind, ingest.NDJSON, bytes.NewReader(step.payload), ingest.Options{Now: now})
				if err != nil {
					flowErr = err
					return
				}
				if len(res.Rejected) > 0 {
					flowErr = fmt.Errorf("generated records rejected: %+v", res.Rejected[0])
					return
				}
				if step.kind.Name == "transitions" {
					transitions += res.Stored
				}
			}
			fmt.Fprintf(os.Stderr, "flow bench store: %d items, %d transitions, %s\n", (c+1)*chunk, transitions, time.Since(t0).Round(time.Second))
		}
		_ = st.Close()
		flowErr = os.Rename(tmp, flowPath)
	})
	if flowErr != nil {
		b.Fatal(flowErr)
	}
	st, err := sqlite.Open(context.Background(), flowPath)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// drain runs SQL and reads every row.
func drain(b *testing.B, st store.Store, sqlText string, args ...any) {
	rows, err := st.QueryContext(context.Background(), sqlText, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlowQuery1M: dashboard-shaped flow queries over 1M items / 8M transitions.
// Baselines, same range, same run:
//   - sql-raw: a plain GROUP BY over the raw transitions of the same items (the join of
//     work items done in the range with their transitions), the least any computation
//     from the stored events has to read;
//   - sql-rollup: a plain aggregate over the rollup rows the query reads.
func BenchmarkFlowQuery1M(b *testing.B) {
	st := millionFlow(b)
	defer st.Close()
	yearEnd := benchYear.AddDate(1, 0, 0)
	last30 := yearEnd.AddDate(0, 0, -30)
	last90 := yearEnd.AddDate(0, 0, -90)
	delivery := map[string][]string{"value_stream": {"delivery"}}
	rawStages := `SELECT t.stage, COUNT(*), MIN(t.entered_at), MAX(t.entered_at) FROM work_item_transitions t
		JOIN flow_items i ON i.source = t.source AND i.item_id = t.item_id
		WHERE i.value_stream = 'delivery' AND i.done_at >= $1 AND i.done_at < $2 GROUP BY t.stage`
	rollupItems := `SELECT COUNT(*), AVG(done_at - created_at), AVG(process_ms), AVG(wait_ms) FROM flow_items
		WHERE value_stream = 'delivery' AND done_at >= $1 AND done_at < $2`
	cases := []struct {
		name       string
		from       time.Time
		q          models.Query
		raw, rollo string
	}{
		{"value_stream_map_30d", last30, models.Query{Metric: "value_stream", Filters: delivery}, rawStages, rollupItems},
		{"stage_time_p85_by_week_90d", last90, models.Query{Metric: "stage_time", Stat: "p85", Bucket: "1w", Filters: delivery}, rawStages, rollupItems},
		{"lead_time_p85_by_day_30d", last30, models.Query{Metric: "lead_time", Stat: "p85", Bucket: "1d", Filters: delivery}, rawStages, rollupItems},
		{"flow_efficiency_by_day_30d", last30, models.Query{Metric: "flow_efficiency", Bucket: "1d", Filters: delivery}, rawStages,
			`SELECT done_at / 86400000, SUM(process_ms) * 1.0 / SUM(done_at - created_at) FROM flow_items WHERE value_stream = 'delivery' AND done_at >= $1 AND done_at < $2 GROUP BY 1`},
		{"flow_efficiency_by_week_year_all", benchYear, models.Query{Metric: "flow_efficiency", Bucket: "1w"},
			`SELECT t.stage, COUNT(*) FROM work_item_transitions t GROUP BY t.stage`,
			`SELECT done_at / 604800000, SUM(process_ms) * 1.0 / SUM(done_at - created_at) FROM flow_items WHERE done_at >= $1 AND done_at < $2 GROUP BY 1`},
		{"aging_now", last30, models.Query{Metric: "aging", Filters: delivery}, rawStages,
			`SELECT COUNT(*) FROM flow_intervals WHERE value_stream = 'delivery' AND exited_at IS NULL`},
		{"littles_law_90d", last90, models.Query{Metric: "littles_law", Filters: delivery}, rawStages, rollupItems},
		{"wip_by_day_30d", last30, models.Query{Metric: "wip", Bucket: "1d", Filters: delivery}, rawStages,
			`SELECT COUNT(*) FROM flow_intervals WHERE value_stream = 'delivery' AND exited_at >= $1 AND +entered_at < $2`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.QueryType = models.QueryTypeFlow
			q.Normalize()
			env := query.Env{Store: st, From: c.from, To: yearEnd, Now: yearEnd}
			var ours, raw, rollup []time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := flow.Frames(context.Background(), env, q); err != nil {
					b.Fatal(err)
				}
				ours = append(ours, time.Since(t0))
				b.StopTimer()
				t1 := time.Now()
				drain(b, st, c.raw, c.from.UnixMilli(), yearEnd.UnixMilli())
				raw = append(raw, time.Since(t1))
				t2 := time.Now()
				drain(b, st, c.rollo, c.from.UnixMilli(), yearEnd.UnixMilli())
				rollup = append(rollup, time.Since(t2))
				b.StartTimer()
			}
			report(b, ours, raw, rollup)
		})
	}
}

// report prints p50 and p95 (nearest rank) of ours and the ratios of medians.
func report(b *testing.B, ours, raw, rollup []time.Duration) {
	q := func(d []time.Duration, p float64) float64 {
		s := append([]time.Duration(nil), d...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		k := int(math.Ceil(p*float64(len(s)))) - 1
		return float64(s[max(k, 0)].Microseconds()) / 1000
	}
	b.ReportMetric(q(ours, 0.5), "ms-p50")
	b.ReportMetric(q(ours, 0.95), "ms-p95")
	b.ReportMetric(q(raw, 0.5), "sql-raw-ms")
	b.ReportMetric(q(rollup, 0.5), "sql-rollup-ms")
	b.ReportMetric(q(ours, 0.5)/q(raw, 0.5), "x-vs-sql-raw")
	b.ReportMetric(q(ours, 0.5)/q(rollup, 0.5), "x-vs-sql-rollup")
}

// BenchmarkFlowWithoutRollups1M is the "before": the value stream map computed as it
// would be without rollups, deriving every completed item of the range from its stored
// transitions (the same Derive the rollups use), against the same raw SQL baseline.
func BenchmarkFlowWithoutRollups1M(b *testing.B) {
	st := millionFlow(b)
	defer st.Close()
	yearEnd := benchYear.AddDate(1, 0, 0)
	from := yearEnd.AddDate(0, 0, -30)
	ctx := context.Background()
	defs, err := flow.LoadDefinitions(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	var ours, raw []time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		// Items done in the range: done_at lives only in the derivation, so every item
		// created before the range end that is not known to be open must be derived.
		rows, err := st.QueryContext(ctx, `SELECT i.id, i.created_at, i.done_at, t.stage, t.entered_at, t.from_stage, t.state
			FROM work_items i JOIN work_item_transitions t ON t.source = i.source AND t.item_id = i.id
			WHERE i.value_stream = 'delivery' AND i.created_at >= $1 AND i.created_at < $2 ORDER BY i.id`,
			from.AddDate(0, 0, -60).UnixMilli(), yearEnd.UnixMilli())
		if err != nil {
			b.Fatal(err)
		}
		stageTimes := map[string][]float64{}
		var cur string
		var item flow.Item
		var events []flow.Event
		flush := func() {
			if cur == "" {
				return
			}
			d := flow.Derive(item, events, defs["delivery"])
			if d.Done && d.DoneAt >= from.UnixMilli() && d.DoneAt < yearEnd.UnixMilli() {
				for _, s := range d.Stages {
					stageTimes[s.Stage] = append(stageTimes[s.Stage], float64(s.ProcessMs+s.WaitMs)/1000)
				}
			}
		}
		for rows.Next() {
			var id string
			var created int64
			var done sql.NullInt64
			var e flow.Event
			if err := rows.Scan(&id, &created, &done, &e.Stage, &e.At, &e.From, &e.State); err != nil {
				b.Fatal(err)
			}
			if id != cur {
				flush()
				cur, events = id, events[:0]
				item = flow.Item{CreatedAt: created}
				if done.Valid {
					v := done.Int64
					item.DoneAt = &v
				}
			}
			events = append(events, e)
		}
		flush()
		rows.Close()
		for _, v := range stageTimes {
			sort.Float64s(v)
		}
		ours = append(ours, time.Since(t0))
		b.StopTimer()
		t1 := time.Now()
		drain(b, st, `SELECT t.stage, COUNT(*), MIN(t.entered_at), MAX(t.entered_at) FROM work_item_transitions t
			JOIN flow_items i ON i.source = t.source AND i.item_id = t.item_id
			WHERE i.value_stream = 'delivery' AND i.done_at >= $1 AND i.done_at < $2 GROUP BY t.stage`, from.UnixMilli(), yearEnd.UnixMilli())
		raw = append(raw, time.Since(t1))
		b.StartTimer()
	}
	report(b, ours, raw, raw)
}
