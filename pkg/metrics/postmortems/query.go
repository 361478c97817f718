package postmortems

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/internal/tally"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Register adds the postmortems query type: series for SPC and backtests, frames
// with the repeats table for panels.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypePostmortems, Compute)
	e.Register(models.QueryTypePostmortems, Frames) // replaces the derived handler, keeps the series
}

// Frames runs a postmortems query: the repeats table as its own frame, the rest
// as series.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	if q.Metric == RepeatList {
		p, err := newPlan(env, q)
		if err != nil {
			return nil, err
		}
		reps, err := p.repeats(ctx)
		if err != nil {
			return nil, err
		}
		return data.Frames{repeatFrame(reps)}, nil
	}
	res, err := Compute(ctx, env, q)
	if err != nil {
		return nil, err
	}
	return res.Frames(q.Format), nil
}

// Compute returns a postmortems metric as series.
func Compute(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	p, err := newPlan(env, q)
	if err != nil {
		return query.Result{}, err
	}
	switch p.metric {
	case RepeatList:
		return query.Result{}, fmt.Errorf("metric %s is a table, not a series; use %s for a count", RepeatList, Repeats)
	case Completion:
		return p.completion(ctx)
	case Overdue:
		return p.overdue(ctx)
	case TimeToClose:
		return p.timeToClose(ctx)
	case Repeats:
		reps, err := p.repeats(ctx)
		if err != nil {
			return query.Result{}, err
		}
		t := p.tally()
		for _, r := range reps {
			i, _ := t.Index(r.started)
			t.Add(r.group, i, 1, 0)
		}
		return t.Counts(fmt.Sprintf("Repeat incidents (≤ %s)", days2text(p.opts.repeat)), Repeats, "short"), nil
	}
	return p.coverage(ctx)
}

// plan holds what every postmortems query needs.
type plan struct {
	env       query.Env
	q         models.Query
	metric    string
	opts      options
	buckets   query.Buckets
	groupCols []string
	stat      summary.Stat
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
	dims := incidentDimensions
	if isAction(metric) {
		dims = actionDimensions
	}
	groupCols, err := dims.Columns(q.GroupBy)
	if err != nil {
		return nil, err
	}
	p := &plan{env: env, q: q, metric: metric, opts: opts, groupCols: groupCols, stat: summary.Median}
	if metric != RepeatList {
		if p.buckets, err = query.ResolveBuckets(q.Bucket, env); err != nil {
			return nil, err
		}
	}
	// Only the time to close takes a stat; counts and ratios ignore the one the
	// editor keeps from another metric, as other families do.
	if metric == TimeToClose && q.Stat != "" {
		if p.stat, err = summary.Parse(q.Stat); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *plan) tally() *tally.Tally {
	return tally.New(p.buckets, p.env.From, p.env.To, p.q.GroupBy)
}

// now is the query's clock: what is due is due by now.
func (p *plan) now() time.Time {
	if p.env.Now.IsZero() {
		return time.Now()
	}
	return p.env.Now
}

// days2text reads a window in days ("5d", "0.5d").
func days2text(d time.Duration) string {
	return fmt.Sprintf("%gd", d.Hours()/24)
}
