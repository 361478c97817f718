package alertquality

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/internal/tally"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the alerts query type: series for SPC and backtests, frames with
// the noisy table for panels.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeAlerts, Compute)
	e.Register(models.QueryTypeAlerts, Frames) // replaces the derived handler, keeps the series
}

// Frames runs an alerts query: the noisy table as its own frame, the rest as series.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	if q.Metric == Noisy {
		p, err := newPlan(env, q)
		if err != nil {
			return nil, err
		}
		f, err := p.noisy(ctx)
		if err != nil {
			return nil, err
		}
		return data.Frames{f}, nil
	}
	res, err := Compute(ctx, env, q)
	if err != nil {
		return nil, err
	}
	return res.Frames(q.Format), nil
}

// Compute returns an alerts metric as series.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	p, err := newPlan(env, q)
	if err != nil {
		return query.Result{}, err
	}
	switch p.metric {
	case Noisy:
		return query.Result{}, fmt.Errorf("metric %s is a table, not a series", Noisy)
	case DetectionMTTD:
		return detectionMTTD(ctx, env, q)
	case DetectionCoverage:
		return p.detectionCoverage(ctx)
	case DetectionShare:
		return p.detectionShare(ctx)
	case Notifications:
		return p.notifications(ctx)
	}
	return p.episodeMetric(ctx)
}

// plan holds what every alerts query needs.
type plan struct {
	env       query.Env
	q         models.Query
	metric    string
	opts      options
	buckets   query.Buckets
	groupCols []string
}

func newPlan(env query.Env, q models.Query) (*plan, error) {
	metric, err := metricOf(q.Metric)
	if err != nil {
		return nil, err
	}
	opts, err := parseOptions(q)
	if err != nil {
		return nil, err
	}
	dims := alertDimensions
	if isDetection(metric) {
		dims = incidentDimensions
	}
	groupCols, err := dims.Columns(q.GroupBy)
	if err != nil {
		return nil, err
	}
	p := &plan{env: env, q: q, metric: metric, opts: opts, groupCols: groupCols}
	if metric != Noisy {
		if p.buckets, err = opts.buckets(q.Bucket, env); err != nil {
			return nil, err
		}
	}
	// Only detection_mttd takes a stat (the incidents family checks it); counts and
	// ratios ignore the one the editor keeps from another metric, as other families do.
	return p, nil
}

// episodes loads and classifies the range's alerts.
func (p *plan) episodes(ctx context.Context) ([]*episode, error) {
	eps, err := p.loadEpisodes(ctx)
	if err != nil || len(eps) == 0 {
		return eps, err // no alerts: nothing to link to incidents
	}
	l, err := p.loadLinks(ctx)
	if err != nil {
		return nil, err
	}
	p.classify(eps, l)
	return eps, nil
}

// episodeMetric counts alerts by their start: alerts, flapping, short-lived, and
// the actionable ratio.
func (p *plan) episodeMetric(ctx context.Context) (query.Result, error) {
	eps, err := p.episodes(ctx)
	if err != nil {
		return query.Result{}, err
	}
	t := tally.New(p.buckets, p.env.From, p.env.To, p.q.GroupBy)
	for _, e := range eps {
		i, ok := t.Index(e.start)
		if !e.inRange || !ok {
			continue
		}
		g := e.group(p.q.GroupBy)
		switch p.metric {
		case Alerts:
			t.Add(g, i, 1, 0)
		case Flapping:
			t.Add(g, i, b2f(e.flapping), 0)
		case ShortLived:
			t.Add(g, i, b2f(e.shortLived), 0)
		case ActionableRatio:
			t.Add(g, i, b2f(e.actionable), 1)
		}
	}
	switch p.metric {
	case Flapping:
		return t.Counts(fmt.Sprintf("Flapping alerts (≤ %s)", p.opts.flap), Flapping, "short"), nil
	case ShortLived:
		return t.Counts(fmt.Sprintf("Short-lived alerts (≤ %s)", p.opts.short), ShortLived, "short"), nil
	case ActionableRatio:
		return t.Ratios("Actionable alerts", ActionableRatio), nil
	}
	return t.Counts("Alerts", Alerts, "short"), nil
}

// notifications counts notifications by arrival, in SQL.
func (p *plan) notifications(ctx context.Context) (query.Result, error) {
	w := &query.Where{}
	w.Add("received_at >= ?", p.env.From.UnixMilli())
	w.Add("received_at < ?", p.env.To.UnixMilli())
	if err := w.Filters(alertDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	t := tally.New(p.buckets, p.env.From, p.env.To, p.q.GroupBy)
	if err := p.aggregate(ctx, t, "alert notifications", "received_at", "COUNT(*), 0", "alert_events", w); err != nil {
		return query.Result{}, err
	}
	return t.Counts("Alert notifications", Notifications, "short"), nil
}

// aggregate runs SELECT bucket, groups..., <aggs> FROM table WHERE ... GROUP BY
// and adds each row's two aggregates to the tally as numerator and denominator.
func (p *plan) aggregate(ctx context.Context, t *tally.Tally, what, timeCol, aggs, table string, w *query.Where) error {
	bucket, keys := "0", p.groupCols
	if p.buckets.Width > 0 {
		bucket = p.buckets.SQL(timeCol)
		keys = append([]string{bucket}, p.groupCols...)
	}
	groupBy := ""
	if len(keys) > 0 {
		groupBy = " GROUP BY " + strings.Join(keys, ", ")
	}
	sel := strings.Join(append([]string{bucket}, p.groupCols...), ", ")
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+sel+", "+aggs+" FROM "+table+w.SQL()+groupBy, w.Args()...)
	if err != nil {
		return fmt.Errorf("querying %s: %w", what, err)
	}
	defer rows.Close()
	group := make([]string, len(p.groupCols))
	var start int64
	var num, den float64
	dest := []any{&start}
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &num, &den)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
		t.Add(group, t.Bucket(start), num, den)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
