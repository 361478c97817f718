package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// GitLabSource is the source of deployments reported by GitLab webhooks.
const GitLabSource = "gitlab"

// GitLabDeploymentEvent is the body of GitLab's "Deployment events" webhook
// (X-Gitlab-Event: Deployment Hook, object_kind "deployment"), sent when a
// deployment starts (running) and when it succeeds, fails or is canceled.
type GitLabDeploymentEvent struct {
	ObjectKind             string        `json:"object_kind"`
	Status                 string        `json:"status"`
	StatusChangedAt        string        `json:"status_changed_at"`
	DeploymentID           json.Number   `json:"deployment_id"`
	DeployableID           json.Number   `json:"deployable_id"`
	DeployableURL          string        `json:"deployable_url"`
	Environment            string        `json:"environment"`
	EnvironmentTier        string        `json:"environment_tier"`
	EnvironmentSlug        string        `json:"environment_slug"`
	EnvironmentExternalURL string        `json:"environment_external_url"`
	Project                GitLabProject `json:"project"`
	ShortSHA               string        `json:"short_sha"`
	CommitURL              string        `json:"commit_url"`
	CommitTitle            string        `json:"commit_title"`
	Ref                    string        `json:"ref"`
}

// GitLabProject names the project.
type GitLabProject struct {
	ID                json.Number `json:"id"`
	Name              string      `json:"name"`
	PathWithNamespace string      `json:"path_with_namespace"`
	WebURL            string      `json:"web_url"`
}

// ParseGitLabDeployment decodes a Deployment events body.
func ParseGitLabDeployment(r io.Reader) (GitLabDeploymentEvent, error) {
	var e GitLabDeploymentEvent
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&e); err != nil {
		return e, &PayloadError{Reason: fmt.Sprintf("malformed GitLab webhook JSON: %v", err)}
	}
	if e.ObjectKind != "deployment" {
		kind := e.ObjectKind
		if kind == "" {
			kind = "(none)"
		}
		return e, &PayloadError{Reason: fmt.Sprintf("GitLab webhook object_kind is %s, not deployment; enable only \"Deployment events\" for this webhook", kind)}
	}
	return e, nil
}

// gitlabStatuses maps a deployment event status to a deployment status, or "" when
// the event is not an outcome (running) or nothing reached the environment (canceled).
var gitlabStatuses = map[string]string{
	"success":  DeploymentSuccess,
	"failed":   DeploymentFailed,
	"running":  "",
	"canceled": "",
}

// IngestGitLabDeployment stores the deployment a success or failed event reports.
// The record: source gitlab, id the deployment_id, service the webhook URL's service
// or the project name, environment "production" when the environment's tier is
// production (GitLab's own DORA metrics count that tier), else its name (the name is
// kept in labels.environment_name); deployed_at the status_changed_at. GitLab sends
// no commit time: supply commit_at through the bulk API for the same source and id.
func IngestGitLabDeployment(ctx context.Context, st store.Store, e GitLabDeploymentEvent, defaults WebhookDefaults, now time.Time) (WebhookResult, error) {
	res := WebhookResult{Result: Result{Kind: "deployments", Rejected: []Rejected{}}}
	id := e.DeploymentID.String()
	status, known := gitlabStatuses[strings.ToLower(e.Status)]
	if !known {
		res.Rejected = append(res.Rejected, Rejected{Position: 1, ID: id, Field: "status",
			Reason: fmt.Sprintf("status %q is not one of running, success, failed, canceled", e.Status)})
		return res, nil
	}
	if status == "" {
		res.Ignored = []string{fmt.Sprintf("deployment %s: status %q is not an outcome that reached the environment; success and failed are recorded", id, strings.ToLower(e.Status))}
		return res, nil
	}
	raw, fe := gitlabRecord(e, status, defaults)
	if fe != nil {
		res.Rejected = append(res.Rejected, Rejected{Position: 1, ID: id, Field: fe.Field, Reason: fe.Error()})
		return res, nil
	}
	stored, err := ingestDeploymentRecords(ctx, st, []map[string]any{raw}, now)
	return WebhookResult{Result: stored}, err
}

func gitlabRecord(e GitLabDeploymentEvent, status string, defaults WebhookDefaults) (map[string]any, *FieldError) {
	if e.DeploymentID.String() == "" {
		return nil, &FieldError{Field: "deployment_id", Reason: "is required to identify the deployment"}
	}
	deployed, err := parseGitLabTime(e.StatusChangedAt)
	if err != nil {
		return nil, &FieldError{Field: "status_changed_at", Reason: err.Error()}
	}
	env := e.Environment
	if strings.EqualFold(e.EnvironmentTier, "production") {
		env = "production"
	}
	labels := map[string]any{"environment_name": e.Environment, "project": e.Project.PathWithNamespace}
	for k, v := range map[string]string{"environment_tier": e.EnvironmentTier, "url": e.DeployableURL, "commit_url": e.CommitURL, "commit_title": e.CommitTitle, "ref": e.Ref} {
		if v != "" {
			labels[k] = v
		}
	}
	return map[string]any{
		"source":      GitLabSource,
		"id":          e.DeploymentID.String(),
		"service":     firstNonEmpty(defaults.Service, e.Project.Name),
		"team":        defaults.Team,
		"environment": env,
		"version":     e.ShortSHA,
		"deployed_at": deployed,
		"status":      status,
		"labels":      labels,
	}, nil
}

// parseGitLabTime reads GitLab's "2021-04-28 21:50:00 +0200" (what webhooks send),
// or RFC 3339, and returns RFC 3339 for the deployment kind's time parsing.
func parseGitLabTime(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("is required: it is when the deployment finished")
	}
	for _, layout := range []string{"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 UTC"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.RFC3339Nano), nil
		}
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return s, nil
	}
	return "", fmt.Errorf("%q is neither GitLab's \"2006-01-02 15:04:05 -0700\" nor RFC 3339", s)
}
