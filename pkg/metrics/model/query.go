package model

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the model query type: its series (drift statistics, performance,
// fairness, retraining trigger) go through Compute, so SPC and alert rules can build
// on them; table metrics and table formats have frames of their own.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeModel, Compute)
	e.Register(models.QueryTypeModel, Frames) // replaces the derived handler, keeps the series
	registerSource(e)                         // model.source: drift of another query's series (source_series.go)
}

// Frames runs a model query.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	p, err := newPlan(ctx, env, q)
	if err != nil {
		return nil, err
	}
	table := q.Format == models.FormatTable
	m := p.opts.metric
	switch {
	case isDrift(m) && table:
		fds, notices, err := p.computeDrift(ctx, m, p.opts.threshold)
		if err != nil {
			return nil, err
		}
		return withNotices(data.Frames{p.driftTable(m, fds)}, notices), nil
	case m == DriftLag && table:
		lags, notices, err := p.driftLags(ctx)
		if err != nil {
			return nil, err
		}
		return withNotices(data.Frames{lagTable(lags)}, notices), nil
	case m == Fairness:
		rows, notices, err := p.fairnessRows(ctx)
		if err != nil {
			return nil, err
		}
		return withNotices(data.Frames{p.fairnessTable(rows)}, notices), nil
	case m == Retrain && table:
		triggers, notices, err := p.retrain(ctx)
		if err != nil {
			return nil, err
		}
		return withNotices(data.Frames{p.retrainTable(triggers)}, notices), nil
	}
	res, notices, err := p.series(ctx)
	if err != nil {
		return nil, err
	}
	return withNotices(res.Frames(q.Format), notices), nil
}

// Compute returns a series metric, for frames or for other queries (SPC) to build on.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	p, err := newPlan(ctx, env, q)
	if err != nil {
		return query.Result{}, err
	}
	if p.opts.metric == Fairness {
		return query.Result{}, fmt.Errorf("model metric fairness is a table of segment rates and cannot be the source of a series; use %s", strings.Join(fairnessMetrics, ", "))
	}
	res, _, err := p.series(ctx)
	return res, err
}

// series computes every series-shaped metric.
func (p *plan) series(ctx context.Context) (query.Result, []string, error) {
	m := p.opts.metric
	switch {
	case isDrift(m):
		fds, notices, err := p.computeDrift(ctx, m, p.opts.threshold)
		if err != nil {
			return query.Result{}, nil, err
		}
		return p.driftResult(m, fds), append(notices, cellNotices(fds)...), nil
	case m == DriftLag:
		lags, notices, err := p.driftLags(ctx)
		return lagResult(lags), notices, err
	case isPerf(m):
		return p.performance(ctx, m)
	case isFairness(m):
		return p.fairnessSeries(ctx, m)
	}
	triggers, notices, err := p.retrain(ctx)
	if err != nil {
		return query.Result{}, nil, err
	}
	return p.retrainResult(triggers), notices, nil
}

// plan holds what every model query needs.
type plan struct {
	env     query.Env
	q       models.Query
	opts    options
	buckets query.Buckets
	// spans are the current windows: one per bucket, or the whole range.
	spans    []span
	spanIdx  map[int64]int
	models   []string
	features []string // filters.feature; nil: every feature with data
	versions []string
	groupBy  []string // model_version when asked (performance and fairness)
}

// span is a current window: a bucket clipped to the range, or the range.
type span struct {
	at       time.Time // bucket start; zero when unbucketed
	from, to int64
}

func newPlan(ctx context.Context, env query.Env, q models.Query) (*plan, error) {
	if env.Now.IsZero() {
		env.Now = time.Now().UTC()
	}
	opts, err := parseOptions(q, env)
	if err != nil {
		return nil, err
	}
	p := &plan{env: env, q: q, opts: opts}
	for _, name := range sortedKeys(q.Filters) {
		if _, ok := dimensions[name]; !ok && len(q.Filters[name]) > 0 {
			return nil, fmt.Errorf("cannot filter on %q; use one of %s", name, strings.Join(dimensions.Names(), ", "))
		}
	}
	p.features = q.Filters["feature"]
	p.versions = q.Filters["model_version"]
	if err := p.checkGroupBy(); err != nil {
		return nil, err
	}
	if p.buckets, err = query.ResolveBuckets(q.Bucket, env); err != nil {
		return nil, err
	}
	if (opts.metric == Retrain || opts.metric == DriftLag) && p.buckets.Width == 0 {
		return nil, fmt.Errorf("%s follows drift bucket by bucket: bucket none gives one window; use auto or a duration such as 1d", opts.metric)
	}
	p.makeSpans()
	if p.models = q.Filters["model"]; len(p.models) == 0 {
		if p.models, err = distinct(ctx, env.Store, ""); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkGroupBy: drift series are per model and feature; performance and fairness
// may add model_version (the segment is model.segment).
func (p *plan) checkGroupBy() error {
	m := p.opts.metric
	for _, g := range p.q.GroupBy {
		switch {
		case g == "model" || (g == "feature" && (isDrift(m) || m == DriftLag)):
			// Always part of the series.
		case g == "model_version" && (isPerf(m) || isFairness(m) || m == Fairness):
			if !slices.Contains(p.groupBy, g) {
				p.groupBy = append(p.groupBy, g)
			}
		case g == "segment":
			return fmt.Errorf("group by segment: name the segment label in model.segment (such as region)")
		default:
			if isDrift(m) || m == DriftLag || m == Retrain {
				return fmt.Errorf("cannot group %s by %q: its series are per model and feature; narrow with filters.model_version instead", m, g)
			}
			return fmt.Errorf("cannot group %s by %q; use model_version (and model.segment for a segment label)", m, g)
		}
	}
	return nil
}

func (p *plan) makeSpans() {
	from, to := p.env.From.UnixMilli(), p.env.To.UnixMilli()
	if p.buckets.Width == 0 {
		p.spans = []span{{from: from, to: to}}
		return
	}
	p.spanIdx = map[int64]int{}
	w := p.buckets.Width.Milliseconds()
	for _, t := range p.buckets.Range(p.env.From, p.env.To) {
		s := t.UnixMilli()
		p.spanIdx[s] = len(p.spans)
		p.spans = append(p.spans, span{at: t, from: max(s, from), to: min(s+w, to)})
	}
}

// spanOf returns the span holding a time, or -1.
func (p *plan) spanOf(at int64) int {
	if p.buckets.Width == 0 {
		if at >= p.spans[0].from && at < p.spans[0].to {
			return 0
		}
		return -1
	}
	i, ok := p.spanIdx[p.buckets.Start(time.UnixMilli(at)).UnixMilli()]
	if !ok {
		return -1
	}
	return i
}

// refGroups pairs each reference window with the spans compared with it: one
// reference for every span, except a rolling reference anchored to each bucket.
func (p *plan) refGroups() []refGroup {
	r := p.opts.ref
	all := make([]int, len(p.spans))
	for i := range all {
		all[i] = i
	}
	from := p.env.From.UnixMilli()
	switch {
	case r.kind == RefRange:
		return []refGroup{{ref: window{from: r.from.UnixMilli(), to: r.to.UnixMilli()}, spans: all}}
	case r.kind == RefSnapshot:
		return []refGroup{{ref: window{snapshot: r.snapshot}, spans: all}}
	case p.buckets.Width == 0 || r.anchor == AnchorRange:
		return []refGroup{{ref: window{from: from - r.window.Milliseconds(), to: from}, spans: all}}
	}
	out := make([]refGroup, len(p.spans))
	for i, sp := range p.spans {
		s := sp.at.UnixMilli()
		out[i] = refGroup{ref: window{from: s - r.window.Milliseconds(), to: s}, spans: []int{i}}
	}
	return out
}

// earliest is where any window of the plan starts (the first reference's start).
func (p *plan) earliest() int64 {
	e := p.env.From.UnixMilli()
	for _, g := range p.refGroups() {
		if g.ref.snapshot == "" {
			e = min(e, g.ref.from)
		}
	}
	return e
}

// featuresOf lists the features to compare: those named, or every feature of the
// model with an observation in any window of the plan.
func (p *plan) featuresOf(ctx context.Context, src source) ([]string, bool, error) {
	if len(p.features) > 0 {
		return p.features, true, nil
	}
	all, err := distinct(ctx, src.st, src.model)
	if err != nil {
		return nil, false, err
	}
	from, to := p.earliest(), p.env.To.UnixMilli()
	var out []string
	for _, f := range all {
		ok, err := src.hasData(ctx, f, from, to)
		if err != nil {
			return nil, false, err
		}
		if ok {
			out = append(out, f)
		}
	}
	return out, false, nil
}

// checkSnapshot refuses a reference snapshot the model does not have.
func (p *plan) checkSnapshot(ctx context.Context, model string) error {
	ok, err := snapshotExists(ctx, p.env.Store, model, p.opts.ref.snapshot)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("model %s has no snapshot %q; GET model/snapshots?model=%s lists its snapshots", model, p.opts.ref.snapshot, model)
	}
	return nil
}

// times returns the span starts of a bucketed plan.
func (p *plan) times() []time.Time {
	if p.buckets.Width == 0 {
		return nil
	}
	out := make([]time.Time, len(p.spans))
	for i, s := range p.spans {
		out[i] = s.at
	}
	return out
}

// withNotices attaches notices to the first frame, where Grafana shows them.
func withNotices(frames data.Frames, notices []string) data.Frames {
	if len(notices) == 0 || len(frames) == 0 {
		return frames
	}
	f := frames[0]
	if f.Meta == nil {
		f.Meta = &data.FrameMeta{}
	}
	for _, n := range notices {
		f.Meta.Notices = append(f.Meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: n})
	}
	return frames
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
