package promql

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/prometheus"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the prometheus query type: series for other queries to build on
// (spc, model, backtest), and frames of its own that carry each series' legend.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypePrometheus, Compute)
	e.Register(models.QueryTypePrometheus, Frames) // replaces the derived handler, keeps the series
}

// plan is a checked prometheus query.
type plan struct {
	client  *prometheus.Client
	expr    string // as written
	run     string // with Grafana's variables replaced
	legend  string
	instant bool
	at      time.Time
	rng     prometheus.Range
	notices []string
}

func newPlan(env query.Env, q models.Query) (*plan, error) {
	if env.Prometheus == nil {
		return nil, fmt.Errorf("no Prometheus is configured for this data source: set its Prometheus URL in the data source settings (docs/prometheus.md)")
	}
	if err := checkMetric(q.Metric); err != nil {
		return nil, err
	}
	o := q.Prometheus
	if o == nil || strings.TrimSpace(o.Expr) == "" {
		return nil, fmt.Errorf(`prometheus.expr is missing: give a PromQL expression, e.g. {"prometheus":{"expr":"histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[$__rate_interval])))"}}`)
	}
	if len(q.GroupBy) > 0 {
		return nil, fmt.Errorf("groupBy %v: prometheus series keep their Prometheus labels; group in PromQL instead, e.g. sum by (service) (...)", q.GroupBy)
	}
	for name, values := range q.Filters {
		if len(values) > 0 {
			return nil, fmt.Errorf("filters.%s: filter in PromQL with a label matcher instead, e.g. {%s=\"%s\"}", name, name, values[0])
		}
	}
	p := &plan{client: env.Prometheus, expr: o.Expr, legend: strings.TrimSpace(o.LegendFormat)}
	var minStep time.Duration
	if s := strings.TrimSpace(o.Step); s != "" {
		d, err := query.ParseDuration(s)
		if err != nil {
			return nil, fmt.Errorf("prometheus.step: %w", err)
		}
		minStep = d
	}
	scrape := env.Prometheus.ScrapeInterval()
	step := autoStep(env, minStep, scrape)
	switch b := strings.TrimSpace(q.Bucket); b {
	case "", "auto":
	case "none":
		p.instant, p.at = true, env.To
	default:
		d, err := query.ParseDuration(b)
		if err != nil {
			return nil, fmt.Errorf("bucket: %w (the step of a prometheus query: auto, none, or a duration such as 1m)", err)
		}
		if d < time.Millisecond {
			return nil, fmt.Errorf("bucket %q: a step is at least 1ms", b)
		}
		step = d
	}
	span := env.To.Sub(env.From)
	if !p.instant {
		capped, ok := capSteps(span, step)
		if !ok {
			p.notices = append(p.notices, fmt.Sprintf("step raised from %s to %s: Prometheus answers at most %d steps per series", formatDuration(step), formatDuration(capped), MaxSteps))
		}
		step = capped
		p.rng = alignedRange(env.From, env.To, step)
	}
	p.run = interpolate(o.Expr, step, scrape, span)
	return p, nil
}

func (p *plan) fetch(ctx context.Context) (*prometheus.Response, error) {
	if p.instant {
		return p.client.Query(ctx, p.run, p.at)
	}
	return p.client.QueryRange(ctx, p.run, p.rng)
}

// executed is what the query inspector shows as the executed query.
func (p *plan) executed() string {
	if p.instant {
		return fmt.Sprintf("Expr: %s\nInstant at: %s", p.run, p.at.Format(time.RFC3339))
	}
	return fmt.Sprintf("Expr: %s\nStep: %s\nRange: %s to %s", p.run, formatDuration(p.rng.Step),
		p.rng.Start.Format(time.RFC3339), p.rng.End.Format(time.RFC3339))
}

// promSeries is one series as this package hands it on: labels, its default and
// legend names, and values with NaN and ±Inf turned into nulls.
type promSeries struct {
	labels      map[string]string
	name        string // legend or default name
	defaultName string
	times       []time.Time
	values      []*float64
	nonFinite   int
	histograms  int
}

// series runs the query and converts the answer, sorted by default name.
func (p *plan) series(ctx context.Context) ([]promSeries, error) {
	resp, err := p.fetch(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range resp.Warnings {
		p.notices = append(p.notices, "Prometheus warning: "+w)
	}
	for _, w := range resp.Infos {
		p.notices = append(p.notices, "Prometheus: "+w)
	}
	out := make([]promSeries, len(resp.Series))
	for i, s := range resp.Series {
		ps := promSeries{labels: s.Labels, defaultName: defaultName(s.Labels, p.expr), histograms: s.Histograms,
			times: make([]time.Time, len(s.Points)), values: make([]*float64, len(s.Points))}
		ps.name = ps.defaultName
		if p.legend != "" && p.legend != autoLegend {
			ps.name = legendName(p.legend, s.Labels)
		}
		for j, pt := range s.Points {
			ps.times[j] = time.UnixMilli(pt.T).UTC()
			if math.IsNaN(pt.V) || math.IsInf(pt.V, 0) {
				ps.nonFinite++
				continue
			}
			v := pt.V
			ps.values[j] = &v
		}
		out[i] = ps
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].defaultName < out[j].defaultName })
	for _, s := range out {
		if s.nonFinite > 0 {
			p.notices = append(p.notices, fmt.Sprintf("%s: %s NaN or ±Inf, shown as null (no value); control charts and drift leave them out", s.defaultName, plural(s.nonFinite, "sample was", "samples were")))
		}
		if s.histograms > 0 {
			p.notices = append(p.notices, fmt.Sprintf("%s: %s left out: a native histogram has no single value; use histogram_quantile(), histogram_count() or histogram_sum()", s.defaultName, plural(s.histograms, "native histogram sample", "native histogram samples")))
		}
	}
	return out, nil
}

// Compute returns the expression's series as a query.Result, for other queries to
// build on: one series per Prometheus series, grouped by its labels (GroupBy is the
// union of the label names; __name__ is left out when every series shares it).
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	p, err := newPlan(env, q)
	if err != nil {
		return query.Result{}, err
	}
	ss, err := p.series(ctx)
	if err != nil {
		return query.Result{}, err
	}
	return p.result(ss), nil
}

func (p *plan) result(ss []promSeries) query.Result {
	res := query.Result{Name: p.resultName(ss), FieldName: "value", Bucketed: !p.instant}
	names := map[string]bool{}
	for _, s := range ss {
		for k := range s.labels {
			names[k] = true
		}
	}
	if sharedName(ss) != "" {
		delete(names, "__name__")
	}
	for k := range names {
		res.GroupBy = append(res.GroupBy, k)
	}
	sort.Strings(res.GroupBy)
	for _, s := range ss {
		group := make([]string, len(res.GroupBy))
		for i, k := range res.GroupBy {
			group[i] = s.labels[k]
		}
		qs := query.Series{Group: group, Values: s.values}
		if !p.instant {
			qs.Times = s.times
		}
		res.Series = append(res.Series, qs)
	}
	return res
}

// resultName names the series in legends of queries built on them ("<name> ·
// <label values>"): a legend format without variables, else the metric name all
// series share, else the expression.
func (p *plan) resultName(ss []promSeries) string {
	if p.legend != "" && p.legend != autoLegend && !legendVar.MatchString(p.legend) {
		return p.legend
	}
	if n := sharedName(ss); n != "" {
		return n
	}
	return shortExpr(p.expr)
}

// sharedName is the __name__ every series has, or "".
func sharedName(ss []promSeries) string {
	if len(ss) == 0 {
		return ""
	}
	n := ss[0].labels["__name__"]
	for _, s := range ss[1:] {
		if s.labels["__name__"] != n {
			return ""
		}
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
