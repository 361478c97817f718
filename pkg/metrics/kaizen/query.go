package kaizen

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the kaizen query type: its series metrics (cycle time, velocity)
// for other queries to build on, and every metric's frames. catalogOf is the
// registry's catalog, which says which way each target metric improves.
func Register(e *query.Engine, catalogOf func() []catalog.Entry) {
	d := Deps{Series: e.Series, Catalog: catalogOf}
	e.RegisterSeries(models.QueryTypeKaizen, d.Compute)
	e.Register(models.QueryTypeKaizen, d.Frames)
}

// request is a checked kaizen query.
type request struct {
	metric   string
	opts     models.KaizenOptions
	settings Settings
}

func parseRequest(q models.Query) (request, error) {
	metric, err := metricOf(q.Metric)
	if err != nil {
		return request{}, err
	}
	r := request{metric: metric}
	if q.Kaizen != nil {
		r.opts = *q.Kaizen
	}
	if r.settings, err = ParseSettings(r.opts); err != nil {
		return request{}, err
	}
	if len(q.GroupBy) > 0 && !isSeriesMetric(metric) {
		return request{}, fmt.Errorf("kaizen %s has one row per event and cannot be grouped (groupBy %v); filter it instead", metric, q.GroupBy)
	}
	for name := range q.Filters {
		if _, ok := dimensions[name]; !ok {
			return request{}, fmt.Errorf("cannot filter kaizen events on %q; use one of %s", name, strings.Join(dimensions.Names(), ", "))
		}
	}
	if err := r.checkValue(); err != nil {
		return request{}, err
	}
	return r, nil
}

// checkValue checks kaizen.value against the metric's numbers.
func (r request) checkValue() error {
	if r.opts.Value == "" {
		return nil
	}
	allowed := map[string][]string{Impact: impactValues, Sustainability: sustainValues}[r.metric]
	if allowed == nil {
		return fmt.Errorf("kaizen.value is for impact and sustainability, not %s", r.metric)
	}
	if !slices.Contains(allowed, r.opts.Value) {
		return fmt.Errorf("kaizen.value %q is not a number of %s; use one of %s", r.opts.Value, r.metric, strings.Join(allowed, ", "))
	}
	return nil
}

// Numbers the timeseries format can return per event (the first is the default).
var (
	impactValues  = []string{"verdict_code", "p_value", "change", "relative_change"}
	sustainValues = []string{"lost", "state_code"}
)

// selectEvents reads the events a query covers: those named (which must exist;
// read even when archived, so a named event's history stays readable), else every
// event the filters keep, archived ones only when asked.
func (r request) selectEvents(ctx context.Context, env query.Env, q models.Query) ([]Event, error) {
	named := len(r.opts.Events) > 0
	sel := selection{ids: r.opts.Events, filters: q.Filters, includeArchived: r.opts.IncludeArchived || named}
	evs, err := loadEvents(ctx, env.Store, sel)
	if err != nil {
		return nil, err
	}
	for _, id := range r.opts.Events {
		if !slices.ContainsFunc(evs, func(e Event) bool { return e.ID == id }) {
			// Missing, or left out by a filter (which is not an error).
			if _, err := Get(ctx, env.Store, id); err != nil {
				return nil, err
			}
		}
	}
	return evs, nil
}

// Frames runs a kaizen query and renders it.
func (d Deps) Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	r, err := parseRequest(q)
	if err != nil {
		return nil, err
	}
	if isSeriesMetric(r.metric) {
		res, err := d.Compute(ctx, env, q)
		if err != nil {
			return nil, err
		}
		return res.Frames(q.Format), nil
	}
	// Only the impact table shows the bootstrap interval.
	a := analyzer{deps: d, store: env.Store, now: env.Now, settings: r.settings, noInterval: r.metric != Impact}
	switch r.metric {
	case Phases:
		return a.phases(ctx, env, r, q)
	case Annotations:
		return AnnotationFrames(ctx, env, q, &d)
	}
	evs, err := r.selectEvents(ctx, env, q)
	if err != nil {
		return nil, err
	}
	rows, notices, err := a.analyzeAll(ctx, evs, r.metric != Impact, len(r.opts.Events) > 0)
	if err != nil {
		return nil, err
	}
	var frames data.Frames
	switch r.metric {
	case Impact:
		frames = impactFrames(rows, q.Format, valueOr(r.opts.Value, impactValues[0]))
	case Sustainability:
		frames = sustainFrames(rows, q.Format, valueOr(r.opts.Value, sustainValues[0]))
	case Reviews:
		frames = data.Frames{reviewsFrame(rows)}
	}
	if len(notices) > 0 {
		meta := frames[0].Meta
		if meta == nil {
			meta = &data.FrameMeta{}
		}
		meta.Notices = append(meta.Notices, notices...)
		frames[0].SetMeta(meta)
	}
	return frames, nil
}

func valueOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// row is one event's analysis, or why it has none.
type row struct {
	event Event
	an    *Analysis
	err   error
}

// analyzeAll analyses every deployed event (and reviews it when asked). Events
// not yet deployed are left out with a notice; an event whose analysis fails keeps
// its row with the reason, so one broken target does not blank a board. When
// every event fails, or an event named in the query is not deployed, the query fails.
func (a analyzer) analyzeAll(ctx context.Context, evs []Event, review, named bool) ([]row, []data.Notice, error) {
	results := make([]row, len(evs))
	each(ctx, len(evs), func(i int) {
		an, err := a.Analyze(ctx, evs[i])
		if err == nil && review {
			err = a.Review(ctx, an)
		}
		results[i] = row{event: evs[i], an: an, err: err}
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var rows []row
	var notices []data.Notice
	var undeployed []string
	failed := 0
	for _, r := range results {
		var nd *NotDeployedError
		switch {
		case errors.As(r.err, &nd):
			if named {
				return nil, nil, r.err
			}
			undeployed = append(undeployed, r.event.ID)
			continue
		case r.err != nil:
			failed++
			r.an = nil
			notices = append(notices, data.Notice{Severity: data.NoticeSeverityError, Text: r.err.Error()})
		}
		rows = append(rows, r)
	}
	if failed > 0 && failed == len(rows) {
		return nil, nil, rows[0].err
	}
	if len(undeployed) > 0 {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("not deployed yet, so not measured: %s", strings.Join(undeployed, ", "))})
	}
	return rows, notices, nil
}
