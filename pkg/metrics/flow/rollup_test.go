package flow_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// randomFlow writes n items of two streams with random walks through the stages
// (backward moves, re-entries, same-instant events, blocked stays, items left in
// progress, some done by done_at and some by a done stage) as NDJSON lines.
func randomFlow(n int, seed uint64) (items, transitions []string) {
	r := rand.New(rand.NewPCG(seed, 9))
	stages := map[string][]string{
		"delivery": {"Backlog", "Dev", "Review queue", "Review", "Done"},
		"ops":      {"Work", "Undefined stage"},
	}
	for i := 0; i < n; i++ {
		stream := "delivery"
		if r.IntN(4) == 0 {
			stream = "ops"
		}
		created := from.Add(time.Duration(r.IntN(48*60)) * time.Minute)
		t := created.Add(time.Duration(r.IntN(120)-20) * time.Minute) // sometimes before created
		st := stages[stream]
		pos := 0
		var doneAt string
		for k := 0; k < 1+r.IntN(8); k++ {
			line := fmt.Sprintf(`{"item_id":"I%d","stage":%q,"entered_at":%q`, i, st[pos], t.Format(time.RFC3339))
			if r.IntN(5) == 0 {
				line += `,"state":"waiting"`
			}
			if k == 0 && r.IntN(3) == 0 {
				line += `,"from_stage":"Backlog"`
			}
			transitions = append(transitions, line+"}")
			if r.IntN(6) == 0 { // a duplicate, re-sent
				transitions = append(transitions, line+"}")
			}
			if r.IntN(4) != 0 {
				t = t.Add(time.Duration(r.IntN(600)) * time.Minute)
			}
			switch {
			case r.IntN(5) == 0 && pos > 0:
				pos--
			case pos < len(st)-1:
				pos++
			}
		}
		if r.IntN(3) == 0 {
			done := t.Add(time.Duration(r.IntN(300)-100) * time.Minute)
			if done.Before(created) {
				done = created
			}
			doneAt = fmt.Sprintf(`,"done_at":%q`, done.Format(time.RFC3339))
		}
		items = append(items, fmt.Sprintf(`{"id":"I%d","value_stream":%q,"team":"t%d","type":"x","created_at":%q%s}`, i, stream, r.IntN(3), created.Format(time.RFC3339), doneAt))
	}
	return items, transitions
}

type rollupSnapshot map[string][]string

func snapshot(t *testing.T, st store.Store) rollupSnapshot {
	t.Helper()
	out := rollupSnapshot{}
	for table, cols := range map[string]string{
		"flow_items":     "source, item_id, value_stream, type, team, created_at, done_at, first_active_at, process_ms, wait_ms, stays, stage_times",
		"flow_intervals": "source, item_id, stage, entered_at, exited_at, state, value_stream, type, team",
		"flow_open":      "source, item_id, stage, entered_at, state, value_stream, type, team, first_active_at",
	} {
		rows, err := st.QueryContext(context.Background(), "SELECT "+cols+" FROM "+table+" ORDER BY "+cols)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(cols, ",") + 1
		for rows.Next() {
			vals := make([]sql.NullString, n)
			dest := make([]any, n)
			for i := range vals {
				dest[i] = &vals[i]
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprint(vals))
		}
		rows.Close()
	}
	// The daily counts, and the same counts taken from the stays (rows that an item's
	// rewrite brought back to zero are not counts).
	for name, q := range map[string]string{
		"flow_stage_days": `SELECT day, value_stream, stage, team, type, arrivals, departures FROM flow_stage_days
			WHERE arrivals <> 0 OR departures <> 0 ORDER BY 1, 2, 3, 4, 5`,
		"stays per day": `SELECT day, value_stream, stage, team, type, SUM(a), SUM(d) FROM (
			SELECT entered_at / 86400000 * 86400000 AS day, value_stream, stage, team, type, 1 AS a, 0 AS d FROM flow_intervals
			UNION ALL
			SELECT exited_at / 86400000 * 86400000, value_stream, stage, team, type, 0, 1 FROM flow_intervals WHERE exited_at IS NOT NULL
		) x GROUP BY day, value_stream, stage, team, type ORDER BY 1, 2, 3, 4, 5`,
	} {
		rows, err := st.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var day, arrivals, departures int64
			var stream, stage, team, typ string
			if err := rows.Scan(&day, &stream, &stage, &team, &typ, &arrivals, &departures); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], fmt.Sprint(day, stream, stage, team, typ, arrivals, departures))
		}
		rows.Close()
	}
	return out
}

func ingestLines(t *testing.T, st store.Store, kind string, lines []string, now time.Time) {
	t.Helper()
	k, _ := ingest.DefaultKinds().Get(kind)
	res, err := ingest.Ingest(context.Background(), flow.WithRollups(st, now), k, ingest.NDJSON,
		bytes.NewReader([]byte(strings.Join(lines, "\n"))), ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) > 0 {
		t.Fatalf("rejected %+v", res.Rejected)
	}
}

// TestRollupsMatchAFreshDerivation: whatever order and chunks the events arrive in, with
// duplicates and a definition changed halfway, the rollups equal a rebuild from the
// stored events, and a store loaded in one go.
func TestRollupsMatchAFreshDerivation(t *testing.T) {
	items, transitions := randomFlow(300, 5)
	storetest.Each(t, func(t *testing.T, st store.Store) {
		r := rand.New(rand.NewPCG(3, 3))
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		r.Shuffle(len(transitions), func(i, j int) { transitions[i], transitions[j] = transitions[j], transitions[i] })
		now := to
		tick := func() time.Time { now = now.Add(time.Millisecond); return now }
		// The first definition has Review active; the final one makes it waiting.
		saveDef(t, st, `{"stages":[{"name":"Backlog","kind":"waiting"},{"name":"Dev"},{"name":"Review queue","kind":"waiting"},{"name":"Review"},{"name":"Done","kind":"done"}]}`)
		ti, ii := 0, 0
		for ti < len(transitions) || ii < len(items) {
			if ti < len(transitions) && (ii >= len(items) || r.IntN(2) == 0) {
				n := min(1+r.IntN(60), len(transitions)-ti)
				ingestLines(t, st, "transitions", transitions[ti:ti+n], tick())
				ti += n
			} else {
				n := min(1+r.IntN(30), len(items)-ii)
				ingestLines(t, st, "work_items", items[ii:ii+n], tick())
				ii += n
			}
			if ti > len(transitions)/2 && ti-60 <= len(transitions)/2 {
				saveDef(t, st, `{"stages":[{"name":"Backlog","kind":"waiting"},{"name":"Dev"},{"name":"Review queue","kind":"waiting"},{"name":"Review","kind":"waiting"},{"name":"Done","kind":"done"}]}`)
			}
		}
		saveDef(t, st, `{"stages":[{"name":"Backlog","kind":"waiting"},{"name":"Dev"},{"name":"Review queue","kind":"waiting"},{"name":"Review","kind":"waiting"},{"name":"Done","kind":"done"}]}`)
		incremental := snapshot(t, st)
		if len(incremental["flow_items"]) < 250 || len(incremental["flow_intervals"]) < 500 {
			t.Fatalf("too little data to compare: %d items, %d intervals", len(incremental["flow_items"]), len(incremental["flow_intervals"]))
		}
		// Items rewritten over and over (transitions arriving in chunks, a definition
		// change) leave the daily counts equal to the stays they count.
		if got, want := incremental["flow_stage_days"], incremental["stays per day"]; len(want) < 20 || !reflect.DeepEqual(got, want) {
			t.Fatalf("flow_stage_days has %d rows, the stays give %d; equal: %v", len(got), len(want), reflect.DeepEqual(got, want))
		}
		if err := st.WithTx(context.Background(), func(tx store.Tx) error {
			_, err := flow.Rebuild(context.Background(), tx, st.Dialect())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if rebuilt := snapshot(t, st); !reflect.DeepEqual(incremental, rebuilt) {
			for table := range rebuilt {
				if !reflect.DeepEqual(incremental[table], rebuilt[table]) {
					t.Errorf("%s differs after a rebuild: %d rows incrementally, %d rebuilt", table, len(incremental[table]), len(rebuilt[table]))
				}
			}
		}

		fresh := storetest.OpenSQLite(t)
		saveDef(t, fresh, `{"stages":[{"name":"Backlog","kind":"waiting"},{"name":"Dev"},{"name":"Review queue","kind":"waiting"},{"name":"Review","kind":"waiting"},{"name":"Done","kind":"done"}]}`)
		ingestLines(t, fresh, "work_items", items, to)
		ingestLines(t, fresh, "transitions", transitions, to.Add(time.Millisecond))
		if once := snapshot(t, fresh); !reflect.DeepEqual(incremental, once) {
			t.Errorf("a store loaded in one go differs from one loaded in %d chunks", len(items))
		}
	})
}

func saveDef(t *testing.T, st store.Store, body string) {
	t.Helper()
	def, err := flow.ParseDefinition("delivery", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WithTx(context.Background(), func(tx store.Tx) error {
		_, err := flow.SaveDefinition(context.Background(), tx, st.Dialect(), def, to)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func TestDefinitionChangeRecomputes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		// Review queue becomes active: A's 2h and B's 0h there turn from wait into process.
		saveDef(t, st, `{"stages":[{"name":"Backlog","kind":"waiting"},{"name":"Dev","wip_limit":2},{"name":"Review queue"},{"name":"Review","wip_limit":1},{"name":"Done","kind":"done"}]}`)
		fr := runFrames(t, st, modelsQuery("flow_efficiency", delivery))[0]
		checkColumn(t, fr, "flow_efficiency", []*float64{f(30.0 / 36)})
		// Without a definition Done is an ordinary stage: A is not done any more, its Done stay is open.
		var found bool
		if err := st.WithTx(context.Background(), func(tx store.Tx) error {
			var err error
			found, _, err = flow.DeleteDefinition(context.Background(), tx, st.Dialect(), "delivery")
			return err
		}); err != nil || !found {
			t.Fatalf("delete: %v %v", found, err)
		}
		items := runFrames(t, st, modelsQuery("items", delivery))[0]
		if got := strings.Join(strings_(t, items, "id"), ","); got != "B,E" {
			t.Fatalf("completed items without a definition: %s", got)
		}
	})
}
