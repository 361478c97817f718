package flow_test

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
)

// The hand-worked data set (testdata/), range 2024-01-01 to 2024-01-04 UTC. Stream
// "delivery": Backlog (waiting), Dev (active, WIP limit 2), Review queue (waiting),
// Review (active, limit 1), Done (done). Stream "ops": one active stage, Work.
//
//	A delivery core  created Jan 1 00:00. Backlog 00-02, Dev 02-06, Review queue 06-08, Review 08-09,
//	                 Dev 09-10, Review 10-12, Done at 12:00 (no done_at). Lead 12h, cycle 10h,
//	                 process 8h (Dev 5h, Review 3h), wait 4h (Backlog 2h, Review queue 2h).
//	                 Its transitions arrive shuffled, one of them twice.
//	B delivery core  created Jan 1 06:00, done_at Jan 2 06:00. First event "from Backlog to Dev" at
//	                 10:00, so Backlog 06-10; Review queue and Review both at 20:00 (Review queue is a
//	                 0h stay); Review 20:00-06:00; an event after done_at is dropped. Lead 24h,
//	                 cycle 20h, process 20h (Dev 10h, Review 10h), wait 4h.
//	C delivery edge  created Jan 2 00:00, in progress: Backlog 00-12, Dev 12:00 Jan 2 to 00:00 Jan 3
//	                 (active), then Dev again marked waiting (blocked), still open.
//	D ops      edge  created Jan 2 12:00, done_at Jan 3 00:00, Work 12:00-00:00: 12h, all process.
//	E delivery edge  created Jan 3 00:00, done_at Jan 3 06:00, no transitions: lead 6h only.
var (
	from = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)
)

func loadDefinition(t testing.TB, st store.Store, name, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	def, err := flow.ParseDefinition(name, f)
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

// ingestFile loads a testdata file through the ingest path the resource API uses.
func ingestFile(t testing.TB, st store.Store, kind, path string, now time.Time) ingest.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, err := ingest.DefaultKinds().Get(kind)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), flow.WithRollups(st, now), k, ingest.NDJSON, f, ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 0 {
		t.Fatalf("%s rejected %+v", path, res.Rejected)
	}
	return res
}

func loadHand(t testing.TB, st store.Store) {
	t.Helper()
	loadDefinition(t, st, "delivery", "testdata/delivery.json")
	loadDefinition(t, st, "ops", "testdata/ops.json")
	// Transitions first: until their items arrive they wait, stored, without rollups.
	if res := ingestFile(t, st, "transitions", "testdata/hand_transitions.ndjson", to); res.Stored != 15 || res.Superseded != 1 {
		t.Fatalf("transitions: %+v", res)
	}
	if res := ingestFile(t, st, "work_items", "testdata/hand_items.ndjson", to.Add(time.Millisecond)); res.Stored != 5 {
		t.Fatalf("work items: %+v", res)
	}
}

func modelsQuery(metric string, filters map[string][]string) models.Query {
	return models.Query{Metric: metric, Bucket: "none", Filters: filters}
}

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

// column reads a frame field as nullable floats.
func column(t *testing.T, fr *data.Frame, name string) []*float64 {
	t.Helper()
	idx := -1
	for i, fl := range fr.Fields {
		if fl.Name == name {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatalf("frame %s has no field %s", fr.Name, name)
	}
	fl := fr.Fields[idx]
	out := make([]*float64, fl.Len())
	for i := range out {
		v, ok := fl.ConcreteAt(i)
		if !ok {
			continue
		}
		out[i] = f(v.(float64))
	}
	return out
}

func strings_(t *testing.T, fr *data.Frame, name string) []string {
	t.Helper()
	for _, fl := range fr.Fields {
		if fl.Name == name {
			out := make([]string, fl.Len())
			for i := range out {
				out[i] = fl.At(i).(string)
			}
			return out
		}
	}
	t.Fatalf("frame %s has no field %s", fr.Name, name)
	return nil
}

func checkColumn(t *testing.T, fr *data.Frame, name string, want []*float64) {
	t.Helper()
	got := column(t, fr, name)
	if len(got) != len(want) {
		t.Fatalf("%s.%s has %d values, want %d", fr.Name, name, len(got), len(want))
	}
	for i := range want {
		if !sameValue(got[i], want[i]) {
			t.Errorf("%s.%s[%d] = %s, want %s", fr.Name, name, i, show(got[i]), show(want[i]))
		}
	}
}
