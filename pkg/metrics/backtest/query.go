package backtest

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	backteststats "github.com/kaizenops/suite/pkg/stats/backtest"
)

// Handler returns the backtest query type's handler. series runs the source
// query; the registry passes Engine.Series, so any series-producing query type
// can be backtested without this package knowing it.
func Handler(series query.SeriesFunc) query.Handler {
	return func(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
		r, err := Compute(ctx, series, env, q)
		if err != nil {
			return nil, err
		}
		if r.Metric == Firings {
			return data.Frames{r.FiringsFrame()}, nil
		}
		return data.Frames{r.ScoresFrame()}, nil
	}
}

// Result is a backtest query's answer: the inputs' sizes and one row per candidate.
type Result struct {
	Metric string
	// Source names the replayed series ("p95 latency · checkout") and its unit.
	Source, Unit string
	// Interval is the source's bucket width: one rule evaluation per bucket.
	Interval   time.Duration
	Points     int
	Incidents  int
	Lead       time.Duration
	Candidates []backteststats.Candidate
	Rows       []backteststats.Row
	// Alerts holds each candidate's firings (metric firings only).
	Alerts  [][]backteststats.Alert
	Notices []string
}

// Compute runs the source query, loads the incidents and replays every candidate.
func Compute(ctx context.Context, series query.SeriesFunc, env query.Env, q models.Query) (*Result, error) {
	r, err := parseRequest(q)
	if err != nil {
		return nil, err
	}
	src, buckets, err := fetch(ctx, series, env, r.source)
	if err != nil {
		return nil, fmt.Errorf("improvement.source (%s query): %w", r.source.QueryType, err)
	}
	if !src.Bucketed {
		return nil, fmt.Errorf("improvement.source (%s query) gives one value per series; a backtest replays a series over time: set its bucket to the evaluation interval, e.g. 1m", r.source.QueryType)
	}
	s, name, err := oneSeries(src)
	if err != nil {
		return nil, fmt.Errorf("improvement.source (%s query): %w", r.source.QueryType, err)
	}
	incidents, err := loadIncidents(ctx, env, q.Filters)
	if err != nil {
		return nil, err
	}
	out := &Result{Metric: r.metric, Source: name, Unit: src.Unit, Interval: buckets.Width, Points: s.Len(),
		Incidents: len(incidents), Lead: r.lead, Candidates: r.candidates}
	if strings.TrimSpace(r.source.Bucket) == "auto" {
		out.Notices = append(out.Notices, fmt.Sprintf("the source's bucket is auto (%s here): a backtest evaluates once per bucket, so set improvement.source.bucket to the alert rule's evaluation interval (e.g. 1m)", buckets.Width))
	}
	if len(incidents) == 0 {
		out.Notices = append(out.Notices, "no incident started in the time range (with these filters): recall is undefined and every alert counts as a false alert")
	}
	if out.Rows, err = backteststats.Run(s, incidents, r.candidates, backteststats.Options{Lead: r.lead}); err != nil {
		return nil, err
	}
	if r.metric == Firings {
		for _, c := range r.candidates {
			alerts, err := backteststats.Replay(s, c)
			if err != nil {
				return nil, fmt.Errorf("candidate %s: %w", c.Name, err)
			}
			out.Alerts = append(out.Alerts, alerts)
		}
	}
	return out, nil
}

// request is a checked backtest query.
type request struct {
	metric     string
	source     models.Query
	candidates []backteststats.Candidate
	lead       time.Duration
}

func parseRequest(q models.Query) (request, error) {
	metric, err := metricOf(q.Metric)
	if err != nil {
		return request{}, err
	}
	o := q.Improvement
	if o == nil || o.Source == nil {
		return request{}, fmt.Errorf(`improvement.source is missing: give the series to replay, e.g. {"queryType":"kpi","metric":"value","kpi":{"kpis":["p95_latency"]},"bucket":"1m"}`)
	}
	r := request{metric: metric, source: *o.Source}
	r.source.Normalize()
	switch r.source.QueryType {
	case "":
		return request{}, fmt.Errorf("improvement.source.queryType is missing: name the query type whose series is replayed (e.g. kpi)")
	case models.QueryTypeBacktest:
		return request{}, fmt.Errorf("improvement.source cannot be another backtest query")
	}
	if r.source.Bucket == "none" {
		return request{}, fmt.Errorf("improvement.source.bucket is none, which gives one value; a backtest replays a series over time: give the evaluation interval, e.g. 1m")
	}
	if len(o.Candidates) == 0 || string(o.Candidates) == "null" {
		return request{}, fmt.Errorf(`improvement.candidates is missing: give a list such as [{"name":"p95 > 800ms for 5m","type":"threshold","op":"above","value":800,"for":"5m"}]`)
	}
	if r.candidates, err = backteststats.ParseCandidates(o.Candidates); err != nil {
		return request{}, fmt.Errorf("improvement.%w", err)
	}
	if len(r.candidates) > maxCandidates {
		return request{}, fmt.Errorf("improvement.candidates has %d candidates, more than the %d allowed", len(r.candidates), maxCandidates)
	}
	if strings.TrimSpace(o.Lead) != "" {
		if r.lead, err = backteststats.ParseDuration(o.Lead); err != nil {
			return request{}, fmt.Errorf("improvement.lead %q: %w", o.Lead, err)
		}
		if r.lead < 0 {
			return request{}, fmt.Errorf("improvement.lead %q is negative", o.Lead)
		}
	}
	return r, nil
}

// oneSeries turns the source's single series into engine samples (no value: NaN).
func oneSeries(src query.Result) (backteststats.Series, string, error) {
	switch len(src.Series) {
	case 0:
		return backteststats.Series{}, "", fmt.Errorf("gives no series; a backtest needs one")
	case 1:
	default:
		groups := make([]string, len(src.Series))
		for i, s := range src.Series {
			groups[i] = groupText(src.GroupBy, s.Group)
		}
		slices.Sort(groups)
		if len(groups) > 3 {
			groups = append(groups[:3], "…")
		}
		return backteststats.Series{}, "", fmt.Errorf("gives %d series (%s); a backtest replays one: filter the source to one group or drop its group by", len(src.Series), strings.Join(groups, ", "))
	}
	s := src.Series[0]
	values := make([]float64, len(s.Values))
	for i, v := range s.Values {
		values[i] = math.NaN()
		if v != nil {
			values[i] = *v
		}
	}
	out, err := backteststats.NewSeries(s.Times, values)
	if err != nil {
		return out, "", err
	}
	name := src.Name
	if len(s.Group) > 0 {
		name += " · " + strings.Join(s.Group, " / ")
	}
	return out, name, nil
}

func groupText(dims, group []string) string {
	parts := make([]string, len(group))
	for i, g := range group {
		parts[i] = dims[i] + "=" + g
	}
	return strings.Join(parts, " ")
}

// loadIncidents reads the incidents that started in the range, filtered.
func loadIncidents(ctx context.Context, env query.Env, filters map[string][]string) ([]backteststats.Incident, error) {
	w := &query.Where{}
	w.Add("started_at >= ?", env.From.UnixMilli())
	w.Add("started_at < ?", env.To.UnixMilli())
	if err := w.Filters(incidentDimensions, filters); err != nil {
		return nil, err
	}
	rows, err := env.Store.QueryContext(ctx, "SELECT source, id, started_at, resolved_at FROM incidents"+w.SQL(), w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	var out []backteststats.Incident
	for rows.Next() {
		var src, id string
		var started int64
		var resolved sql.NullInt64
		if err := rows.Scan(&src, &id, &started, &resolved); err != nil {
			return nil, fmt.Errorf("reading incidents: %w", err)
		}
		inc := backteststats.Incident{ID: src + "/" + id, StartedAt: time.UnixMilli(started).UTC()}
		if resolved.Valid {
			inc.ResolvedAt = time.UnixMilli(resolved.Int64).UTC()
		}
		out = append(out, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	return out, nil
}
