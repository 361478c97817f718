package flow_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/flow"
)

var day0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// h is Jan 1 00:00 UTC plus hours, in Unix ms.
func h(hours float64) int64 { return day0.Add(time.Duration(hours * float64(time.Hour))).UnixMilli() }

const hour = int64(time.Hour / time.Millisecond)

func limit(n int) *int { return &n }

func deliveryDef() *flow.Definition {
	return &flow.Definition{Name: "delivery", Stages: []flow.Stage{
		{Name: "Backlog", Kind: flow.KindWaiting},
		{Name: "Dev", Kind: flow.KindActive, WIPLimit: limit(2)},
		{Name: "Review queue", Kind: flow.KindWaiting},
		{Name: "Review", Kind: flow.KindActive, WIPLimit: limit(1)},
		{Name: "Done", Kind: flow.KindDone},
	}}
}

func ev(stage string, at int64) flow.Event { return flow.Event{Stage: stage, At: at} }

func TestDeriveHandComputed(t *testing.T) {
	done := func(ms int64) *int64 { return &ms }
	cases := []struct {
		name   string
		item   flow.Item
		events []flow.Event
		def    *flow.Definition
		want   flow.Derived
	}{
		{
			// Backlog 0-2 wait, Dev 2-6, Review queue 6-8 wait, Review 8-9, Dev 9-10, Review 10-12,
			// Done at 12 completes it. Dev 4h+1h = 5h, Review 1h+2h = 3h: process 8h, wait 4h.
			name: "re-entered stages accumulate; entering Done completes the item",
			item: flow.Item{CreatedAt: h(0)},
			events: []flow.Event{ev("Backlog", h(0)), ev("Dev", h(2)), ev("Review queue", h(6)), ev("Review", h(8)),
				ev("Dev", h(9)), ev("Review", h(10)), ev("Done", h(12))},
			def: deliveryDef(),
			want: flow.Derived{Done: true, DoneAt: h(12), HasActive: true, FirstActive: h(2), ProcessMs: 8 * hour, WaitMs: 4 * hour,
				Intervals: []flow.Interval{
					{Stage: "Backlog", Entered: h(0), Exited: h(2), State: "waiting"},
					{Stage: "Dev", Entered: h(2), Exited: h(6), State: "active"},
					{Stage: "Review queue", Entered: h(6), Exited: h(8), State: "waiting"},
					{Stage: "Review", Entered: h(8), Exited: h(9), State: "active"},
					{Stage: "Dev", Entered: h(9), Exited: h(10), State: "active"},
					{Stage: "Review", Entered: h(10), Exited: h(12), State: "active"},
				},
				Stages: []flow.StageStay{
					{Stage: "Backlog", WaitMs: 2 * hour, Visits: 1},
					{Stage: "Dev", ProcessMs: 5 * hour, Visits: 2},
					{Stage: "Review queue", WaitMs: 2 * hour, Visits: 1},
					{Stage: "Review", ProcessMs: 3 * hour, Visits: 2},
				}},
		},
		{
			// The first event came from Backlog: Backlog from created (6) to 10 is 4h of wait.
			// Review queue and Review both at 20: Review queue (position 2) first, a stay of 0.
			// Dev at 32 is after done_at 30 and is dropped.
			name: "first event's from stage, identical timestamps, event after done_at",
			item: flow.Item{CreatedAt: h(6), DoneAt: done(h(30))},
			events: []flow.Event{{Stage: "Review", At: h(20), From: "Review queue"}, {Stage: "Review queue", At: h(20), From: "Dev"},
				{Stage: "Dev", At: h(10), From: "Backlog"}, {Stage: "Dev", At: h(32), From: "Review"}},
			def: deliveryDef(),
			want: flow.Derived{Done: true, DoneAt: h(30), HasActive: true, FirstActive: h(10), ProcessMs: 20 * hour, WaitMs: 4 * hour,
				Intervals: []flow.Interval{
					{Stage: "Backlog", Entered: h(6), Exited: h(10), State: "waiting"},
					{Stage: "Dev", Entered: h(10), Exited: h(20), State: "active"},
					{Stage: "Review queue", Entered: h(20), Exited: h(20), State: "waiting"},
					{Stage: "Review", Entered: h(20), Exited: h(30), State: "active"},
				},
				Stages: []flow.StageStay{
					{Stage: "Backlog", WaitMs: 4 * hour, Visits: 1},
					{Stage: "Dev", ProcessMs: 10 * hour, Visits: 1},
					{Stage: "Review queue", Visits: 1},
					{Stage: "Review", ProcessMs: 10 * hour, Visits: 1},
				}},
		},
		{
			// Backlog 24-36 wait, Dev 36-48 active, then Dev again at 48 marked waiting (blocked),
			// still open: only closed stays count, the open one is in the intervals.
			name: "in progress, blocked inside an active stage",
			item: flow.Item{CreatedAt: h(24)},
			events: []flow.Event{ev("Backlog", h(24)), {Stage: "Dev", At: h(36), From: "Backlog"},
				{Stage: "Dev", At: h(48), From: "Dev", State: "waiting"}},
			def: deliveryDef(),
			want: flow.Derived{HasActive: true, FirstActive: h(36), ProcessMs: 12 * hour, WaitMs: 12 * hour,
				Intervals: []flow.Interval{
					{Stage: "Backlog", Entered: h(24), Exited: h(36), State: "waiting"},
					{Stage: "Dev", Entered: h(36), Exited: h(48), State: "active"},
					{Stage: "Dev", Entered: h(48), Open: true, State: "waiting"},
				},
				Stages: []flow.StageStay{
					{Stage: "Backlog", WaitMs: 12 * hour, Visits: 1},
					{Stage: "Dev", ProcessMs: 12 * hour, Visits: 2},
				}},
		},
		{
			name:   "a value stream with one stage",
			item:   flow.Item{CreatedAt: h(36), DoneAt: done(h(48))},
			events: []flow.Event{ev("Work", h(36))},
			def:    &flow.Definition{Name: "ops", Stages: []flow.Stage{{Name: "Work", Kind: flow.KindActive}}},
			want: flow.Derived{Done: true, DoneAt: h(48), HasActive: true, FirstActive: h(36), ProcessMs: 12 * hour,
				Intervals: []flow.Interval{{Stage: "Work", Entered: h(36), Exited: h(48), State: "active"}},
				Stages:    []flow.StageStay{{Stage: "Work", ProcessMs: 12 * hour, Visits: 1}}},
		},
		{
			name: "done with no transitions: no stays, no cycle time",
			item: flow.Item{CreatedAt: h(48), DoneAt: done(h(54))},
			def:  deliveryDef(),
			want: flow.Derived{Done: true, DoneAt: h(54)},
		},
		{
			// Dev from 0 (clipped to created at 1) to 3; Backlog at -5 ends at 0, before the item
			// existed, and is dropped. Done at 3, reopened (Dev at 4), Done again at 6: the first
			// Done stay (3-4) is wait, the item is done at 6.
			name:   "events before created_at are clipped; a reopened item's Done stay is wait",
			item:   flow.Item{CreatedAt: h(1)},
			events: []flow.Event{ev("Backlog", h(-5)), ev("Dev", h(0)), ev("Done", h(3)), ev("Dev", h(4)), ev("Done", h(6))},
			def:    deliveryDef(),
			want: flow.Derived{Done: true, DoneAt: h(6), HasActive: true, FirstActive: h(1), ProcessMs: 4 * hour, WaitMs: 1 * hour,
				Intervals: []flow.Interval{
					{Stage: "Dev", Entered: h(1), Exited: h(3), State: "active"},
					{Stage: "Done", Entered: h(3), Exited: h(4), State: "waiting"},
					{Stage: "Dev", Entered: h(4), Exited: h(6), State: "active"},
				},
				Stages: []flow.StageStay{{Stage: "Dev", ProcessMs: 4 * hour, Visits: 2}, {Stage: "Done", WaitMs: 1 * hour, Visits: 1}}},
		},
		{
			// No definition: every stage is active unless the event says otherwise, and nothing
			// but done_at completes an item. Same-instant events go by name: "a" before "b".
			name:   "no definition",
			item:   flow.Item{CreatedAt: h(0)},
			events: []flow.Event{ev("b", h(1)), ev("a", h(1)), {Stage: "c", At: h(2), State: "waiting"}, ev("Done", h(3))},
			want: flow.Derived{HasActive: true, FirstActive: h(1), ProcessMs: 1 * hour, WaitMs: 1 * hour,
				Intervals: []flow.Interval{
					{Stage: "a", Entered: h(1), Exited: h(1), State: "active"},
					{Stage: "b", Entered: h(1), Exited: h(2), State: "active"},
					{Stage: "c", Entered: h(2), Exited: h(3), State: "waiting"},
					{Stage: "Done", Entered: h(3), Open: true, State: "active"},
				},
				Stages: []flow.StageStay{{Stage: "a", Visits: 1}, {Stage: "b", ProcessMs: hour, Visits: 1},
					{Stage: "c", WaitMs: hour, Visits: 1}, {Stage: "Done", Visits: 1}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := flow.Derive(c.item, c.events, c.def)
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Derive:\n got %+v\nwant %+v", got, c.want)
			}
			// Arrival order never matters.
			r := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < 20; i++ {
				shuffled := append([]flow.Event(nil), c.events...)
				r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
				if again := flow.Derive(c.item, shuffled, c.def); !reflect.DeepEqual(again, got) {
					t.Fatalf("order %v gave %+v", shuffled, again)
				}
			}
			// Process + wait never exceed the lead time.
			if got.Done && got.ProcessMs+got.WaitMs > got.DoneAt-c.item.CreatedAt {
				t.Fatalf("process %d + wait %d > lead %d", got.ProcessMs, got.WaitMs, got.DoneAt-c.item.CreatedAt)
			}
		})
	}
}
