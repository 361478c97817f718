package flow

import (
	"sort"
)

// Interval states.
const (
	StateActive  = "active"
	StateWaiting = "waiting"
)

// Event is one stored transition: the item entered Stage at At (Unix ms), coming
// from From when the sender said so, in an explicit State when the sender said so
// ("" means: take it from the stage's kind).
type Event struct {
	Stage string
	At    int64
	From  string
	State string
}

// Item is what derivation needs of a work item record.
type Item struct {
	CreatedAt int64
	// DoneAt is the recorded completion; nil when the record has none.
	DoneAt *int64
}

// Interval is one stay in a stage, [Entered, Exited); Open while the item is there.
type Interval struct {
	Stage   string
	Entered int64
	Exited  int64
	Open    bool
	State   string
}

// StageStay is an item's time in one stage, summed over re-entries.
type StageStay struct {
	Stage     string
	ProcessMs int64
	WaitMs    int64
	Visits    int
}

// Derived is everything the rollups keep about one item.
type Derived struct {
	Done   bool
	DoneAt int64
	// HasActive is false when the item never stayed in an active interval (no cycle time).
	HasActive   bool
	FirstActive int64
	// ProcessMs and WaitMs sum the closed intervals.
	ProcessMs int64
	WaitMs    int64
	Intervals []Interval
	// Stages in order of first visit.
	Stages []StageStay
}

// Derive turns an item's transition events into stage intervals. It is a pure function
// of the stored set, so the order in which events arrived never matters:
//
//  1. Events are sorted by time; events at the same instant by the stage's position in
//     the definition (undefined stages after defined ones), then by stage name.
//  2. The item is done at its recorded done_at; without one, when its last event enters
//     a done-kind stage, at the first event of that final run of done stages.
//  3. Events at or after done are dropped: nothing happens to a finished item.
//  4. When the first event names the stage it came from, the item stayed in that stage
//     from created_at (a tool's first webhook is usually "To Do → In Progress").
//  5. Each event opens a stay that lasts until the next event, the completion, or (still
//     in progress) is open. Stays are clipped to start at created_at; a stay wholly
//     before created_at is dropped. Stays of zero length (two events at one instant)
//     count as visits with no time.
//  6. A stay's state is the event's explicit state, else the stage's kind: active is
//     process time; waiting, and a done stage the item left again, are wait time;
//     stages missing from the definition count as active.
//  7. Re-entering a stage adds to that stage's time.
func Derive(item Item, events []Event, def *Definition) Derived {
	evs := append([]Event(nil), events...)
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.At != b.At {
			return a.At < b.At
		}
		pa, pb := def.order(a.Stage), def.order(b.Stage)
		if pa != pb {
			return pa < pb
		}
		if a.Stage != b.Stage {
			return a.Stage < b.Stage
		}
		return a.State < b.State
	})

	var d Derived
	switch {
	case item.DoneAt != nil:
		d.Done, d.DoneAt = true, *item.DoneAt
	case len(evs) > 0 && def.kind(evs[len(evs)-1].Stage) == KindDone:
		i := len(evs) - 1
		for i > 0 && def.kind(evs[i-1].Stage) == KindDone {
			i--
		}
		d.Done, d.DoneAt = true, evs[i].At
	}
	if d.Done {
		n := sort.Search(len(evs), func(i int) bool { return evs[i].At >= d.DoneAt })
		evs = evs[:n]
	}
	if len(evs) > 0 && evs[0].From != "" && evs[0].From != evs[0].Stage && item.CreatedAt < evs[0].At {
		evs = append([]Event{{Stage: evs[0].From, At: item.CreatedAt}}, evs...)
	}

	index := map[string]int{}
	for i, e := range evs {
		iv := Interval{Stage: e.Stage, Entered: max(e.At, item.CreatedAt), State: e.State}
		switch {
		case i+1 < len(evs):
			iv.Exited = evs[i+1].At
		case d.Done:
			iv.Exited = d.DoneAt
		default:
			iv.Open = true
		}
		if !iv.Open && (iv.Exited < iv.Entered || iv.Exited == iv.Entered && e.At < item.CreatedAt) {
			continue // wholly before the item existed
		}
		if iv.State == "" {
			iv.State = def.defaultState(e.Stage)
		}
		d.Intervals = append(d.Intervals, iv)

		k, seen := index[iv.Stage]
		if !seen {
			k = len(d.Stages)
			index[iv.Stage] = k
			d.Stages = append(d.Stages, StageStay{Stage: iv.Stage})
		}
		d.Stages[k].Visits++
		if iv.State == StateActive && (!d.HasActive || iv.Entered < d.FirstActive) {
			d.HasActive, d.FirstActive = true, iv.Entered
		}
		if iv.Open {
			continue
		}
		ms := iv.Exited - iv.Entered
		if iv.State == StateActive {
			d.Stages[k].ProcessMs += ms
			d.ProcessMs += ms
		} else {
			d.Stages[k].WaitMs += ms
			d.WaitMs += ms
		}
	}
	return d
}
