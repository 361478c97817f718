package alertquality

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/metrics/internal/tally"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// detectionCoverage: incidents detected by monitoring or synthetic checks ÷
// incidents whose detection source is known, by start.
func (p *plan) detectionCoverage(ctx context.Context) (query.Result, error) {
	w := &query.Where{}
	w.Add("started_at >= ?", p.env.From.UnixMilli())
	w.Add("started_at < ?", p.env.To.UnixMilli())
	w.Add("detected_by <> ''")
	if err := w.Filters(incidentDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	t := tally.New(p.buckets, p.env.From, p.env.To, p.q.GroupBy)
	if err := p.aggregate(ctx, t, "incidents", "started_at", automatedSQL, "incidents", w); err != nil {
		return query.Result{}, err
	}
	return t.Ratios("Detection coverage (monitoring)", DetectionCoverage), nil
}

// detectionMTTD is the incidents family's MTTD per detection source: one series
// per detected_by value (within any other groups).
func detectionMTTD(ctx context.Context, env query.Env, q models.Query) (query.Result, error) {
	src := q
	src.QueryType, src.Metric = models.QueryTypeIncidents, incidents.MTTD
	if !slices.Contains(q.GroupBy, "detected_by") {
		src.GroupBy = append([]string{"detected_by"}, q.GroupBy...)
	}
	res, err := incidents.Compute(ctx, env, src)
	if err != nil {
		return query.Result{}, err
	}
	res.FieldName = DetectionMTTD
	sort.SliceStable(res.Series, func(i, j int) bool {
		return slices.Compare(res.Series[i].Group, res.Series[j].Group) < 0
	})
	stat := q.Stat
	if stat == "" {
		stat = string(summary.Mean)
	}
	res.Name = "MTTD by detection source (" + stat + ")"
	return res, nil
}

// automatedSQL counts incidents detected by machines (monitoring, synthetic checks)
// and incidents with a known detection source.
const automatedSQL = "COALESCE(SUM(CASE WHEN detected_by IN ('monitoring', 'synthetic') THEN 1 ELSE 0 END), 0), COUNT(*)"

// detectionShare: each detection source's share of the incidents whose source is
// known, by start: one series per detected_by value (within any other groups),
// the values of a bucket adding up to 1. A source seen in no incident of a bucket
// has 0 there; a bucket without incidents has no value.
func (p *plan) detectionShare(ctx context.Context) (query.Result, error) {
	groupBy := slices.DeleteFunc(slices.Clone(p.q.GroupBy), func(g string) bool { return g == "detected_by" })
	inner := *p
	inner.q.GroupBy = append(groupBy, "detected_by")
	cols, err := incidentDimensions.Columns(inner.q.GroupBy)
	if err != nil {
		return query.Result{}, err
	}
	inner.groupCols = cols
	w := &query.Where{}
	w.Add("started_at >= ?", p.env.From.UnixMilli())
	w.Add("started_at < ?", p.env.To.UnixMilli())
	w.Add("detected_by <> ''")
	if err := w.Filters(incidentDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	counts := tally.New(p.buckets, p.env.From, p.env.To, inner.q.GroupBy)
	if err := inner.aggregate(ctx, counts, "incidents", "started_at", "COUNT(*), 0", "incidents", w); err != nil {
		return query.Result{}, err
	}
	// Per (other groups, bucket): the total, then each source's count over it.
	perSource := counts.Counts("", "", "")
	totals := map[string][]float64{}
	for _, s := range perSource.Series {
		key := strings.Join(s.Group[:len(groupBy)], "\x00")
		if totals[key] == nil {
			totals[key] = make([]float64, len(s.Values))
		}
		for i, v := range s.Values {
			totals[key][i] += *v
		}
	}
	t := tally.New(p.buckets, p.env.From, p.env.To, inner.q.GroupBy)
	for _, s := range perSource.Series {
		total := totals[strings.Join(s.Group[:len(groupBy)], "\x00")]
		for i, v := range s.Values {
			t.Add(s.Group, i, *v, total[i])
		}
	}
	res := t.Ratios("Detected by", DetectionShare)
	sort.SliceStable(res.Series, func(i, j int) bool { return slices.Compare(res.Series[i].Group, res.Series[j].Group) < 0 })
	return res, nil
}
