package ingest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// rollupRows reads deployment_days, and the same counts computed from the deployments,
// as sorted "day env service team n failed" lines.
func rollupRows(t *testing.T, st store.Store) (rollup, fromRows []string) {
	t.Helper()
	read := func(q string) []string {
		rows, err := st.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var day, n, failed int64
			var env, svc, team string
			if err := rows.Scan(&day, &env, &svc, &team, &n, &failed); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %s %s %s %d %d", time.UnixMilli(day).UTC().Format("01-02"), env, svc, team, n, failed))
		}
		return out
	}
	rollup = read(`SELECT day, environment, service, team, deployments, failed FROM deployment_days ORDER BY 1, 2, 3, 4`)
	fromRows = read(fmt.Sprintf(`SELECT deployed_at / %[1]d * %[1]d, environment, service, team, COUNT(*),
		SUM(CASE WHEN status IN ('failed', 'rolled_back') THEN 1 ELSE 0 END)
		FROM deployments GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, DeploymentDay))
	return rollup, fromRows
}

func ingestDeployments(t *testing.T, st store.Store, body string, now time.Time) {
	t.Helper()
	res, err := Ingest(context.Background(), st, deploymentKind(), NDJSON, strings.NewReader(body), Options{Now: now})
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("ingest: %+v, %v", res, err)
	}
}

// TestDeploymentDaysFollowEveryWrite: the daily rollup equals a count of the stored
// deployments after a bulk ingest, after re-sent deployments move to another day, team
// or status (the day they left is refolded), after a webhook, and after rows some path
// inserted without folding (caught up before a query reads the rollup).
func TestDeploymentDaysFollowEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)
		check := func(step string, want []string) {
			t.Helper()
			got, fromRows := rollupRows(t, st)
			if !reflect.DeepEqual(got, fromRows) {
				t.Fatalf("%s: rollup\n%q\nbut the deployments count\n%q", step, got, fromRows)
			}
			if want != nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: rollup %q, want %q", step, got, want)
			}
		}
		ingestDeployments(t, st, `{"id":"a","service":"api","team":"core","environment":"production","deployed_at":"2024-03-01T10:00:00Z"}
{"id":"b","service":"api","team":"core","environment":"production","deployed_at":"2024-03-01T23:59:59Z","status":"failed"}
{"id":"c","service":"web","team":"edge","environment":"staging","deployed_at":"2024-03-02T00:00:00Z","status":"rolled_back"}
{"id":"d","service":"web","team":"edge","environment":"production","deployed_at":"2024-03-04T08:00:00Z"}`, now)
		check("bulk", []string{
			"03-01 production api core 2 1",
			"03-02 staging web edge 1 1",
			"03-04 production web edge 1 0",
		})

		// b succeeds on a re-run and moves to Mar 3; d changes team; c is re-sent unchanged.
		ingestDeployments(t, st, `{"id":"b","service":"api","team":"core","environment":"production","deployed_at":"2024-03-03T09:00:00Z"}
{"id":"d","service":"web","team":"platform","environment":"production","deployed_at":"2024-03-04T08:00:00Z","status":"failed"}
{"id":"c","service":"web","team":"edge","environment":"staging","deployed_at":"2024-03-02T00:00:00Z","status":"rolled_back"}`, now.Add(time.Minute))
		check("re-sent", []string{
			"03-01 production api core 1 0",
			"03-02 staging web edge 1 1",
			"03-03 production api core 1 0",
			"03-04 production web platform 1 1",
		})

		if _, err := ingestDeploymentRecords(ctx, st, []map[string]any{
			{"source": "github", "id": "9", "service": "api", "team": "core", "environment": "production", "deployed_at": "2024-03-01T12:00:00Z", "status": "failed"},
		}, now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		check("webhook", nil)

		// A path that bypasses ingest (SQL by hand, a bulk loader) leaves the rollup behind
		// until a reader catches it up.
		if _, err := st.ExecContext(ctx, `INSERT INTO deployments (source, id, service, team, environment, deployed_at, status, ingested_at)
			VALUES ('sql', 'x', 'db', 'data', 'production', $1, 'success', $2)`,
			time.Date(2024, 3, 5, 1, 0, 0, 0, time.UTC).UnixMilli(), now.Add(3*time.Minute).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if got, fromRows := rollupRows(t, st); reflect.DeepEqual(got, fromRows) {
			t.Fatal("the rollup already has the row inserted by hand; the catch-up below would test nothing")
		}
		if err := CatchUpDeploymentDays(ctx, st); err != nil {
			t.Fatal(err)
		}
		check("caught up", nil)
		var stale int
		if err := st.QueryRowContext(ctx, `SELECT COUNT(*) FROM deployment_days_stale`).Scan(&stale); err != nil || stale != 0 {
			t.Fatalf("stale days left: %d (%v)", stale, err)
		}
	})
}
