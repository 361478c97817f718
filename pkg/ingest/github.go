package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// GitHubSource is the source of deployments reported by GitHub webhooks.
const GitHubSource = "github"

// GitHubDeploymentStatusEvent is the body of GitHub's deployment_status webhook event
// (X-GitHub-Event: deployment_status): the deployment, its new status, the repository
// and, when GitHub Actions ran it, the workflow run.
type GitHubDeploymentStatusEvent struct {
	Action           string                  `json:"action"`
	DeploymentStatus *GitHubDeploymentStatus `json:"deployment_status"`
	Deployment       *GitHubDeployment       `json:"deployment"`
	Repository       GitHubRepository        `json:"repository"`
	WorkflowRun      *GitHubWorkflowRun      `json:"workflow_run"`
}

// GitHubDeploymentStatus is the status object of the event.
type GitHubDeploymentStatus struct {
	ID          int64  `json:"id"`
	State       string `json:"state"`
	Environment string `json:"environment"`
	TargetURL   string `json:"target_url"`
	LogURL      string `json:"log_url"`
	Description string `json:"description"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

// GitHubDeployment is the deployment object of the event. Payload is whatever the
// deployment's creator put there; service, team and commit_at are read from it.
type GitHubDeployment struct {
	ID                    json.Number     `json:"id"`
	SHA                   string          `json:"sha"`
	Ref                   string          `json:"ref"`
	Task                  string          `json:"task"`
	Environment           string          `json:"environment"`
	OriginalEnvironment   string          `json:"original_environment"`
	ProductionEnvironment *bool           `json:"production_environment"`
	Payload               json.RawMessage `json:"payload"`
	CreatedAt             string          `json:"created_at"`
}

// GitHubRepository names the repository.
type GitHubRepository struct {
	Name     string `json:"name"`
	FullName string `json:"full_name"`
}

// GitHubWorkflowRun is the Actions run that deployed; its head commit's time is the
// commit time when the deployment's payload gives none.
type GitHubWorkflowRun struct {
	HeadSHA    string `json:"head_sha"`
	HeadCommit *struct {
		ID        string `json:"id"`
		Timestamp string `json:"timestamp"`
	} `json:"head_commit"`
}

// githubDeploymentPayload is what a deployment creator may put in deployment.payload
// to enrich the record: `{"service":"checkout","team":"payments","commit_at":"…"}`.
type githubDeploymentPayload struct {
	Service  string `json:"service"`
	Team     string `json:"team"`
	CommitAt string `json:"commit_at"`
}

// ParseGitHubDeploymentStatus decodes a deployment_status event body.
func ParseGitHubDeploymentStatus(r io.Reader) (GitHubDeploymentStatusEvent, error) {
	var e GitHubDeploymentStatusEvent
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&e); err != nil {
		return e, &PayloadError{Reason: fmt.Sprintf("malformed GitHub webhook JSON: %v", err)}
	}
	if e.Deployment == nil || e.DeploymentStatus == nil {
		return e, &PayloadError{Reason: "GitHub webhook has no deployment or deployment_status object; subscribe the webhook to \"Deployment statuses\" events"}
	}
	return e, nil
}

// githubStates maps a deployment status state to a deployment status, or "" for
// states that are not an outcome: queued, pending and in_progress come before the
// outcome, and inactive is GitHub retiring an earlier deployment when a newer one
// succeeds (which must not overwrite how that deployment went).
var githubStates = map[string]string{
	"success": DeploymentSuccess,
	"failure": DeploymentFailed,
	"error":   DeploymentFailed,
}

// IngestGitHubDeploymentStatus stores the deployment an outcome state reports.
// The record: source github, id the deployment id, service from the deployment
// payload, else the webhook URL's service, else the repository name; environment
// "production" when GitHub flags it as a production environment, else its name (the
// name is kept in labels.environment_name); deployed_at the status's created_at.
func IngestGitHubDeploymentStatus(ctx context.Context, st store.Store, e GitHubDeploymentStatusEvent, defaults WebhookDefaults, now time.Time) (WebhookResult, error) {
	state := strings.ToLower(e.DeploymentStatus.State)
	status, ok := githubStates[state]
	if !ok {
		res := WebhookResult{Result: Result{Kind: "deployments", Rejected: []Rejected{}}}
		if _, known := map[string]bool{"queued": true, "pending": true, "in_progress": true, "inactive": true}[state]; known {
			res.Ignored = []string{fmt.Sprintf("deployment %s: state %q is not an outcome; success, failure and error are recorded", e.Deployment.ID, state)}
			return res, nil
		}
		res.Rejected = append(res.Rejected, Rejected{Position: 1, ID: e.Deployment.ID.String(), Field: "deployment_status.state",
			Reason: fmt.Sprintf("deployment_status.state %q is not one of success, failure, error, inactive, in_progress, queued, pending", e.DeploymentStatus.State)})
		return res, nil
	}
	raw, fe := githubRecord(e, status, defaults)
	if fe != nil {
		return WebhookResult{Result: Result{Kind: "deployments", Rejected: []Rejected{{Position: 1, ID: e.Deployment.ID.String(), Field: fe.Field, Reason: fe.Error()}}}}, nil
	}
	res, err := ingestDeploymentRecords(ctx, st, []map[string]any{raw}, now)
	return WebhookResult{Result: res}, err
}

func githubRecord(e GitHubDeploymentStatusEvent, status string, defaults WebhookDefaults) (map[string]any, *FieldError) {
	d, s := e.Deployment, e.DeploymentStatus
	if _, err := strconv.ParseInt(d.ID.String(), 10, 64); err != nil {
		return nil, &FieldError{Field: "deployment.id", Reason: fmt.Sprintf("%q is not a deployment id", d.ID.String())}
	}
	var extra githubDeploymentPayload
	if len(d.Payload) > 0 && d.Payload[0] == '{' {
		// The payload is free-form; fields of another type are simply not used.
		_ = json.Unmarshal(d.Payload, &extra)
	}
	env := s.Environment
	if env == "" {
		env = d.Environment
	}
	labels := map[string]any{"environment_name": env, "repository": e.Repository.FullName, "ref": d.Ref, "sha": d.SHA, "github_state": strings.ToLower(s.State)}
	if d.ProductionEnvironment != nil && *d.ProductionEnvironment {
		env = "production"
	}
	if u := firstNonEmpty(s.TargetURL, s.LogURL); u != "" {
		labels["url"] = u
	}
	rec := map[string]any{
		"source":      GitHubSource,
		"id":          d.ID.String(),
		"service":     firstNonEmpty(extra.Service, defaults.Service, e.Repository.Name),
		"team":        firstNonEmpty(extra.Team, defaults.Team),
		"environment": env,
		"version":     d.SHA,
		"deployed_at": firstNonEmpty(s.CreatedAt, s.UpdatedAt),
		"status":      status,
		"labels":      labels,
	}
	switch {
	case extra.CommitAt != "":
		rec["commit_at"] = extra.CommitAt
	case e.WorkflowRun != nil && e.WorkflowRun.HeadCommit != nil && e.WorkflowRun.HeadCommit.Timestamp != "" &&
		(e.WorkflowRun.HeadSHA == "" || e.WorkflowRun.HeadSHA == d.SHA):
		rec["commit_at"] = e.WorkflowRun.HeadCommit.Timestamp
	}
	if rec["deployed_at"] == "" {
		return nil, &FieldError{Field: "deployment_status.created_at", Reason: "is required: it is when the deployment finished"}
	}
	return rec, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
