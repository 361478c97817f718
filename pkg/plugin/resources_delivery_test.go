package plugin

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
)

func testdata(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile("../ingest/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeploymentWebhookAccess(t *testing.T) {
	cases := []struct {
		name    string
		role    string
		headers map[string]string
		want    int
	}{
		{"viewer refused", "Viewer", nil, http.StatusForbidden},
		{"anonymous refused", "", nil, http.StatusForbidden},
		{"editor allowed", "Editor", nil, http.StatusOK},
		{"anonymous with the ingest token allowed", "", map[string]string{IngestTokenHeader: "s3cret-token"}, http.StatusOK},
		{"wrong token refused", "Admin", map[string]string{IngestTokenHeader: "guess"}, http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := newTestDatasource(t, nil)
			for path, file := range map[string]string{"webhooks/github": "github_deployment_status_success.json", "webhooks/gitlab": "gitlab_deployment_success.json"} {
				got := call(t, ds, http.MethodPost, path, c.role, c.headers, testdata(t, file))
				if got.status != c.want {
					t.Errorf("POST %s: status %d (%s), want %d", path, got.status, got.body, c.want)
				}
			}
			counts, _ := ds.store.Counts(context.Background())
			want := int64(2)
			if c.want == http.StatusForbidden {
				want = 0
			}
			if counts["deployments"] != want {
				t.Fatalf("%d deployments stored, want %d", counts["deployments"], want)
			}
		})
	}
}

func TestDeploymentWebhookResponses(t *testing.T) {
	ds := newTestDatasource(t, nil)
	cases := []struct {
		name, path string
		headers    map[string]string
		body       []byte
		want       int
		has        string
	}{
		{"github deployment_status", "webhooks/github?team=payments", map[string]string{"X-GitHub-Event": "deployment_status"},
			testdata(t, "github_deployment_status_failure.json"), 200, `"stored":1`},
		{"github ping when the webhook is created", "webhooks/github", map[string]string{"X-GitHub-Event": "ping"},
			[]byte(`{"zen":"Keep it logically awesome.","hook_id":123}`), 200, `"ignored":["GitHub event ping`},
		{"github in_progress is not an outcome", "webhooks/github", nil,
			testdata(t, "github_deployment_status_in_progress.json"), 200, `not an outcome`},
		{"github payload without a deployment", "webhooks/github", nil, []byte(`{"action":"created"}`), 400, "Deployment statuses"},
		{"github malformed JSON", "webhooks/github", nil, []byte(`{"deployment":`), 400, "malformed GitHub webhook JSON"},
		{"gitlab deployment event", "webhooks/gitlab?service=billing-api", map[string]string{"X-Gitlab-Event": "Deployment Hook"},
			testdata(t, "gitlab_deployment_failed.json"), 200, `"stored":1`},
		{"gitlab push hook", "webhooks/gitlab", map[string]string{"X-Gitlab-Event": "Push Hook"},
			[]byte(`{"object_kind":"push"}`), 200, `"ignored":["GitLab Push Hook`},
		{"gitlab running", "webhooks/gitlab", nil, testdata(t, "gitlab_deployment_running.json"), 200, `not an outcome`},
		{"gitlab wrong object kind", "webhooks/gitlab", nil, []byte(`{"object_kind":"pipeline"}`), 400, "object_kind is pipeline"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := call(t, ds, http.MethodPost, c.path, "Editor", c.headers, c.body)
			if got.status != c.want || !strings.Contains(string(got.body), c.has) {
				t.Fatalf("status %d body %s; want %d containing %q", got.status, got.body, c.want, c.has)
			}
		})
	}
	var team, service string
	if err := ds.store.QueryRowContext(context.Background(), `SELECT team FROM deployments WHERE source = 'github' AND id = '1463390012'`).Scan(&team); err != nil || team != "payments" {
		t.Fatalf("team from ?team= is %q (%v)", team, err)
	}
	if err := ds.store.QueryRowContext(context.Background(), `SELECT service FROM deployments WHERE source = 'gitlab' AND id = '4130'`).Scan(&service); err != nil || service != "billing-api" {
		t.Fatalf("service from ?service= is %q (%v)", service, err)
	}
}

func TestValuesPerQueryType(t *testing.T) {
	ds := newTestDatasource(t, nil)
	for _, p := range []struct{ path, body string }{
		{"ingest/incidents", `[{"id":"1","service":"api","severity":"sev1","started_at":"2024-05-01T10:00:00Z"}]`},
		{"ingest/deployments", `[{"id":"d1","service":"web","environment":"production","deployed_at":"2024-05-01T10:00:00Z"},{"id":"d2","service":"web","environment":"staging","status":"failed","deployed_at":"2024-05-01T10:00:00Z"}]`},
		{"ingest/usage", `[{"user_id":"ana","team":"sre","department":"eng","tool":"grafana","at":"2024-05-01T10:00:00Z"},{"user_id":"ana","team":"sre","department":"eng","tool":"jira","at":"2024-05-01T11:00:00Z"}]`},
		{"ingest/headcount", `[{"team":"platform","department":"ops","effective_at":"2024-01-01","headcount":3},{"team":"sre","department":"eng","effective_at":"2024-01-01","headcount":5}]`},
	} {
		if got := call(t, ds, http.MethodPost, p.path, "Editor", nil, []byte(p.body)); got.status != 200 || !strings.Contains(string(got.body), `"rejected":[]`) {
			t.Fatalf("%s: %d %s", p.path, got.status, got.body)
		}
	}
	// The usage route folds the events into usage_days in the ingest transaction.
	var days int
	if err := ds.store.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM usage_days`).Scan(&days); err != nil || days != 2 {
		t.Fatalf("usage_days rows %d (%v), want 2", days, err)
	}
	cases := []struct {
		path string
		want int
		body string
	}{
		{"values/delivery/environment", 200, `["production","staging"]`},
		{"values/delivery/status", 200, `["failed","success"]`},
		{"values/adoption/team", 200, `["platform","sre"]`},
		// tool and department come from the rollup by a loose index scan; department adds headcounts' own.
		{"values/adoption/tool", 200, `["grafana","jira"]`},
		{"values/adoption/department", 200, `["eng","ops"]`},
		{"values/incidents/severity", 200, `["sev1"]`},
		{"values/annotations/service", 200, `["api","web"]`},
		{"values/annotations/status", 200, `["failed","open","resolved","success"]`},
		{"values/annotations/severity", 200, `["sev1"]`},
		{"values/delivery/version", 400, "unknown dimension"},
		{"values/adoption/user_id", 400, "unknown dimension"},
		{"values/annotations/title", 400, "unknown dimension"},
		{"values/weather/city", 404, "no value lists"},
	}
	for _, c := range cases {
		got := call(t, ds, http.MethodGet, c.path, "Viewer", nil, nil)
		if got.status != c.want || !strings.Contains(strings.TrimSpace(string(got.body)), c.body) {
			t.Errorf("GET %s: %d %s; want %d with %s", c.path, got.status, got.body, c.want, c.body)
		}
	}
}
