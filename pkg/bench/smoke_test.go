package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmoke is `kaizenbench --smoke`: every Kaizen Ops query of the provisioned
// dashboards on one month of demo data, one repetition, on SQLite and (when
// KAIZEN_TEST_POSTGRES_DSN is set) PostgreSQL. It keeps the suite working in CI:
// a dashboard change the runner cannot read, or a query that fails, fails here.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("smoke run of the dashboards: not in -short")
	}
	dashboards := filepath.Join("..", "..", "dashboards")
	if files, _ := filepath.Glob(filepath.Join(dashboards, "*.json")); len(files) == 0 {
		t.Skip("no dashboards/*.json yet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 110*time.Second)
	defer cancel()
	rep, err := Suite(ctx, Config{Dashboards: dashboards, Smoke: true, SmokeDir: t.TempDir(),
		PostgresDSN: os.Getenv("KAIZEN_TEST_POSTGRES_DSN"), Options: Options{Reps: 1, MinReps: 1, Quick: true}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	stores := map[string]int{}
	for _, r := range rep.Results {
		if r.Err != "" {
			t.Errorf("%s on %s: %s", r.Target, r.Store, r.Err)
			continue
		}
		if r.Reps != 1 || r.P95 <= 0 || (r.BaseP50 <= 0 && !strings.Contains(r.Target, " / variable / ")) {
			t.Errorf("%s on %s: not measured: %+v", r.Target, r.Store, r)
		}
		if !strings.Contains(out.String(), "| "+esc(r.Target)+" |") {
			t.Errorf("%s missing from the table", r.Target)
		}
		stores[r.Store]++
	}
	want := map[string]int{"sqlite": len(rep.Results)}
	if os.Getenv("KAIZEN_TEST_POSTGRES_DSN") != "" {
		want = map[string]int{"sqlite": len(rep.Results) / 2, "postgres": len(rep.Results) / 2}
	}
	for s, n := range want {
		if stores[s] != n || n == 0 {
			t.Errorf("%d results on %s, want %d (every target on every store)", stores[s], s, n)
		}
	}
	if t.Failed() {
		t.Log("\n" + out.String())
	}
}
