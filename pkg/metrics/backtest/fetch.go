package backtest

import (
	"context"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// fetch runs the source over the range. A backtest wants every evaluation (a year
// of one-minute buckets is 525,600), more buckets than one query may produce
// (query.DefaultMaxBuckets), so a fixed-width source is run over consecutive
// windows of at most that many buckets, cut at bucket boundaries, and each
// series' windows are joined.
func fetch(ctx context.Context, series query.SeriesFunc, env query.Env, src models.Query) (query.Result, query.Buckets, error) {
	setting := strings.TrimSpace(src.Bucket)
	if setting == "auto" {
		b, err := query.ResolveBuckets(setting, env)
		if err != nil {
			return query.Result{}, b, err
		}
		res, err := series(ctx, env, src)
		return res, b, err
	}
	width, err := query.ParseDuration(setting)
	if err != nil {
		return query.Result{}, query.Buckets{}, err
	}
	// The source's own bucket alignment (epoch, or Mondays for weeks), from a
	// range of one bucket.
	probe := env
	probe.To = env.From.Add(width)
	b, err := query.ResolveBuckets(setting, probe)
	if err != nil {
		return query.Result{}, b, err
	}
	span := time.Duration(query.DefaultMaxBuckets) * b.Width
	var out query.Result
	index := map[string]int{}
	for first, start := true, b.Start(env.From); start.Before(env.To); first, start = false, start.Add(span) {
		w := env
		w.From, w.To = maxTime(env.From, start), minTime(env.To, start.Add(span))
		res, err := series(ctx, w, src)
		if err != nil {
			return query.Result{}, b, err
		}
		if first {
			out = query.Result{Name: res.Name, FieldName: res.FieldName, Unit: res.Unit, Decimals: res.Decimals,
				GroupBy: res.GroupBy, Bucketed: res.Bucketed}
		}
		for _, s := range res.Series {
			key := strings.Join(s.Group, "\x00")
			i, ok := index[key]
			if !ok {
				i = len(out.Series)
				index[key] = i
				out.Series = append(out.Series, query.Series{Group: s.Group})
			}
			out.Series[i].Times = append(out.Series[i].Times, s.Times...)
			out.Series[i].Values = append(out.Series[i].Values, s.Values...)
		}
	}
	return out, b, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
