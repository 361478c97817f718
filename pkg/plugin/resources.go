package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
)

// routes registers the resource API, served at /api/datasources/uid/<uid>/resources/...
func (d *Datasource) routes(mux *http.ServeMux) {
	mux.Handle("POST /ingest/{kind}", d.requireWriter(http.HandlerFunc(d.handleIngest)))
	mux.Handle("POST /webhooks/alertmanager", d.requireWriter(http.HandlerFunc(d.handleAlertmanager)))
	mux.HandleFunc("GET /kinds", d.handleKinds)
	mux.HandleFunc("GET /values/{dimension}", d.handleValues)
	mux.HandleFunc("GET /dimensions", d.handleDimensions)
	mux.HandleFunc("GET /catalog", d.handleCatalog)
	d.deliveryRoutes(mux)
	d.kpiRoutes(mux)
	d.flowRoutes(mux)
	d.kaizenRoutes(mux)
	d.sloRoutes(mux)
	d.modelRoutes(mux)
	d.improvementRoutes(mux)
	d.statusRoutes(mux)
}

// handleCatalog returns every built-in metric's definition.
func (d *Datasource) handleCatalog(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, metrics.Catalog())
}

// apiError is every error body the resource API returns.
type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, apiError{Error: fmt.Sprintf(format, args...)})
}

// readBody returns the body, or false after answering 413 when it exceeds the limit.
func (d *Datasource) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	limit := d.settings.MaxIngestBytes
	if r.ContentLength > limit {
		writeError(w, http.StatusRequestEntityTooLarge, "payload is %d bytes, more than the %d allowed (jsonData.maxIngestBytes); split it, or use `kaizen import` for backfills; nothing was stored", r.ContentLength, limit)
		return nil, false
	}
	if r.Body == nil {
		// httpadapter leaves Body nil for an empty request body; MaxBytesReader would panic on it.
		r.Body = http.NoBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "payload is more than the %d bytes allowed (jsonData.maxIngestBytes); split it, or use `kaizen import` for backfills; nothing was stored", limit)
		return nil, false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the request body: %v", err)
		return nil, false
	}
	return body, true
}

func (d *Datasource) handleIngest(w http.ResponseWriter, r *http.Request) {
	kind, err := d.kinds.Get(r.PathValue("kind"))
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
	res, err := ingest.Ingest(r.Context(), d.store, kind, format, strings.NewReader(string(body)), ingest.Options{
		Source: r.URL.Query().Get("source"),
		Now:    time.Now(),
	})
	d.writeIngestResult(w, res, err)
}

func (d *Datasource) handleAlertmanager(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	payload, err := ingest.ParseAlertmanager(strings.NewReader(string(body)))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	res, err := ingest.IngestAlertmanager(r.Context(), d.store, payload, time.Now())
	d.writeIngestResult(w, res, err)
}

func (d *Datasource) writeIngestResult(w http.ResponseWriter, res ingest.Result, err error) {
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, res)
	case ingest.IsPayloadError(err):
		writeError(w, http.StatusBadRequest, "%v", err)
	default:
		writeError(w, http.StatusInternalServerError, "storing records failed, nothing was stored: %v", err)
	}
}

func (d *Datasource) handleKinds(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, d.kinds.Names())
}

// handleDimensions lists what each query type can be grouped and filtered by.
func (d *Datasource) handleDimensions(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]string{"incidents": incidents.Dimensions()})
}

// handleValues lists the distinct values of a dimension, for editor pickers and
// dashboard variables.
func (d *Datasource) handleValues(w http.ResponseWriter, r *http.Request) {
	values, err := incidents.Values(r.Context(), d.store, r.PathValue("dimension"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, values)
}
