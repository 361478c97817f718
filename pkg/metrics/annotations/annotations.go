// Package annotations returns incidents and deployments as Grafana annotations: one
// frame with time, timeEnd, title, text, tags and id, the fields Grafana's annotation
// support reads from a backend data source (DESIGN.md section 1: "annotations").
package annotations

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// What an annotation query shows (its metric).
const (
	All         = "all"
	Incidents   = "incidents"
	Deployments = "deployments"
	// Kaizen: kaizen events' deployments and review dates (pkg/metrics/kaizen).
	Kaizen = "kaizen"
)

// Limit bounds the annotations of each kind a query returns; past it the latest are
// kept and the frame carries a notice. A dashboard cannot show more to a person.
const Limit = 2000

// filterNames are the dimensions annotation queries filter on. A kind without a
// dimension ignores its filter: a severity filter narrows incidents, not deployments.
var filterNames = []string{"environment", "service", "severity", "status", "team"}

// incidentStatus is an incident's status for the status filter: open or resolved.
const incidentStatus = "(CASE WHEN i.resolved_at IS NULL THEN 'open' ELSE 'resolved' END)"

var incidentDims = query.Dimensions{"service": "i.service", "team": "i.team", "severity": "i.severity", "status": incidentStatus}

var deploymentDims = query.Dimensions{"service": "d.service", "team": "d.team", "environment": "d.environment", "status": "d.status"}

// Dimensions lists what annotation queries filter on.
func Dimensions() []string { return append([]string(nil), filterNames...) }

// event is one annotation before it becomes a frame row.
type event struct {
	time    time.Time
	timeEnd *time.Time
	title   string
	text    string
	tags    []string
	id      string
}

// Query returns the incidents and/or deployments in the time range as one annotation frame.
func Query(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	what := q.Metric
	if what == "" {
		what = All
	}
	if what == Kaizen {
		// This handler has no engine to run the events' targets with, so the rows say
		// what each event is, not its verdict; the kaizen query type's annotations do.
		return kaizen.AnnotationFrames(ctx, env, q, nil)
	}
	if what != All && what != Incidents && what != Deployments {
		return nil, fmt.Errorf("annotations of %q: use all, incidents or deployments", what)
	}
	if len(q.GroupBy) > 0 {
		return nil, fmt.Errorf("annotations cannot be grouped (groupBy %v); filter them instead", q.GroupBy)
	}
	for name := range q.Filters {
		if !contains(filterNames, name) {
			return nil, fmt.Errorf("cannot filter annotations on %q; use one of %s", name, strings.Join(filterNames, ", "))
		}
	}
	var events []event
	var notices []data.Notice
	if what != Deployments {
		evs, truncated, err := incidents(ctx, env, q.Filters)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
		if truncated {
			notices = append(notices, limitNotice("incidents"))
		}
	}
	if what != Incidents {
		evs, truncated, err := deployments(ctx, env, q.Filters)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
		if truncated {
			notices = append(notices, limitNotice("deployments"))
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].time.Before(events[j].time) })
	return data.Frames{frame(events, notices)}, nil
}

func limitNotice(kind string) data.Notice {
	return data.Notice{Severity: data.NoticeSeverityWarning,
		Text: fmt.Sprintf("only the latest %d %s in the time range are shown; narrow the range or filter", Limit, kind)}
}

// kindFilters keeps the filters on dimensions the kind has.
func kindFilters(dims query.Dimensions, filters map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range filters {
		if _, ok := dims[k]; ok {
			out[k] = v
		}
	}
	return out
}

func frame(events []event, notices []data.Notice) *data.Frame {
	n := len(events)
	times := make([]time.Time, n)
	ends := make([]*time.Time, n)
	titles := make([]string, n)
	texts := make([]string, n)
	tags := make([]string, n)
	ids := make([]string, n)
	for i, e := range events {
		times[i], ends[i], titles[i], texts[i], ids[i] = e.time, e.timeEnd, e.title, e.text, e.id
		// Grafana splits the tags field on commas.
		tags[i] = strings.Join(e.tags, ",")
	}
	f := data.NewFrame("annotations",
		data.NewField("time", nil, times),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
		data.NewField("id", nil, ids),
	)
	f.SetMeta(&data.FrameMeta{Notices: notices})
	return f
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// tagsOf keeps the non-empty values, without commas (Grafana splits tags on them).
func tagsOf(values ...string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(strings.ReplaceAll(v, ",", " ")); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// duration reads like "1h 30m" or "45s".
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return d.String()
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	parts := []string{}
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%dd", days))
	}
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%dh", h))
	}
	if m > 0 && days == 0 {
		parts = append(parts, fmt.Sprintf("%dm", m))
	}
	if len(parts) == 0 {
		return "0m"
	}
	return strings.Join(parts, " ")
}
