package plugin

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/adoption"
	"github.com/kaizenops/suite/pkg/metrics/annotations"
	"github.com/kaizenops/suite/pkg/metrics/delivery"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/models"
)

// deliveryRoutes registers the deployment webhooks (behind the write check) and the
// per-query-type value lists for editor pickers and dashboard variables.
func (d *Datasource) deliveryRoutes(mux *http.ServeMux) {
	mux.Handle("POST /webhooks/github", d.requireWriter(http.HandlerFunc(d.handleGitHub)))
	mux.Handle("POST /webhooks/gitlab", d.requireWriter(http.HandlerFunc(d.handleGitLab)))
	mux.HandleFunc("GET /values/{queryType}/{dimension}", d.handleTypeValues)
	// Usage events fold into the usage_days rollup in their ingest transaction; this
	// route is more specific than ingest/{kind}, so it takes the usage kind.
	mux.Handle("POST /ingest/usage", d.requireWriter(http.HandlerFunc(d.handleUsageIngest)))
}

// handleUsageIngest is handleIngest for usage events, through ingest.IngestUsage.
func (d *Datasource) handleUsageIngest(w http.ResponseWriter, r *http.Request) {
	formatText := r.URL.Query().Get("format")
	if formatText == "" {
		formatText = r.Header.Get("Content-Type")
	}
	if formatText == "" {
		formatText = "json"
	}
	format, err := ingest.ParseFormat(formatText)
	if err != nil {
		writeError(w, http.StatusUnsupportedMediaType, "%v", err)
		return
	}
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	res, err := ingest.IngestUsage(r.Context(), d.store, format, strings.NewReader(string(body)), ingest.Options{
		Source: r.URL.Query().Get("source"),
		Now:    time.Now(),
	})
	d.writeIngestResult(w, res, err)
}

// webhookDefaults reads ?service= and ?team= from the webhook URL, for payloads that
// do not say which service or team a repository deploys.
func webhookDefaults(r *http.Request) ingest.WebhookDefaults {
	return ingest.WebhookDefaults{Service: r.URL.Query().Get("service"), Team: r.URL.Query().Get("team")}
}

// handleGitHub takes GitHub's deployment_status events. Other events the webhook may
// be subscribed to (ping when it is created, deployment, push...) are acknowledged
// and ignored, so GitHub does not mark them failed.
func (d *Datasource) handleGitHub(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	if event := header(r, "X-GitHub-Event"); event != "" && event != "deployment_status" {
		writeJSON(w, http.StatusOK, ingest.WebhookResult{
			Result:  ingest.Result{Kind: "deployments", Rejected: []ingest.Rejected{}},
			Ignored: []string{"GitHub event " + event + " carries no deployment outcome; subscribe to \"Deployment statuses\""},
		})
		return
	}
	e, err := ingest.ParseGitHubDeploymentStatus(strings.NewReader(string(body)))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	res, err := ingest.IngestGitHubDeploymentStatus(r.Context(), d.store, e, webhookDefaults(r), time.Now())
	d.writeWebhookResult(w, res, err)
}

// handleGitLab takes GitLab's Deployment events; other hooks are acknowledged and ignored.
func (d *Datasource) handleGitLab(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	if event := header(r, "X-Gitlab-Event"); event != "" && event != "Deployment Hook" {
		writeJSON(w, http.StatusOK, ingest.WebhookResult{
			Result:  ingest.Result{Kind: "deployments", Rejected: []ingest.Rejected{}},
			Ignored: []string{"GitLab " + event + " carries no deployment; enable \"Deployment events\" only"},
		})
		return
	}
	e, err := ingest.ParseGitLabDeployment(strings.NewReader(string(body)))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	res, err := ingest.IngestGitLabDeployment(r.Context(), d.store, e, webhookDefaults(r), time.Now())
	d.writeWebhookResult(w, res, err)
}

// header reads a header whatever the case of its name: GitHub writes X-GitHub-Event,
// and a resource call's headers need not arrive in canonical form.
func header(r *http.Request, name string) string {
	if v := r.Header.Get(name); v != "" {
		return v
	}
	for k, v := range r.Header {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (d *Datasource) writeWebhookResult(w http.ResponseWriter, res ingest.WebhookResult, err error) {
	if err != nil {
		d.writeIngestResult(w, ingest.Result{}, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// handleTypeValues lists a dimension's values for one query type: what its editor's
// filter pickers and a dashboard variable such as values(delivery, environment) offer.
func (d *Datasource) handleTypeValues(w http.ResponseWriter, r *http.Request) {
	dim := r.PathValue("dimension")
	var values []string
	var err error
	switch qt := r.PathValue("queryType"); qt {
	case models.QueryTypeIncidents:
		values, err = incidents.Values(r.Context(), d.store, dim)
	case models.QueryTypeDelivery:
		values, err = delivery.Values(r.Context(), d.store, dim)
	case models.QueryTypeAdoption:
		values, err = adoption.Values(r.Context(), d.store, dim)
	case models.QueryTypeAnnotations:
		values, err = d.annotationValues(r, dim)
	default:
		writeError(w, http.StatusNotFound, "no value lists for query type %q; use incidents, delivery, adoption or annotations", qt)
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, values)
}

// annotationValues merges the values incidents and deployments have for a dimension.
func (d *Datasource) annotationValues(r *http.Request, dim string) ([]string, error) {
	if !slices.Contains(annotations.Dimensions(), dim) {
		return nil, &valuesError{dim: dim, allowed: annotations.Dimensions()}
	}
	set := map[string]bool{}
	if dim != "environment" && dim != "status" {
		vs, err := incidents.Values(r.Context(), d.store, dim)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			set[v] = true
		}
	}
	if dim == "status" {
		set["open"], set["resolved"] = true, true
	}
	if dim != "severity" {
		vs, err := delivery.Values(r.Context(), d.store, dim)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			set[v] = true
		}
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out, nil
}

type valuesError struct {
	dim     string
	allowed []string
}

func (e *valuesError) Error() string {
	return "unknown dimension \"" + e.dim + "\"; use one of " + strings.Join(e.allowed, ", ")
}
