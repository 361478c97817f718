// Package query runs data source queries: it parses the query model, resolves time
// buckets, and dispatches each query type to its metric family. The plugin's QueryData
// handler and the kaizen CLI both call it, so both return the same frames.
package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/prometheus"
	"github.com/kaizenops/suite/pkg/store"
)

// Env is what a query runs against: the store and the dashboard's time range.
type Env struct {
	Store store.Store
	From  time.Time
	To    time.Time
	// Interval is Grafana's suggested interval for the panel width (0 when unknown).
	Interval time.Duration
	// MaxDataPoints bounds the number of buckets (0 means the engine default).
	MaxDataPoints int64
	Now           time.Time
	// Prometheus is the data source's Prometheus server; nil when none is configured
	// (the prometheus query type, pkg/metrics/promql).
	Prometheus *prometheus.Client
}

// Handler runs one query type.
type Handler func(ctx context.Context, env Env, q models.Query) (data.Frames, error)

// SeriesFunc computes a query type's result as series, for queries that build on
// other queries' series (a control chart of MTTR per week, a backtest of a KPI).
type SeriesFunc func(ctx context.Context, env Env, q models.Query) (Result, error)

// Engine dispatches queries to their type's handler.
type Engine struct {
	handlers map[string]Handler
	series   map[string]SeriesFunc
}

// NewEngine returns an engine with no query types; pkg/metrics registers them.
func NewEngine() *Engine {
	return &Engine{handlers: map[string]Handler{}, series: map[string]SeriesFunc{}}
}

// Register adds a query type.
func (e *Engine) Register(queryType string, h Handler) { e.handlers[queryType] = h }

// RegisterSeries adds a query type whose result is series; its frames handler is
// derived (Result.Frames in the query's format).
func (e *Engine) RegisterSeries(queryType string, f SeriesFunc) {
	e.series[queryType] = f
	e.handlers[queryType] = func(ctx context.Context, env Env, q models.Query) (data.Frames, error) {
		res, err := f(ctx, env, q)
		if err != nil {
			return nil, err
		}
		return res.Frames(q.Format), nil
	}
}

// Series runs a series-producing query (the source of an SPC or backtest query).
func (e *Engine) Series(ctx context.Context, env Env, q models.Query) (Result, error) {
	f, ok := e.series[q.QueryType]
	if !ok {
		names := make([]string, 0, len(e.series))
		for t := range e.series {
			names = append(names, t)
		}
		sort.Strings(names)
		return Result{}, fmt.Errorf("queryType %q does not produce a series; use one of %s", q.QueryType, strings.Join(names, ", "))
	}
	return f(ctx, env, q)
}

// Types lists the registered query types.
func (e *Engine) Types() []string {
	out := make([]string, 0, len(e.handlers))
	for t := range e.handlers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Run executes one query.
func (e *Engine) Run(ctx context.Context, env Env, q models.Query) (data.Frames, error) {
	if !env.To.After(env.From) {
		return nil, fmt.Errorf("time range: from %s is not before to %s", env.From.Format(time.RFC3339), env.To.Format(time.RFC3339))
	}
	h, ok := e.handlers[q.QueryType]
	if !ok {
		if q.QueryType == "" {
			return nil, fmt.Errorf("queryType is missing; use one of %s", strings.Join(e.Types(), ", "))
		}
		return nil, fmt.Errorf("unknown queryType %q; use one of %s", q.QueryType, strings.Join(e.Types(), ", "))
	}
	frames, err := h(ctx, env, q)
	if err != nil {
		return nil, fmt.Errorf("%s query: %w", q.QueryType, err)
	}
	for _, f := range frames {
		f.RefID = q.RefID
	}
	return frames, nil
}
