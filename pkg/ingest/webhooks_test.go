package ingest_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

type storedDeployment struct {
	service, team, environment, version, status, labels string
	commit                                              sql.NullInt64
	deployed                                            int64
}

func readDeployment(t *testing.T, st store.Store, source, id string) (storedDeployment, bool) {
	t.Helper()
	var d storedDeployment
	err := st.QueryRowContext(context.Background(), `SELECT service, team, environment, version, status, labels, commit_at, deployed_at
		FROM deployments WHERE source = $1 AND id = $2`, source, id).
		Scan(&d.service, &d.team, &d.environment, &d.version, &d.status, &d.labels, &d.commit, &d.deployed)
	if err == sql.ErrNoRows {
		return d, false
	}
	if err != nil {
		t.Fatalf("deployment %s/%s: %v", source, id, err)
	}
	return d, true
}

func sendGitHub(t *testing.T, st store.Store, file string, defaults ingest.WebhookDefaults) ingest.WebhookResult {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := ingest.ParseGitHubDeploymentStatus(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.IngestGitHubDeploymentStatus(context.Background(), st, e, defaults, now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func sendGitLab(t *testing.T, st store.Store, file string, defaults ingest.WebhookDefaults) ingest.WebhookResult {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := ingest.ParseGitLabDeployment(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.IngestGitLabDeployment(context.Background(), st, e, defaults, now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func ms(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UnixMilli()
}

func TestGitHubDeploymentStatuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		// success, flagged production by GitHub, enriched by the deployment's payload.
		res := sendGitHub(t, st, "github_deployment_status_success.json", ingest.WebhookDefaults{Team: "url-team"})
		if res.Stored != 1 || len(res.Rejected) != 0 || len(res.Ignored) != 0 {
			t.Fatalf("success: %+v", res)
		}
		d, ok := readDeployment(t, st, "github", "1462880321")
		if !ok {
			t.Fatal("success not stored")
		}
		if d.service != "checkout-api" || d.team != "payments" || d.environment != "production" || d.status != "success" ||
			d.version != "9f2c4b7e1d3a5c6b8e0f1a2b3c4d5e6f7a8b9c0d" || d.deployed != ms("2024-03-12T15:02:17Z") ||
			!d.commit.Valid || d.commit.Int64 != ms("2024-03-11T09:30:00Z") {
			t.Fatalf("success stored as %+v", d)
		}
		for _, want := range []string{`"environment_name":"prod-eu"`, `"repository":"acme/checkout"`, `"ref":"v2.14.0"`, `"url":"https://github.com/acme/checkout/actions/runs/8873219310"`} {
			if !strings.Contains(d.labels, want) {
				t.Errorf("labels %s lack %s", d.labels, want)
			}
		}

		// failure (from Actions, no payload): failed, service from the repository, team from the URL.
		res = sendGitHub(t, st, "github_deployment_status_failure.json", ingest.WebhookDefaults{Team: "payments"})
		if res.Stored != 1 {
			t.Fatalf("failure: %+v", res)
		}
		d, _ = readDeployment(t, st, "github", "1463390012")
		if d.status != "failed" || d.service != "checkout" || d.team != "payments" || d.environment != "production" || d.commit.Valid {
			t.Fatalf("failure stored as %+v", d)
		}

		// in_progress and inactive are not outcomes: ignored, nothing changes.
		for _, file := range []string{"github_deployment_status_in_progress.json", "github_deployment_status_inactive.json"} {
			res = sendGitHub(t, st, file, ingest.WebhookDefaults{})
			if res.Stored != 0 || len(res.Rejected) != 0 || len(res.Ignored) != 1 {
				t.Fatalf("%s: %+v", file, res)
			}
			t.Log(res.Ignored[0])
		}
		if d, _ := readDeployment(t, st, "github", "1462880321"); d.status != "success" {
			t.Fatalf("inactive overwrote the outcome: %+v", d)
		}
		if d, _ := readDeployment(t, st, "github", "1463390012"); d.status != "failed" {
			t.Fatalf("in_progress overwrote the outcome: %+v", d)
		}

		// Not a production environment: its own name; a payload that is a string is no enrichment.
		sendGitHub(t, st, "github_deployment_status_staging.json", ingest.WebhookDefaults{Service: "checkout-web"})
		d, _ = readDeployment(t, st, "github", "1462870001")
		if d.environment != "staging" || d.service != "checkout-web" {
			t.Fatalf("staging stored as %+v", d)
		}

		// Redelivery is idempotent.
		sendGitHub(t, st, "github_deployment_status_success.json", ingest.WebhookDefaults{})
		c, _ := st.Counts(context.Background())
		if c["deployments"] != 3 {
			t.Fatalf("%d deployments, want 3", c["deployments"])
		}
	})
}

func TestGitLabDeploymentEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		// running: not an outcome.
		res := sendGitLab(t, st, "gitlab_deployment_running.json", ingest.WebhookDefaults{Team: "billing-team"})
		if res.Stored != 0 || len(res.Ignored) != 1 {
			t.Fatalf("running: %+v", res)
		}
		// A CI step recorded the commit time of deployment 4127 through the bulk API first.
		kind, _ := ingest.DefaultKinds().Get("deployments")
		bulk := `{"source":"gitlab","id":"4127","service":"billing","environment":"production","commit_at":"2024-03-12T08:00:00Z","deployed_at":"2024-03-12T15:47:35Z"}`
		if r, err := ingest.Ingest(context.Background(), st, kind, ingest.NDJSON, strings.NewReader(bulk), ingest.Options{Now: now}); err != nil || r.Stored != 1 {
			t.Fatalf("bulk: %+v %v", r, err)
		}
		res = sendGitLab(t, st, "gitlab_deployment_success.json", ingest.WebhookDefaults{Team: "billing-team"})
		if res.Stored != 1 || len(res.Ignored) != 0 {
			t.Fatalf("success: %+v", res)
		}
		d, _ := readDeployment(t, st, "gitlab", "4127")
		// 16:47:35 +01:00 is 15:47:35Z.
		if d.status != "success" || d.service != "billing" || d.team != "billing-team" || d.environment != "production" ||
			d.version != "4e7d21aa" || d.deployed != ms("2024-03-12T15:47:35Z") {
			t.Fatalf("success stored as %+v", d)
		}
		if !d.commit.Valid || d.commit.Int64 != ms("2024-03-12T08:00:00Z") {
			t.Fatalf("the webhook erased the commit time recorded by the bulk API: %+v", d.commit)
		}
		if !strings.Contains(d.labels, `"project":"shop/billing"`) || !strings.Contains(d.labels, `"commit_title":"Retry card authorisation on 502"`) {
			t.Fatalf("labels %s", d.labels)
		}

		res = sendGitLab(t, st, "gitlab_deployment_failed.json", ingest.WebhookDefaults{})
		if d, _ := readDeployment(t, st, "gitlab", "4130"); res.Stored != 1 || d.status != "failed" || d.deployed != ms("2024-03-13T08:05:00Z") {
			t.Fatalf("failed: %+v stored as %+v", res, d)
		}
		// canceled never reached the environment.
		res = sendGitLab(t, st, "gitlab_deployment_canceled.json", ingest.WebhookDefaults{})
		if _, stored := readDeployment(t, st, "gitlab", "4131"); res.Stored != 0 || len(res.Ignored) != 1 || stored {
			t.Fatalf("canceled: %+v", res)
		}
		// A review app (development tier) keeps its environment name.
		sendGitLab(t, st, "gitlab_deployment_review.json", ingest.WebhookDefaults{})
		if d, _ := readDeployment(t, st, "gitlab", "4126"); d.environment != "review/fix-502" {
			t.Fatalf("review app stored as %+v", d)
		}
	})
}

func TestWebhookBadPayloads(t *testing.T) {
	st := storetest.OpenSQLite(t)
	for _, bad := range []string{`{"deployment":`, `{"zen":"Design for failure.","hook_id":1}`, `[]`} {
		if _, err := ingest.ParseGitHubDeploymentStatus(strings.NewReader(bad)); err == nil || !ingest.IsPayloadError(err) {
			t.Errorf("GitHub payload %s: error %v, want a payload error", bad, err)
		}
	}
	for _, bad := range []string{`{"object_kind":`, `{"object_kind":"push"}`, `{}`} {
		_, err := ingest.ParseGitLabDeployment(strings.NewReader(bad))
		if err == nil || !ingest.IsPayloadError(err) {
			t.Errorf("GitLab payload %s: error %v, want a payload error", bad, err)
		}
	}

	// Events that parse but carry a bad field are rejected with the field named.
	gh := func(state, created string) ingest.WebhookResult {
		body := `{"deployment_status":{"state":"` + state + `","created_at":"` + created + `"},"deployment":{"id":99,"sha":"abc","environment":"production"},"repository":{"name":"r"}}`
		e, err := ingest.ParseGitHubDeploymentStatus(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res, err := ingest.IngestGitHubDeploymentStatus(context.Background(), st, e, ingest.WebhookDefaults{}, now)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	gl := func(status, changed string) ingest.WebhookResult {
		body := `{"object_kind":"deployment","status":"` + status + `","status_changed_at":"` + changed + `","deployment_id":7,"environment":"production","project":{"name":"p"}}`
		e, err := ingest.ParseGitLabDeployment(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res, err := ingest.IngestGitLabDeployment(context.Background(), st, e, ingest.WebhookDefaults{}, now)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cases := []struct {
		name       string
		res        ingest.WebhookResult
		field, has string
	}{
		{"github unknown state", gh("exploded", "2024-03-12T15:02:17Z"), "deployment_status.state", "exploded"},
		{"github time without zone", gh("success", "2024-03-12T15:02:17"), "deployed_at", "no time zone"},
		{"github no time", gh("success", ""), "deployment_status.created_at", "required"},
		{"gitlab unknown status", gl("skipped", "2024-03-12 16:47:35 +0100"), "status", "skipped"},
		{"gitlab bad time", gl("success", "yesterday"), "status_changed_at", "yesterday"},
		{"gitlab future time", gl("success", "2999-01-01 00:00:00 +0000"), "deployed_at", "future"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.res.Stored != 0 || len(c.res.Rejected) != 1 || c.res.Rejected[0].Field != c.field || !strings.Contains(c.res.Rejected[0].Reason, c.has) {
				t.Fatalf("result %+v; want one rejection of %s mentioning %q", c.res, c.field, c.has)
			}
		})
	}
	if c, _ := st.Counts(context.Background()); c["deployments"] != 0 {
		t.Fatalf("bad events stored %d deployments", c["deployments"])
	}
}
