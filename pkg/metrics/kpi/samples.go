package kpi

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// sampleGroup is one series of a sample metric: a KPI and the values of the other dimensions.
type sampleGroup struct {
	kpi     string
	dims    []string
	buckets map[int64]*bucketValues
}

// bucketValues are a bucket's samples: all values (or one SQL aggregate) and the latest
// sample time, which picks the definition version the bucket is judged by.
type bucketValues struct {
	values  []float64
	reduced *float64
	lastAt  int64
}

// sampleQuery is a sample metric's resolved group-by and filters.
type sampleQuery struct {
	groupBy      []string // "kpi" first
	labelFilters map[string][]string
	needLabels   bool
}

func (p *plan) sampleQuery() (sampleQuery, error) {
	sq := sampleQuery{groupBy: []string{"kpi"}, labelFilters: map[string][]string{}}
	seen := map[string]bool{"kpi": true}
	for _, g := range p.q.GroupBy {
		if err := checkSampleDimension(p.metric, g); err != nil {
			return sq, err
		}
		if seen[g] {
			if g == "kpi" {
				continue // every KPI series is already labelled by its KPI
			}
			return sq, fmt.Errorf("group by %q given twice", g)
		}
		seen[g] = true
		sq.groupBy = append(sq.groupBy, g)
		sq.needLabels = sq.needLabels || strings.HasPrefix(g, labelPrefix)
	}
	for name, values := range p.q.Filters {
		if err := checkSampleDimension(p.metric, name); err != nil {
			return sq, err
		}
		if strings.HasPrefix(name, labelPrefix) && len(values) > 0 {
			sq.labelFilters[strings.TrimPrefix(name, labelPrefix)] = values
			sq.needLabels = true
		}
	}
	return sq, nil
}

// samples computes value, attainment, state and cost per bucket and KPI.
func (p *plan) samples(ctx context.Context) (query.Result, error) {
	stat, err := p.stat()
	if err != nil {
		return query.Result{}, err
	}
	sq, err := p.sampleQuery()
	if err != nil {
		return query.Result{}, err
	}
	need := map[string]string{Attainment: "attainment", State: "threshold state", Cost: "financial impact"}[p.metric]
	ids, err := p.selectKPIs(need)
	if err != nil {
		return query.Result{}, err
	}
	if p.metric == Cost {
		if ids, err = p.pricedKPIs(ids); err != nil {
			return query.Result{}, err
		}
	}
	groups := map[string]*sampleGroup{}
	if len(ids) > 0 {
		// Costs are priced sample by sample (the price may change between versions);
		// other stats SQL can aggregate are pushed down when no label is involved.
		if stat.NeedsValues() || sq.needLabels || p.metric == Cost {
			err = p.scanValues(ctx, ids, sq, groups)
		} else {
			err = p.scanReduced(ctx, ids, stat, sq, groups)
		}
		if err != nil {
			return query.Result{}, err
		}
	}
	// A selected KPI without samples still gets its series (all empty): alert rules see
	// NoData for a KPI that stopped reporting instead of losing the series.
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.kpi] = true
	}
	for _, id := range ids {
		if !seen[id] {
			p.group(groups, id, sq, nil)
		}
	}
	return p.sampleResult(stat, sq, ids, groups), nil
}

// sampleColumns is the one column sample SQL filters on; everything else is grouped in Go.
var sampleColumns = query.Dimensions{"kpi": "kpi"}

// where selects the range's samples of the KPIs.
func (p *plan) where(ids []string) (*query.Where, error) {
	w := &query.Where{}
	w.Add("at >= ?", p.env.From.UnixMilli())
	w.Add("at < ?", p.env.To.UnixMilli())
	return w, w.Filters(sampleColumns, map[string][]string{"kpi": ids})
}

func (p *plan) scanValues(ctx context.Context, ids []string, sq sampleQuery, groups map[string]*sampleGroup) error {
	labelsCol := "''"
	if sq.needLabels {
		labelsCol = "labels"
	}
	w, err := p.where(ids)
	if err != nil {
		return err
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT kpi, at, value, "+labelsCol+" FROM kpi_samples"+w.SQL(), w.Args()...)
	if err != nil {
		return fmt.Errorf("querying KPI samples: %w", err)
	}
	defer rows.Close()
	var kpi, labelsText string
	var at int64
	var value float64
	// A KPI's samples repeat a few label sets: parse each distinct text once.
	parsed := map[string]map[string]string{}
	for rows.Next() {
		if err := rows.Scan(&kpi, &at, &value, &labelsText); err != nil {
			return fmt.Errorf("reading KPI samples: %w", err)
		}
		var labels map[string]string
		if sq.needLabels {
			var ok bool
			if labels, ok = parsed[labelsText]; !ok {
				if err := json.Unmarshal([]byte(labelsText), &labels); err != nil {
					return fmt.Errorf("reading KPI %q sample labels: %w", kpi, err)
				}
				parsed[labelsText] = labels
			}
			if !matchLabels(labels, sq.labelFilters) {
				continue
			}
		}
		if p.metric == Cost {
			price := p.defs[kpi].at(at).CostPerUnit
			if price == nil {
				continue // this version sets no price: the sample has no financial impact
			}
			value *= *price
		}
		b := p.group(groups, kpi, sq, labels).bucket(p.bucketOf(at))
		b.values = append(b.values, value)
		b.lastAt = max(b.lastAt, at)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading KPI samples: %w", err)
	}
	return nil
}

func (p *plan) scanReduced(ctx context.Context, ids []string, stat summary.Stat, sq sampleQuery, groups map[string]*sampleGroup) error {
	agg := map[summary.Stat]string{summary.Count: "COUNT(*)", summary.Mean: "AVG(value)", summary.Min: "MIN(value)",
		summary.Max: "MAX(value)", summary.Sum: "SUM(value)"}[stat]
	bucket, groupBy := "0", " GROUP BY kpi"
	if p.buckets.Width > 0 {
		bucket = p.buckets.SQL("at")
		groupBy = " GROUP BY " + bucket + ", kpi"
	}
	w, err := p.where(ids)
	if err != nil {
		return err
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+bucket+", kpi, "+agg+", MAX(at) FROM kpi_samples"+w.SQL()+groupBy, w.Args()...)
	if err != nil {
		return fmt.Errorf("querying KPI samples: %w", err)
	}
	defer rows.Close()
	var kpi string
	var start, lastAt int64
	var v sql.NullFloat64
	for rows.Next() {
		if err := rows.Scan(&start, &kpi, &v, &lastAt); err != nil {
			return fmt.Errorf("reading KPI samples: %w", err)
		}
		if !v.Valid {
			continue
		}
		x := v.Float64
		b := p.group(groups, kpi, sq, nil).bucket(start)
		b.reduced, b.lastAt = &x, lastAt
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading KPI samples: %w", err)
	}
	return nil
}

func matchLabels(labels map[string]string, filters map[string][]string) bool {
	for name, want := range filters {
		found := false
		for _, w := range want {
			if labels[name] == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// group returns the series a sample belongs to, creating it on first use.
func (p *plan) group(groups map[string]*sampleGroup, kpi string, sq sampleQuery, labels map[string]string) *sampleGroup {
	dims := make([]string, len(sq.groupBy))
	h, defined := p.defs[kpi]
	for i, g := range sq.groupBy {
		switch {
		case g == "kpi":
			dims[i] = kpi
		case strings.HasPrefix(g, labelPrefix):
			dims[i] = labels[strings.TrimPrefix(g, labelPrefix)]
		case defined:
			dims[i] = definitionDimension(h.current(), g)
		}
	}
	key := strings.Join(dims, "\x00")
	g, ok := groups[key]
	if !ok {
		g = &sampleGroup{kpi: kpi, dims: dims, buckets: map[int64]*bucketValues{}}
		groups[key] = g
	}
	return g
}

func (g *sampleGroup) bucket(start int64) *bucketValues {
	b, ok := g.buckets[start]
	if !ok {
		b = &bucketValues{}
		g.buckets[start] = b
	}
	return b
}

func (p *plan) sampleResult(stat summary.Stat, sq sampleQuery, ids []string, groups map[string]*sampleGroup) query.Result {
	res := query.Result{GroupBy: sq.groupBy, Bucketed: p.buckets.Width > 0, FieldName: p.metric}
	switch p.metric {
	case Value:
		res.Name, res.Unit = "KPI value ("+stat.Label()+")", p.commonUnit(ids, func(d Definition) string { return d.Unit })
		if stat == summary.Count {
			res.Name, res.Unit = "KPI samples", "short"
		}
	case Attainment:
		res.Name, res.Unit = "Attainment ("+stat.Label()+")", "percentunit"
	case State:
		res.Name = "Threshold state (" + stat.Label() + ")"
	case Cost:
		res.Name, res.Unit = "Financial impact ("+stat.Label()+")", currencyUnit(p.commonUnit(ids, func(d Definition) string { return d.Currency }))
	}
	starts := p.bucketStarts()
	for _, g := range groups {
		s := query.Series{Group: g.dims, Values: make([]*float64, len(starts))}
		for i, start := range starts {
			if res.Bucketed {
				s.Times = append(s.Times, timeMs(start))
			}
			s.Values[i] = p.judge(g, g.buckets[start], stat)
		}
		res.Series = append(res.Series, s)
	}
	return res
}

// judge turns a bucket's samples into the metric's value: null for a bucket without
// samples (0 for a count), and for attainment and state the bucket's stat judged by the
// definition version in force at the bucket's latest sample.
func (p *plan) judge(g *sampleGroup, b *bucketValues, stat summary.Stat) *float64 {
	var v float64
	switch {
	case b == nil && stat == summary.Count:
		return new(float64)
	case b == nil:
		return nil
	case b.reduced != nil:
		v = *b.reduced
	default:
		var ok bool
		if v, ok = summary.Of(b.values, stat); !ok {
			return nil
		}
	}
	switch p.metric {
	case Attainment:
		a, ok := attainment(p.defs[g.kpi].at(b.lastAt), v)
		if !ok {
			return nil
		}
		v = a
	case State:
		v = float64(state(p.defs[g.kpi].at(b.lastAt), v))
	}
	return &v
}

// pricedKPIs keeps the KPIs that have a cost per unit in some version; a KPI named
// explicitly without one is an error, since its financial impact cannot be computed.
func (p *plan) pricedKPIs(ids []string) ([]string, error) {
	named := len(p.opts.KPIs) > 0 || len(p.q.Filters["kpi"]) > 0
	var out []string
	for _, id := range ids {
		priced := false
		for _, d := range p.defs[id] {
			priced = priced || d.CostPerUnit != nil
		}
		switch {
		case priced:
			out = append(out, id)
		case named:
			return nil, fmt.Errorf("KPI %q has no cost_per_unit in any version; set one to compute its financial impact", id)
		}
	}
	return out, nil
}

func timeMs(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
