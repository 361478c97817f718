package plugin

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
)

// kpiRoutes serve the KPI catalog: the user's KPI definitions, versioned on every change.
func (d *Datasource) kpiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /kpis", d.handleKPIList)
	mux.HandleFunc("GET /kpis/{id}", d.handleKPIGet)
	mux.HandleFunc("GET /kpis/{id}/versions", d.handleKPIVersions)
	mux.Handle("POST /kpis", d.requireWriter(http.HandlerFunc(d.handleKPICreate)))
	mux.Handle("PUT /kpis/{id}", d.requireWriter(http.HandlerFunc(d.handleKPIUpdate)))
	mux.Handle("POST /kpis/{id}/retire", d.requireWriter(http.HandlerFunc(d.handleKPIRetire)))
	// Definitions are versioned, not upserted: their import has its own route, more
	// specific than ingest/{kind}.
	mux.Handle("POST /ingest/"+ingest.KPIDefinitionsKind, d.requireWriter(http.HandlerFunc(d.handleKPIImport)))
	// KPI ids for editor pickers and dashboard variables (values(kpi)).
	mux.HandleFunc("GET /values/kpi", d.handleKPIValues)
}

// kpiWrite is the response to a definition write.
type kpiWrite struct {
	Outcome       string         `json:"outcome"`
	KPI           kpi.Definition `json:"kpi"`
	IgnoredFields []string       `json:"ignored_fields,omitempty"`
}

// kpiError is apiError plus the field at fault, so an editor can point at it.
type kpiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeKPIError(w http.ResponseWriter, err error) {
	var fe *ingest.FieldError
	var nf *kpi.NotFoundError
	var ce *kpi.ConflictError
	switch {
	case errors.As(err, &fe):
		writeJSON(w, http.StatusBadRequest, kpiError{Error: "KPI definition: " + fe.Error(), Field: fe.Field})
	case ingest.IsPayloadError(err):
		writeError(w, http.StatusBadRequest, "%v", err)
	case errors.As(err, &nf):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.As(err, &ce):
		writeError(w, http.StatusConflict, "%v", err)
	default:
		writeError(w, http.StatusInternalServerError, "storing the KPI definition failed, nothing was changed: %v", err)
	}
}

// kpiWriter names who writes, for the version's changed_by.
func kpiWriter(r *http.Request) kpi.Writer {
	by := "ingest token"
	if r.Header.Get(IngestTokenHeader) == "" {
		if u := backend.UserFromContext(r.Context()); u != nil {
			by = u.Login
		}
	}
	return kpi.Writer{By: by, Now: time.Now().UTC()}
}

func (d *Datasource) handleKPIList(w http.ResponseWriter, r *http.Request) {
	defs, err := kpi.List(r.Context(), d.store)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, defs)
}

func (d *Datasource) handleKPIValues(w http.ResponseWriter, r *http.Request) {
	defs, err := kpi.List(r.Context(), d.store)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	ids := make([]string, len(defs))
	for i, def := range defs {
		ids[i] = def.ID
	}
	writeJSON(w, http.StatusOK, ids)
}

func (d *Datasource) handleKPIGet(w http.ResponseWriter, r *http.Request) {
	versions, err := kpi.Versions(r.Context(), d.store, r.PathValue("id"))
	if err != nil {
		writeKPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, versions[len(versions)-1])
}

func (d *Datasource) handleKPIVersions(w http.ResponseWriter, r *http.Request) {
	versions, err := kpi.Versions(r.Context(), d.store, r.PathValue("id"))
	if err != nil {
		writeKPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, versions)
}

func (d *Datasource) handleKPICreate(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	writer := kpiWriter(r)
	rec, ignored, err := ingest.ParseKPIDefinition(body, writer.Now)
	if err != nil {
		writeKPIError(w, err)
		return
	}
	def, err := kpi.Create(r.Context(), d.store, rec, writer)
	if err != nil {
		writeKPIError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, kpiWrite{Outcome: string(kpi.Created), KPI: def, IgnoredFields: ignored})
}

func (d *Datasource) handleKPIUpdate(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	body, err := withPathID(body, id, kpiPathID)
	if err != nil {
		writeKPIError(w, err)
		return
	}
	writer := kpiWriter(r)
	rec, ignored, err := ingest.ParseKPIDefinition(body, writer.Now)
	if err != nil {
		writeKPIError(w, err)
		return
	}
	def, outcome, err := kpi.Update(r.Context(), d.store, rec, writer)
	if err != nil {
		writeKPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, kpiWrite{Outcome: string(outcome), KPI: def, IgnoredFields: ignored})
}

func (d *Datasource) handleKPIRetire(w http.ResponseWriter, r *http.Request) {
	def, err := kpi.Retire(r.Context(), d.store, r.PathValue("id"), kpiWriter(r))
	if err != nil {
		writeKPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, kpiWrite{Outcome: "retired", KPI: def})
}

func (d *Datasource) handleKPIImport(w http.ResponseWriter, r *http.Request) {
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
	res, err := kpi.Import(r.Context(), d.store, format, strings.NewReader(string(body)), kpiWriter(r))
	if err != nil {
		d.writeIngestResult(w, ingest.Result{}, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
