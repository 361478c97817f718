package annotations_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/annotations"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The delivery family's hand-worked set (pkg/metrics/delivery/testdata), range
// 2024-01-01 to 2024-01-08: 11 deployments in the range (D0 and D10 lie outside) and
// three incidents, INC-W (Jan 1 12:30–14:00, caused by D4), INC-N (Jan 2 03:00–04:00)
// and INC-A (Jan 3 20:10, still open, caused by "api:D8").
var (
	from = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
)

func loadHand(t *testing.T, st store.Store) {
	t.Helper()
	for _, l := range []struct{ kind, file string }{{"deployments", "deployments.ndjson"}, {"incidents", "incidents.ndjson"}} {
		fh, err := os.Open("../delivery/testdata/" + l.file)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := ingest.DefaultKinds().Get(l.kind)
		_, err = ingest.Ingest(context.Background(), st, k, ingest.NDJSON, fh, ingest.Options{Now: to})
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func run(t *testing.T, st store.Store, q models.Query) *data.Frame {
	t.Helper()
	q.QueryType = models.QueryTypeAnnotations
	q.Normalize()
	frames, err := annotations.Query(context.Background(), query.Env{Store: st, From: from, To: to, Now: to.Add(48 * time.Hour)}, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 1 {
		t.Fatalf("%d frames, want 1 (Grafana merges several by time)", len(frames))
	}
	return frames[0]
}

func column(f *data.Frame, name string) []string {
	field, _ := f.FieldByName(name)
	out := make([]string, field.Len())
	for i := range out {
		switch v := field.At(i).(type) {
		case string:
			out[i] = v
		case time.Time:
			out[i] = v.Format("Jan 2 15:04")
		case *time.Time:
			if v != nil {
				out[i] = v.Format("Jan 2 15:04")
			}
		}
	}
	return out
}

func TestAnnotationsHandWorked(t *testing.T) {
	cases := []struct {
		name string
		q    models.Query
		ids  string
	}{
		{"incidents and deployments in time order", models.Query{},
			"D1 D2 D3 S1 D4 INC-W INC-N S2 D5 D6 D7 D8 INC-A D11"},
		{"a severity filter narrows incidents only", models.Query{Filters: map[string][]string{"severity": {"sev1"}}},
			"D1 D2 D3 S1 D4 S2 D5 D6 D7 D8 INC-A D11"},
		{"deployments to staging", models.Query{Metric: "deployments", Filters: map[string][]string{"environment": {"staging"}}},
			"S1 S2"},
		{"status failed: deployments that failed; incidents are open or resolved", models.Query{Filters: map[string][]string{"status": {"failed"}}},
			"D2 S1 D11"},
		{"open incidents", models.Query{Metric: "incidents", Filters: map[string][]string{"status": {"open"}}},
			"INC-A"},
		{"one team's incidents and deployments", models.Query{Filters: map[string][]string{"team": {"edge"}, "service": {"web"}}},
			"D4 INC-W S2 D5 D6 D7 D11"},
	}
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadHand(t, st)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				f := run(t, st, c.q)
				var ids []string
				for _, id := range column(f, "id") {
					ids = append(ids, id[strings.LastIndex(id, ":")+1:])
				}
				if got := strings.Join(ids, " "); got != c.ids {
					t.Fatalf("annotations %s, want %s", got, c.ids)
				}
			})
		}

		f := run(t, st, models.Query{})
		if names := fieldNames(f); strings.Join(names, ",") != "time,timeEnd,title,text,tags,id" {
			t.Fatalf("fields %v", names)
		}
		row := map[string]int{}
		for i, id := range column(f, "id") {
			row[id] = i
		}
		get := func(id, field string) string { return column(f, field)[row[id]] }
		checks := []struct{ id, field, want string }{
			{"incident:api:INC-W", "title", "Incident INC-W: Checkout page 500s"},
			{"incident:api:INC-W", "text", "severity sev2 · service web · team edge\nDetected after 5m\nResolved after 1h 30m\nCaused by deployment D4"},
			{"incident:api:INC-W", "time", "Jan 1 12:30"},
			{"incident:api:INC-W", "timeEnd", "Jan 1 14:00"},
			{"incident:api:INC-W", "tags", "incident,sev2,web,edge"},
			// Open: the region runs to the range end (now is later); Jan 3 20:10 to Jan 8 00:00.
			{"incident:api:INC-A", "timeEnd", "Jan 8 00:00"},
			{"incident:api:INC-A", "tags", "incident,sev1,api,core,open"},
			{"incident:api:INC-A", "text", "severity sev1 · service api · team core\nStill open (4d 3h so far)\nCaused by deployment api:D8"},
			{"deployment:api:D4", "title", "Deployment web 7.1 to production: caused an incident"},
			{"deployment:api:D4", "text", "team edge · source api, id D4\nLead time 12h (first commit to deployment)\nNamed by incident INC-W"},
			{"deployment:api:D4", "tags", "deployment,web,production,success,edge"},
			{"deployment:api:D4", "timeEnd", ""},
			{"deployment:api:D8", "text", "team core · source api, id D8\nLead time 30m (first commit to deployment)\nNamed by incident INC-A"},
			{"deployment:api:D6", "title", "Deployment web 7.3 to production: rolled_back"},
			{"deployment:api:D5", "text", "team edge · source api, id D5"},
		}
		for _, c := range checks {
			if got := get(c.id, c.field); got != c.want {
				t.Errorf("%s %s = %q, want %q", c.id, c.field, got, c.want)
			}
		}
	})
}

func TestAnnotationsLimit(t *testing.T) {
	st := storetest.OpenSQLite(t)
	var b strings.Builder
	for i := 0; i < annotations.Limit+5; i++ {
		fmt.Fprintf(&b, `{"id":"X%d","service":"api","environment":"production","deployed_at":%q}`+"\n", i, from.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
	}
	k, _ := ingest.DefaultKinds().Get("deployments")
	if _, err := ingest.Ingest(context.Background(), st, k, ingest.NDJSON, strings.NewReader(b.String()), ingest.Options{Now: to}); err != nil {
		t.Fatal(err)
	}
	f := run(t, st, models.Query{Metric: "deployments"})
	ids := column(f, "id")
	if len(ids) != annotations.Limit || ids[0] != "deployment:api:X5" || ids[len(ids)-1] != fmt.Sprintf("deployment:api:X%d", annotations.Limit+4) {
		t.Fatalf("%d annotations from %s to %s; want the latest %d", len(ids), ids[0], ids[len(ids)-1], annotations.Limit)
	}
	if f.Meta == nil || len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "narrow the range") {
		t.Fatalf("notices %+v", f.Meta)
	}
}

func TestAnnotationQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	for _, q := range []models.Query{
		{Metric: "alerts"},
		{GroupBy: []string{"service"}},
		{Filters: map[string][]string{"detected_by": {"customer"}}},
	} {
		q.QueryType = models.QueryTypeAnnotations
		q.Normalize()
		if _, err := annotations.Query(context.Background(), query.Env{Store: st, From: from, To: to}, q); err == nil {
			t.Errorf("query %+v accepted", q)
		} else {
			t.Log(err)
		}
	}
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}
