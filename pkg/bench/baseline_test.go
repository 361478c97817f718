package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// Five incidents: two days, two services, two severities.
const baselineIncidents = `[
 {"id":"1","service":"api","severity":"sev1","started_at":"2025-01-01T01:00:00Z","resolved_at":"2025-01-01T01:10:00Z"},
 {"id":"2","service":"api","severity":"sev2","started_at":"2025-01-01T05:00:00Z","resolved_at":"2025-01-01T05:30:00Z"},
 {"id":"3","service":"web","severity":"sev1","started_at":"2025-01-01T06:00:00Z","resolved_at":"2025-01-01T07:00:00Z"},
 {"id":"4","service":"api","severity":"sev1","started_at":"2025-01-02T03:00:00Z","resolved_at":"2025-01-02T03:20:00Z"},
 {"id":"5","service":"api","severity":"sev1","started_at":"2025-01-03T03:00:00Z","resolved_at":"2025-01-03T03:20:00Z"}
]`

func TestBaselineFor(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 2) // incident 5 is outside the range
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		kind, _ := ingest.DefaultKinds().Get("incidents")
		if _, err := ingest.Ingest(ctx, st, kind, ingest.JSON, strings.NewReader(baselineIncidents), ingest.Options{Now: to}); err != nil {
			t.Fatal(err)
		}
		// MTTR per day for service api, grouped by severity; "team" is a filter on a column
		// with no value list here and "nope" is not a column, so neither constrains the SQL.
		q := models.Query{QueryType: models.QueryTypeIncidents, Metric: "mttr", Bucket: "1d", GroupBy: []string{"severity", "nope"},
			Filters: map[string][]string{"service": {"api"}, "team": {}, "nope": {"x"}}}
		b, err := BaselineFor(ctx, st, q, from, to, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := st.QueryRowContext(ctx, b.CountSQL, b.Args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 { // incidents 1, 2 and 4: api, in range
			t.Fatalf("rows in range %d, want 3 (%s)", n, b.CountSQL)
		}
		rows, err := st.QueryContext(ctx, b.SQL, b.Args...)
		if err != nil {
			t.Fatalf("%s: %v", b.SQL, err)
		}
		defer rows.Close()
		got := map[string][2]float64{}
		for rows.Next() {
			var day int64
			var sev string
			var count, mean float64
			if err := rows.Scan(&day, &sev, &count, &mean); err != nil {
				t.Fatal(err)
			}
			got[time.UnixMilli(day).UTC().Format("01-02")+" "+sev] = [2]float64{count, mean}
		}
		// Jan 1 sev1: incident 1, 10 min = 600,000 ms; Jan 1 sev2: incident 2, 1,800,000 ms;
		// Jan 2 sev1: incident 4, 20 min = 1,200,000 ms.
		want := map[string][2]float64{"01-01 sev1": {1, 600_000}, "01-01 sev2": {1, 1_800_000}, "01-02 sev1": {1, 1_200_000}}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s = %v, want %v", k, got[k], w)
			}
		}
	})
}

func TestBaselineSources(t *testing.T) {
	src := models.Query{QueryType: models.QueryTypeKPI, Metric: "value", Bucket: "1d"}
	cases := []struct {
		q     models.Query
		table string
	}{
		{models.Query{QueryType: models.QueryTypeSPC, SPC: &models.SPCOptions{Source: &src}}, "kpi_samples"},
		{models.Query{QueryType: models.QueryTypeAlerts, Metric: "detection_mttd"}, "incidents"},
		{models.Query{QueryType: models.QueryTypeAlerts, Metric: "alerts"}, "alert_events"},
		{models.Query{QueryType: models.QueryTypeSLO, Metric: "status"}, "sli_samples"},
	}
	for _, c := range cases {
		if got := families[baselineSource(c.q).QueryType].table; got != c.table {
			t.Errorf("%s %s: baseline on %q, want %q", c.q.QueryType, c.q.Metric, got, c.table)
		}
	}
	if _, err := BaselineFor(context.Background(), nil, models.Query{QueryType: "prometheus"}, time.Now(), time.Now().Add(time.Hour), 0); err == nil ||
		!strings.Contains(err.Error(), `no baseline for query type "prometheus"`) {
		t.Fatalf("got %v", err)
	}
}

func TestBucketMs(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		bucket string
		to     time.Time
		want   int64
	}{
		{"none", from.AddDate(0, 0, 1), 0},
		{"1d", from.AddDate(0, 0, 1), 86_400_000},
		{"2w", from.AddDate(0, 0, 1), 1_209_600_000},
		{"auto", from.AddDate(0, 0, 30), 2_592_000}, // 30 d = 2,592,000,000 ms / 1000 points
		{"auto", from.Add(time.Hour), 60_000},       // 3,600 ms per point, floored at one minute
		{"abc", from.AddDate(0, 0, 1), 0},           // not a duration: one value
	}
	for _, c := range cases {
		if got := bucketMs(c.bucket, from, c.to, 1000); got != c.want {
			t.Errorf("bucketMs(%q) = %d, want %d", c.bucket, got, c.want)
		}
	}
}
