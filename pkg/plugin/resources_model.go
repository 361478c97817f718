package plugin

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/model"
)

// modelRoutes serve ML model health: the columnar observations batch (observations
// and outcomes themselves go through POST ingest/{kind}), reference snapshots, and the
// value lists of the model editor's pickers.
func (d *Datasource) modelRoutes(mux *http.ServeMux) {
	// More specific than ingest/{kind}, so it wins.
	mux.Handle("POST /ingest/"+ingest.ObservationsBatchKind, d.requireWriter(http.HandlerFunc(d.handleObservationBatch)))
	mux.HandleFunc("GET /model/snapshots", d.handleListSnapshots)
	mux.HandleFunc("GET /model/snapshots/{name}", d.handleGetSnapshot)
	mux.Handle("POST /model/snapshots", d.requireWriter(http.HandlerFunc(d.handleCreateSnapshot)))
	mux.Handle("DELETE /model/snapshots/{name}", d.requireWriter(http.HandlerFunc(d.handleDeleteSnapshot)))
	mux.HandleFunc("GET /values/model/{dimension}", d.handleModelValues)
}

// handleObservationBatch is POST ingest/observations-batch (JSON or NDJSON batches).
func (d *Datasource) handleObservationBatch(w http.ResponseWriter, r *http.Request) {
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
	res, err := ingest.IngestObservationBatches(r.Context(), d.store, format, strings.NewReader(string(body)), ingest.Options{
		Source: r.URL.Query().Get("source"),
		Now:    time.Now(),
	})
	d.writeIngestResult(w, res, err)
}

// handleListSnapshots is GET model/snapshots[?model=]: every snapshot, or a model's.
func (d *Datasource) handleListSnapshots(w http.ResponseWriter, r *http.Request) {
	list, err := model.ListSnapshots(r.Context(), d.store, r.URL.Query().Get("model"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// snapshotModel reads the model a snapshot path refers to (?model=, required: model
// names may hold characters a path segment cannot).
func snapshotModel(w http.ResponseWriter, r *http.Request) (string, bool) {
	m := r.URL.Query().Get("model")
	if m == "" {
		writeError(w, http.StatusBadRequest, "name the snapshot's model: model/snapshots/%s?model=<model>", r.PathValue("name"))
		return "", false
	}
	return m, true
}

func (d *Datasource) handleGetSnapshot(w http.ResponseWriter, r *http.Request) {
	m, ok := snapshotModel(w, r)
	if !ok {
		return
	}
	snap, found, err := model.GetSnapshot(r.Context(), d.store, m, r.PathValue("name"))
	switch {
	case err != nil:
		writeError(w, http.StatusInternalServerError, "%v", err)
	case !found:
		writeError(w, http.StatusNotFound, "model %s has no snapshot %q; GET model/snapshots?model=%s lists them", m, r.PathValue("name"), m)
	default:
		writeJSON(w, http.StatusOK, snap)
	}
}

// handleCreateSnapshot is POST model/snapshots: freeze a window of a model as a
// reference (201 with the snapshot; 409 when the name is taken).
func (d *Datasource) handleCreateSnapshot(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	now := time.Now()
	spec, err := model.ParseSnapshotRequest(body, now)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	by := ""
	if u := backend.UserFromContext(r.Context()); u != nil {
		by = u.Login
	}
	snap, err := model.CreateSnapshot(r.Context(), d.store, spec, now, by)
	var bad *model.RequestError
	switch {
	case err == nil:
		writeJSON(w, http.StatusCreated, snap)
	case errors.Is(err, model.ErrSnapshotExists):
		writeError(w, http.StatusConflict, "%v", err)
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, "%v; nothing was stored", err)
	default:
		writeError(w, http.StatusInternalServerError, "storing the snapshot failed, nothing was stored: %v", err)
	}
}

func (d *Datasource) handleDeleteSnapshot(w http.ResponseWriter, r *http.Request) {
	m, ok := snapshotModel(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	found, err := model.DeleteSnapshot(r.Context(), d.store, m, name)
	switch {
	case err != nil:
		writeError(w, http.StatusInternalServerError, "deleting snapshot %q of model %s failed, nothing was changed: %v", name, m, err)
	case !found:
		writeError(w, http.StatusNotFound, "model %s has no snapshot %q; GET model/snapshots?model=%s lists them", m, name, m)
	default:
		writeJSON(w, http.StatusOK, map[string]string{"deleted": name, "model": m})
	}
}

// handleModelValues is GET values/model/{model|feature|model_version|segment}
// [?model=...]: models, or the features, versions and segment labels of the given
// models (every model when none), for editor pickers and dashboard variables.
func (d *Datasource) handleModelValues(w http.ResponseWriter, r *http.Request) {
	values, err := model.Values(r.Context(), d.store, r.PathValue("dimension"), r.URL.Query()["model"])
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, values)
}
