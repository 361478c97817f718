package plugin

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/store"
)

// flowRoutes registers value stream definitions, the transition webhook and flow ingest.
// Work items and transitions are ingested here rather than by POST /ingest/{kind} (these
// patterns are more specific, so they win): their writes also recompute the flow rollups
// in the same transaction.
func (d *Datasource) flowRoutes(mux *http.ServeMux) {
	mux.Handle("POST /ingest/work_items", d.requireWriter(http.HandlerFunc(d.handleFlowIngest)))
	mux.Handle("POST /ingest/transitions", d.requireWriter(http.HandlerFunc(d.handleFlowIngest)))
	mux.Handle("POST /webhooks/transitions", d.requireWriter(http.HandlerFunc(d.handleTransitionWebhook)))
	mux.HandleFunc("GET /flow/streams", d.handleListStreams)
	mux.HandleFunc("GET /flow/streams/{name}", d.handleGetStream)
	mux.Handle("PUT /flow/streams/{name}", d.requireWriter(http.HandlerFunc(d.handlePutStream)))
	mux.Handle("DELETE /flow/streams/{name}", d.requireWriter(http.HandlerFunc(d.handleDeleteStream)))
	mux.Handle("POST /flow/rebuild", d.requireWriter(http.HandlerFunc(d.handleFlowRebuild)))
	mux.HandleFunc("GET /values/flow/{dimension}", d.handleFlowValues)
}

// handleFlowIngest is POST /ingest/{work_items|transitions}: the generic ingest, with the
// rollups of the items written recomputed before the transaction commits.
func (d *Datasource) handleFlowIngest(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/ingest/")
	kind, err := d.kinds.Get(name)
	if err != nil {
		writeError(w, http.StatusNotFound, "%v", err)
		return
	}
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
	now := time.Now()
	res, err := ingest.Ingest(r.Context(), flow.WithRollups(d.store, now), kind, format, strings.NewReader(string(body)), ingest.Options{
		Source: r.URL.Query().Get("source"),
		Now:    now,
	})
	d.writeIngestResult(w, res, err)
}

// handleTransitionWebhook is the generic transition webhook (ingest.IngestTransitionWebhook).
func (d *Datasource) handleTransitionWebhook(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	now := time.Now()
	res, err := ingest.IngestTransitionWebhook(r.Context(), flow.WithRollups(d.store, now), strings.NewReader(string(body)), r.URL.Query().Get("source"), now)
	if err != nil {
		d.writeIngestResult(w, ingest.Result{}, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (d *Datasource) handleListStreams(w http.ResponseWriter, r *http.Request) {
	defs, err := flow.LoadDefinitions(r.Context(), d.store)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	out := make([]*flow.Definition, 0, len(defs))
	for _, def := range defs {
		out = append(out, def)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	writeJSON(w, http.StatusOK, out)
}

func (d *Datasource) handleGetStream(w http.ResponseWriter, r *http.Request) {
	defs, err := flow.LoadDefinitions(r.Context(), d.store)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	def, ok := defs[r.PathValue("name")]
	if !ok {
		writeError(w, http.StatusNotFound, "no value stream %q; GET flow/streams lists them", r.PathValue("name"))
		return
	}
	writeJSON(w, http.StatusOK, def)
}

// streamChange answers PUT and DELETE: the definition and how many items were recomputed.
type streamChange struct {
	Stream     *flow.Definition `json:"stream,omitempty"`
	Recomputed int              `json:"recomputed_items"`
}

func (d *Datasource) handlePutStream(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	def, err := flow.ParseDefinition(r.PathValue("name"), strings.NewReader(string(body)))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	var n int
	err = d.store.WithTx(r.Context(), func(tx store.Tx) error {
		n, err = flow.SaveDefinition(r.Context(), tx, d.store.Dialect(), def, time.Now())
		return err
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "saving value stream %q failed, nothing was changed: %v", def.Name, err)
		return
	}
	saved, err := d.loadStream(r.Context(), def.Name)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, streamChange{Stream: saved, Recomputed: n})
}

func (d *Datasource) loadStream(ctx context.Context, name string) (*flow.Definition, error) {
	defs, err := flow.LoadDefinitions(ctx, d.store)
	if err != nil {
		return nil, err
	}
	return defs[name], nil
}

func (d *Datasource) handleDeleteStream(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var found bool
	var n int
	err := d.store.WithTx(r.Context(), func(tx store.Tx) error {
		var err error
		found, n, err = flow.DeleteDefinition(r.Context(), tx, d.store.Dialect(), name)
		return err
	})
	switch {
	case err != nil:
		writeError(w, http.StatusInternalServerError, "deleting value stream %q failed, nothing was changed: %v", name, err)
	case !found:
		writeError(w, http.StatusNotFound, "no value stream %q; GET flow/streams lists them", name)
	default:
		writeJSON(w, http.StatusOK, streamChange{Recomputed: n})
	}
}

// handleFlowRebuild recomputes every flow rollup (after writes that bypassed the API).
func (d *Datasource) handleFlowRebuild(w http.ResponseWriter, r *http.Request) {
	var n int
	err := d.store.WithTx(r.Context(), func(tx store.Tx) error {
		var err error
		n, err = flow.Rebuild(r.Context(), tx, d.store.Dialect())
		return err
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "rebuilding flow rollups failed, nothing was changed: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, streamChange{Recomputed: n})
}

// handleFlowValues lists a flow dimension's values (value_stream, stage, type, team, source).
func (d *Datasource) handleFlowValues(w http.ResponseWriter, r *http.Request) {
	values, err := flow.Values(r.Context(), d.store, r.PathValue("dimension"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, values)
}
