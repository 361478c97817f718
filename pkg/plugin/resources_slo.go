package plugin

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/slo"
)

// sloRoutes serve SLO and SLA definitions and the SLI sample ingest.
func (d *Datasource) sloRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /slos", d.handleSLOList)
	mux.HandleFunc("GET /slos/{id}", d.handleSLOGet)
	mux.Handle("POST /slos", d.requireWriter(http.HandlerFunc(d.handleSLOCreate)))
	mux.Handle("PUT /slos/{id}", d.requireWriter(http.HandlerFunc(d.handleSLOPut)))
	mux.Handle("POST /slos/{id}/retire", d.requireWriter(http.HandlerFunc(d.handleSLORetire)))
	mux.Handle("POST /slos/{id}/restore", d.requireWriter(http.HandlerFunc(d.handleSLORestore)))
	mux.Handle("DELETE /slos/{id}", d.requireWriter(http.HandlerFunc(d.handleSLODelete)))
	// SLI samples fold into rollups in the ingest's transaction: their own route,
	// more specific than ingest/{kind}.
	mux.Handle("POST /ingest/"+ingest.SLIKind, d.requireWriter(http.HandlerFunc(d.handleSLIIngest)))
	// SLO ids for editor pickers and dashboard variables (values(slo)).
	mux.HandleFunc("GET /values/slo", d.handleSLOValues)
}

// sloWrite is the response to a definition write.
type sloWrite struct {
	Outcome string          `json:"outcome"`
	SLO     *slo.Definition `json:"slo,omitempty"`
}

func writeSLOError(w http.ResponseWriter, err error) {
	var nf *slo.NotFoundError
	var ce *slo.ConflictError
	switch {
	case errors.As(err, &nf):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.As(err, &ce):
		writeError(w, http.StatusConflict, "%v", err)
	default:
		writeError(w, http.StatusInternalServerError, "storing the SLO failed, nothing was changed: %v", err)
	}
}

// readDefinition decodes and validates the body; a path id fills a missing one
// and must agree with a given one.
func (d *Datasource) readDefinition(w http.ResponseWriter, r *http.Request) (slo.Definition, bool) {
	body, ok := d.readBody(w, r)
	if !ok {
		return slo.Definition{}, false
	}
	def, err := slo.DecodeDefinition(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return slo.Definition{}, false
	}
	if id := r.PathValue("id"); id != "" {
		switch strings.TrimSpace(def.ID) {
		case "":
			def.ID = id
		case id:
		default:
			writeError(w, http.StatusBadRequest, "SLO definition: id %q in the body differs from %q in the path", def.ID, id)
			return slo.Definition{}, false
		}
	}
	if err := def.Normalize(); err != nil {
		writeError(w, http.StatusBadRequest, "SLO definition: %v", err)
		return slo.Definition{}, false
	}
	return def, true
}

func (d *Datasource) handleSLOList(w http.ResponseWriter, r *http.Request) {
	defs, err := slo.LoadDefinitions(r.Context(), d.store, slo.Selection{IncludeRetired: r.URL.Query().Get("includeRetired") == "true"})
	if err == nil {
		err = slo.AttachLastSamples(r.Context(), d.store, defs)
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	if defs == nil {
		defs = []*slo.Definition{}
	}
	writeJSON(w, http.StatusOK, defs)
}

func (d *Datasource) handleSLOValues(w http.ResponseWriter, r *http.Request) {
	defs, err := slo.LoadDefinitions(r.Context(), d.store, slo.Selection{})
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

func (d *Datasource) handleSLOGet(w http.ResponseWriter, r *http.Request) {
	def, err := slo.GetDefinition(r.Context(), d.store, r.PathValue("id"))
	if err == nil {
		err = slo.AttachLastSamples(r.Context(), d.store, []*slo.Definition{def})
	}
	if err != nil {
		writeSLOError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, def)
}

func (d *Datasource) handleSLOCreate(w http.ResponseWriter, r *http.Request) {
	def, ok := d.readDefinition(w, r)
	if !ok {
		return
	}
	out, err := slo.CreateDefinition(r.Context(), d.store, def, time.Now().UTC())
	if err != nil {
		writeSLOError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, sloWrite{Outcome: "created", SLO: out})
}

func (d *Datasource) handleSLOPut(w http.ResponseWriter, r *http.Request) {
	def, ok := d.readDefinition(w, r)
	if !ok {
		return
	}
	out, created, err := slo.PutDefinition(r.Context(), d.store, def, time.Now().UTC())
	if err != nil {
		writeSLOError(w, err)
		return
	}
	if created {
		writeJSON(w, http.StatusCreated, sloWrite{Outcome: "created", SLO: out})
		return
	}
	writeJSON(w, http.StatusOK, sloWrite{Outcome: "updated", SLO: out})
}

func (d *Datasource) handleSLORetire(w http.ResponseWriter, r *http.Request) {
	out, err := slo.RetireDefinition(r.Context(), d.store, r.PathValue("id"), time.Now().UTC())
	if err != nil {
		writeSLOError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sloWrite{Outcome: "retired", SLO: out})
}

func (d *Datasource) handleSLORestore(w http.ResponseWriter, r *http.Request) {
	out, err := slo.RestoreDefinition(r.Context(), d.store, r.PathValue("id"))
	if err != nil {
		writeSLOError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sloWrite{Outcome: "restored", SLO: out})
}

// handleSLODelete deletes a retired SLO's definition; its samples stay.
func (d *Datasource) handleSLODelete(w http.ResponseWriter, r *http.Request) {
	if err := slo.PurgeDefinition(r.Context(), d.store, r.PathValue("id")); err != nil {
		writeSLOError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sloWrite{Outcome: "deleted"})
}

func (d *Datasource) handleSLIIngest(w http.ResponseWriter, r *http.Request) {
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
	res, err := ingest.IngestSLI(r.Context(), d.store, format, strings.NewReader(string(body)), ingest.Options{Now: time.Now()})
	d.writeIngestResult(w, res, err)
}
