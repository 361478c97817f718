package kaizen_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// deps is the family's view of the full engine, as the registry wires it.
func deps() kaizen.Deps {
	e := metrics.Engine()
	return kaizen.Deps{Series: e.Series, Catalog: metrics.Catalog}
}

// ingestNDJSON stores records of one kind, failing the test on any rejection.
func ingestNDJSON(t testing.TB, st store.Store, kind string, lines []string, now time.Time) {
	t.Helper()
	k, err := ingest.DefaultKinds().Get(kind)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), st, k, ingest.NDJSON, strings.NewReader(strings.Join(lines, "\n")), ingest.Options{Now: now})
	if err != nil || len(res.Rejected) != 0 || res.Stored != len(lines) {
		t.Fatalf("ingesting %s: %+v %v", kind, res, err)
	}
}

// dailyIncidents gives service one incident per value, on consecutive days from
// first (01:00 UTC), each restored after value seconds: its daily MTTR is the value.
func dailyIncidents(service string, first time.Time, values []float64) []string {
	out := make([]string, len(values))
	for i, v := range values {
		start := first.AddDate(0, 0, i).Add(time.Hour)
		end := start.Add(time.Duration(math.Round(v*1000)) * time.Millisecond)
		out[i] = fmt.Sprintf(`{"id":"%s-%d","service":"%s","started_at":"%s","resolved_at":"%s"}`,
			service, i, service, start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano))
	}
	return out
}

// dailySamples gives a KPI one sample per value, on consecutive days from first (12:00 UTC).
func dailySamples(kpi string, first time.Time, values []float64) []string {
	out := make([]string, len(values))
	for i, v := range values {
		at := first.AddDate(0, 0, i).Add(12 * time.Hour)
		out[i] = fmt.Sprintf(`{"kpi":"%s","at":"%s","value":%s}`, kpi, at.Format(time.RFC3339), jsonNumber(v))
	}
	return out
}

func jsonNumber(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// mttrTarget is the target query of MTTR median per day for one service.
func mttrTarget(service string) string {
	return fmt.Sprintf(`{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d","filters":{"service":["%s"]}}`, service)
}

// createEvent stores an event from its JSON record, failing the test on error.
func createEvent(t testing.TB, st store.Store, body string, now time.Time) kaizen.Event {
	t.Helper()
	rec, _, err := ingest.ParseKaizenEvent([]byte(body), now)
	if err != nil {
		t.Fatalf("event %s: %v", body, err)
	}
	e, err := deps().Create(context.Background(), st, rec, kaizen.Writer{By: "test", Now: now})
	if err != nil {
		t.Fatalf("creating event %s: %v", body, err)
	}
	return e
}

// run executes one query through the registered engine at now.
func run(t testing.TB, st store.Store, q string, from, to, now time.Time) data.Frames {
	t.Helper()
	frames, err := runErr(st, q, from, to, now)
	if err != nil {
		t.Fatalf("query %s: %v", q, err)
	}
	return frames
}

func runErr(st store.Store, q string, from, to, now time.Time) (data.Frames, error) {
	mq, err := models.ParseQuery([]byte(q))
	if err != nil {
		return nil, err
	}
	return metrics.Engine().Run(context.Background(), query.Env{Store: st, From: from, To: to, Now: now}, mq)
}

// cell reads a table cell by column name, dereferencing pointers (nil stays nil).
func cell(t testing.TB, f *data.Frame, name string, row int) any {
	t.Helper()
	field, i := f.FieldByName(name)
	if i < 0 {
		t.Fatalf("frame %s has no field %s", f.Name, name)
	}
	v, ok := field.ConcreteAt(row)
	if !ok {
		return nil
	}
	return v
}

func fp(v float64) *float64 { return &v }

// relClose compares to 1e-9 relative (exact zeros equal).
func relClose(got, want float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= 1e-9*math.Max(math.Abs(got), math.Abs(want))
}
