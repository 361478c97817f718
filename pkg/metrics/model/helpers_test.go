package model_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// day0 is the first day of every test data set.
var day0 = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return day0.AddDate(0, 0, n) }

// numbers draws n values of a normal distribution, rounded to two decimals so that
// windows have ties (the streaming merges must group them as SciPy does).
func numbers(seed uint64, n int, mean, sd float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Round((mean+sd*r.NormFloat64())*100) / 100
	}
	return out
}

// loadValues stores values of a feature spread evenly over one day, through the batch
// form (one batch, an array of times).
func loadValues(t *testing.T, st store.Store, mdl, feature string, d time.Time, values []float64) {
	t.Helper()
	times := make([]string, len(values))
	step := 24 * time.Hour / time.Duration(len(values))
	for i := range values {
		times[i] = d.Add(time.Duration(i) * step).Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(map[string]any{"model": mdl, "feature": feature, "observed_at": times, "values": values})
	ingestBatch(t, st, string(b), len(values))
}

// loadCategories stores categories of a feature spread over one day.
func loadCategories(t *testing.T, st store.Store, mdl, feature string, d time.Time, cats []string) {
	t.Helper()
	times := make([]string, len(cats))
	step := 24 * time.Hour / time.Duration(len(cats))
	for i := range cats {
		times[i] = d.Add(time.Duration(i) * step).Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(map[string]any{"model": mdl, "feature": feature, "observed_at": times, "categories": cats})
	ingestBatch(t, st, string(b), len(cats))
}

func ingestBatch(t *testing.T, st store.Store, payload string, want int) {
	t.Helper()
	res, err := ingest.IngestObservationBatches(context.Background(), st, ingest.JSON, strings.NewReader(payload), ingest.Options{Now: day(60)})
	if err != nil || res.Stored != want || len(res.Rejected) != 0 {
		t.Fatalf("loading: %+v %v", res, err)
	}
}

// ingestNDJSON stores records of a kind (observations or outcomes).
func ingestNDJSON(t *testing.T, st store.Store, kind, payload string) {
	t.Helper()
	k, err := ingest.DefaultKinds().Get(kind)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), st, k, ingest.NDJSON, strings.NewReader(payload), ingest.Options{Now: day(60)})
	if err != nil || len(res.Rejected) != 0 {
		t.Fatalf("loading %s: %+v %v", kind, res, err)
	}
}

func repeat(v string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// compute runs a series query over [from, to).
func compute(t *testing.T, st store.Store, from, to time.Time, q models.Query) query.Result {
	t.Helper()
	res, err := computeErr(st, from, to, q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func computeErr(st store.Store, from, to time.Time, q models.Query) (query.Result, error) {
	q.QueryType = models.QueryTypeModel
	q.Normalize()
	return model.Compute(context.Background(), query.Env{Store: st, From: from, To: to, Now: day(60)}, q)
}

// frames runs a query through the frames handler.
func frames(t *testing.T, st store.Store, from, to time.Time, q models.Query) data.Frames {
	t.Helper()
	q.QueryType = models.QueryTypeModel
	q.Normalize()
	fs, err := model.Frames(context.Background(), query.Env{Store: st, From: from, To: to, Now: day(60)}, q)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// seriesOf returns the series of a group (model, feature...).
func seriesOf(t *testing.T, res query.Result, group ...string) query.Series {
	t.Helper()
	for _, s := range res.Series {
		if strings.Join(s.Group, "/") == strings.Join(group, "/") {
			return s
		}
	}
	var have []string
	for _, s := range res.Series {
		have = append(have, strings.Join(s.Group, "/"))
	}
	t.Fatalf("no series %v; have %v", group, have)
	return query.Series{}
}

func fp(v float64) *float64 { return &v }

// near says whether two statistics agree to 1e-9 relative (the golden vectors'
// tolerance); +Inf equals +Inf.
func near(a, b float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsNaN(a) || math.IsNaN(b) {
		return a == b || (math.IsNaN(a) && math.IsNaN(b))
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

func sameValues(t *testing.T, what string, got, want []*float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if (g == nil) != (w == nil) || (g != nil && !near(*g, *w)) {
			t.Errorf("%s[%d] = %s, want %s", what, i, show(g), show(w))
		}
	}
}

// field returns a frame's field by name.
func field(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	fl, i := f.FieldByName(name)
	if i < 0 {
		var names []string
		for _, x := range f.Fields {
			names = append(names, x.Name)
		}
		t.Fatalf("frame %s has no field %s; fields %v", f.Name, name, names)
	}
	return fl
}

func notices(fs data.Frames) string {
	var out []string
	for _, f := range fs {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				out = append(out, n.Text)
			}
		}
	}
	return strings.Join(out, "\n")
}
