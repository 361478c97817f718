package slo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// ingestAt is the ingest clock of test data: after every sample time used.
var ingestAt = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func define(t *testing.T, st store.Store, js string) {
	t.Helper()
	d, err := DecodeDefinition([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CreateDefinition(context.Background(), st, d, ingestAt); err != nil {
		t.Fatalf("defining %s: %v", js, err)
	}
}

// sampleWriter builds an NDJSON payload of SLI samples.
type sampleWriter struct{ b strings.Builder }

func (w *sampleWriter) add(slo string, at time.Time, dur string, good, total float64) {
	fmt.Fprintf(&w.b, `{"slo":%q,"at":%q,"duration":%q,"good":%v,"total":%v}`+"\n", slo, at.Format(time.RFC3339), dur, good, total)
}

// every adds one sample per step in [from, to).
func (w *sampleWriter) every(slo string, from, to time.Time, step time.Duration, dur string, good, total float64) {
	for at := from; at.Before(to); at = at.Add(step) {
		w.add(slo, at, dur, good, total)
	}
}

func (w *sampleWriter) store(t *testing.T, st store.Store) {
	t.Helper()
	res, err := ingest.IngestSLI(context.Background(), st, ingest.NDJSON, strings.NewReader(w.b.String()), ingest.Options{Now: ingestAt})
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("ingest: %v %+v", err, res.Rejected)
	}
	w.b.Reset()
}

func incidents(t *testing.T, st store.Store, ndjson string) {
	t.Helper()
	kind, err := ingest.DefaultKinds().Get("incidents")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, strings.NewReader(ndjson), ingest.Options{Now: ingestAt})
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("incidents: %v %+v", err, res.Rejected)
	}
}

func sloQuery(metric, bucket string, filters map[string][]string, opts *models.SLOOptions) models.Query {
	q := models.Query{QueryType: models.QueryTypeSLO, Metric: metric, Bucket: bucket, Filters: filters, SLO: opts}
	q.Normalize()
	return q
}

func env(st store.Store, from, to, now time.Time) query.Env {
	return query.Env{Store: st, From: from, To: to, Now: now}
}

// seriesOf returns the values of the series whose labels are group.
func seriesOf(t *testing.T, res query.Result, group ...string) []*float64 {
	t.Helper()
	for _, s := range res.Series {
		if strings.Join(s.Group, "/") == strings.Join(group, "/") {
			return s.Values
		}
	}
	t.Fatalf("no series %v in %d series", group, len(res.Series))
	return nil
}

// one returns the single value of an unbucketed series.
func one(t *testing.T, res query.Result, group ...string) *float64 {
	t.Helper()
	v := seriesOf(t, res, group...)
	if len(v) != 1 {
		t.Fatalf("series %v has %d values", group, len(v))
	}
	return v[0]
}

func close(a, b float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func checkValue(t *testing.T, what string, got *float64, want *float64) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case want != nil && got == nil:
		t.Errorf("%s = null, want %v", what, *want)
	case want != nil && !close(*got, *want):
		t.Errorf("%s = %v, want %v", what, *got, *want)
	}
}

func f(v float64) *float64 { return &v }

// frameByName finds a frame of a status bundle.
func frameByName(t *testing.T, frames data.Frames, name string) *data.Frame {
	t.Helper()
	for _, fr := range frames {
		if fr.Name == name {
			return fr
		}
	}
	t.Fatalf("no frame %q", name)
	return nil
}

// row reads a table frame's row as field name → value (pointers dereferenced).
func row(t *testing.T, fr *data.Frame, i int) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, fl := range fr.Fields {
		v, ok := fl.ConcreteAt(i)
		if !ok {
			v = nil
		}
		out[fl.Name] = v
	}
	return out
}
