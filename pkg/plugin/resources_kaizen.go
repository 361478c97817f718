package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/models"
)

// kaizenRoutes serve kaizen events: improvement initiatives and whether they worked.
func (d *Datasource) kaizenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /kaizen/events", d.handleKaizenList)
	mux.HandleFunc("GET /kaizen/events/{id}", d.handleKaizenGet)
	mux.HandleFunc("GET /kaizen/events/{id}/analysis", d.handleKaizenAnalysis)
	mux.HandleFunc("GET /kaizen/board", d.handleKaizenBoard)
	mux.Handle("POST /kaizen/events", d.requireWriter(http.HandlerFunc(d.handleKaizenCreate)))
	mux.Handle("PUT /kaizen/events/{id}", d.requireWriter(http.HandlerFunc(d.handleKaizenUpdate)))
	mux.Handle("POST /kaizen/events/{id}/archive", d.requireWriter(http.HandlerFunc(d.handleKaizenArchive)))
	mux.Handle("POST /kaizen/events/{id}/restore", d.requireWriter(http.HandlerFunc(d.handleKaizenRestore)))
	mux.Handle("DELETE /kaizen/events/{id}", d.requireWriter(http.HandlerFunc(d.handleKaizenDelete)))
	// Events create or update per record, checking each target: their own route,
	// more specific than ingest/{kind}.
	mux.Handle("POST /ingest/"+ingest.KaizenEventsKind, d.requireWriter(http.HandlerFunc(d.handleKaizenImport)))
	// Event ids, owners and statuses for editor pickers and dashboard variables.
	mux.HandleFunc("GET /values/kaizen/{dimension}", d.handleKaizenValues)
}

// kaizenDeps is the family's view of this instance's engine.
func (d *Datasource) kaizenDeps() kaizen.Deps {
	return kaizen.Deps{Series: d.engine.Series, Catalog: metrics.Catalog}
}

// kaizenWrite is the response to an event write.
type kaizenWrite struct {
	Outcome       string       `json:"outcome"`
	Event         kaizen.Event `json:"event"`
	IgnoredFields []string     `json:"ignored_fields,omitempty"`
}

// kaizenError is apiError plus the field at fault, so the form can point at it.
type kaizenError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeKaizenError(w http.ResponseWriter, err error) {
	var fe *ingest.FieldError
	var nf *kaizen.NotFoundError
	var ce *kaizen.ConflictError
	switch {
	case errors.As(err, &fe):
		writeJSON(w, http.StatusBadRequest, kaizenError{Error: "kaizen event: " + fe.Error(), Field: fe.Field})
	case ingest.IsPayloadError(err):
		writeError(w, http.StatusBadRequest, "%v", err)
	case errors.As(err, &nf):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.As(err, &ce):
		writeError(w, http.StatusConflict, "%v", err)
	case errors.Is(err, context.Canceled):
		writeError(w, http.StatusRequestTimeout, "request cancelled: %v", err)
	default:
		writeError(w, http.StatusInternalServerError, "the kaizen event request failed, nothing was changed: %v", err)
	}
}

// kaizenWriter names who writes, for changed_by.
func kaizenWriter(r *http.Request) kaizen.Writer {
	by := "ingest token"
	if r.Header.Get(IngestTokenHeader) == "" {
		if u := backend.UserFromContext(r.Context()); u != nil {
			by = u.Login
		}
	}
	return kaizen.Writer{By: by, Now: time.Now().UTC()}
}

func (d *Datasource) handleKaizenList(w http.ResponseWriter, r *http.Request) {
	evs, err := kaizen.List(r.Context(), d.store, r.URL.Query().Get("archived") == "1")
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, evs)
}

func (d *Datasource) handleKaizenGet(w http.ResponseWriter, r *http.Request) {
	e, err := kaizen.Get(r.Context(), d.store, r.PathValue("id"))
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// handleKaizenBoard is every event with its verdict and review states: the page's list.
func (d *Datasource) handleKaizenBoard(w http.ResponseWriter, r *http.Request) {
	rows, err := d.kaizenDeps().Board(r.Context(), d.store, time.Now().UTC(), r.URL.Query().Get("archived") == "1")
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rows)
}

// handleKaizenAnalysis is one event's analysis with the values compared. The query
// parameters baseline, after, settling, alpha, minN, seed and resamples override the
// defaults as the kaizen query's options do.
func (d *Datasource) handleKaizenAnalysis(w http.ResponseWriter, r *http.Request) {
	opts, err := kaizenOptionsFromURL(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	s, err := kaizen.ParseSettings(opts)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	row, err := d.kaizenDeps().Detail(r.Context(), d.store, time.Now().UTC(), r.PathValue("id"), s)
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, row)
}

// kaizenOptionsFromURL reads analysis overrides from the query string.
func kaizenOptionsFromURL(r *http.Request) (models.KaizenOptions, error) {
	v := r.URL.Query()
	o := models.KaizenOptions{Baseline: v.Get("baseline"), After: v.Get("after"), Settling: v.Get("settling")}
	if s := v.Get("alpha"); s != "" {
		var a float64
		if _, err := fmt.Sscan(s, &a); err != nil {
			return o, fmt.Errorf("alpha %q is not a number", s)
		}
		o.Alpha = &a
	}
	for _, p := range []struct {
		name string
		dst  any
	}{{"minN", &o.MinN}, {"seed", &o.Seed}, {"resamples", &o.Resamples}} {
		if s := v.Get(p.name); s != "" {
			if _, err := fmt.Sscan(s, p.dst); err != nil {
				return o, fmt.Errorf("%s %q is not a whole number", p.name, s)
			}
		}
	}
	return o, nil
}

func (d *Datasource) handleKaizenCreate(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	writer := kaizenWriter(r)
	rec, ignored, err := ingest.ParseKaizenEvent(body, writer.Now)
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	e, err := d.kaizenDeps().Create(r.Context(), d.store, rec, writer)
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, kaizenWrite{Outcome: string(kaizen.Created), Event: e, IgnoredFields: ignored})
}

func (d *Datasource) handleKaizenUpdate(w http.ResponseWriter, r *http.Request) {
	body, ok := d.readBody(w, r)
	if !ok {
		return
	}
	body, err := withPathID(body, r.PathValue("id"), kaizenPathID)
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writer := kaizenWriter(r)
	rec, ignored, err := ingest.ParseKaizenEvent(body, writer.Now)
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	e, outcome, err := d.kaizenDeps().Update(r.Context(), d.store, rec, writer)
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, kaizenWrite{Outcome: string(outcome), Event: e, IgnoredFields: ignored})
}

func (d *Datasource) handleKaizenArchive(w http.ResponseWriter, r *http.Request) {
	e, err := kaizen.Archive(r.Context(), d.store, r.PathValue("id"), kaizenWriter(r))
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, kaizenWrite{Outcome: string(kaizen.Archived), Event: e})
}

func (d *Datasource) handleKaizenRestore(w http.ResponseWriter, r *http.Request) {
	e, err := kaizen.Restore(r.Context(), d.store, r.PathValue("id"), kaizenWriter(r))
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, kaizenWrite{Outcome: string(kaizen.Restored), Event: e})
}

func (d *Datasource) handleKaizenDelete(w http.ResponseWriter, r *http.Request) {
	e, err := kaizen.Delete(r.Context(), d.store, r.PathValue("id"))
	if err != nil {
		writeKaizenError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, kaizenWrite{Outcome: string(kaizen.Deleted), Event: e})
}

func (d *Datasource) handleKaizenImport(w http.ResponseWriter, r *http.Request) {
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
	res, err := d.kaizenDeps().Import(r.Context(), d.store, format, strings.NewReader(string(body)), kaizenWriter(r))
	if err != nil {
		d.writeIngestResult(w, ingest.Result{}, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// handleKaizenValues lists event ids, owners or statuses.
func (d *Datasource) handleKaizenValues(w http.ResponseWriter, r *http.Request) {
	values, err := kaizen.Values(r.Context(), d.store, r.PathValue("dimension"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, values)
}
