package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// incidentCost prices incidents: impact minutes × the service's cost per minute, where
// impact minutes are the incident's customer_impact, else its restore time
// (resolved − started), and the cost per minute is the cost_per_unit of the KPI that
// names the service, in the version in force when the incident started. Incidents of
// services no KPI prices, and open incidents without customer_impact, are left out.
func (p *plan) incidentCost(ctx context.Context) (query.Result, error) {
	stat, err := p.stat()
	if err != nil {
		return query.Result{}, err
	}
	groupCols, err := incidentDimensions.Columns(p.q.GroupBy)
	if err != nil {
		return query.Result{}, fmt.Errorf("%s: %w", IncidentCost, err)
	}
	prices := p.servicePrices()
	res := query.Result{Name: "Incident cost (" + stat.Label() + ")", FieldName: IncidentCost, GroupBy: p.q.GroupBy,
		Bucketed: p.buckets.Width > 0, Unit: currencyUnit(prices.currency)}
	groups := map[string]*sampleGroup{}
	if len(groupCols) == 0 {
		groups[""] = &sampleGroup{dims: []string{}, buckets: map[int64]*bucketValues{}}
	}
	if len(prices.byService) > 0 {
		if err := p.scanIncidents(ctx, groupCols, prices, groups); err != nil {
			return query.Result{}, err
		}
	}
	starts := p.bucketStarts()
	for _, g := range groups {
		s := query.Series{Group: g.dims, Values: make([]*float64, len(starts))}
		for i, start := range starts {
			if res.Bucketed {
				s.Times = append(s.Times, timeMs(start))
			}
			s.Values[i] = incidentBucketValue(g.buckets[start], stat)
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// incidentBucketValue: a bucket without priced incidents cost nothing, so its sum is 0;
// other stats of no incidents are undefined.
func incidentBucketValue(b *bucketValues, stat summary.Stat) *float64 {
	var values []float64
	if b != nil {
		values = b.values
	}
	v, ok := summary.Of(values, stat)
	if !ok {
		if stat != summary.Sum {
			return nil
		}
		v = 0
	}
	return &v
}

func (p *plan) scanIncidents(ctx context.Context, groupCols []string, prices servicePrices, groups map[string]*sampleGroup) error {
	w := &query.Where{}
	w.Add("started_at >= ?", p.env.From.UnixMilli())
	w.Add("started_at < ?", p.env.To.UnixMilli())
	// Only priced services; a service filter of the query narrows them further.
	if err := w.Filters(incidentDimensions, map[string][]string{"service": sortedIDs(prices.byService)}); err != nil {
		return err
	}
	if err := w.Filters(incidentDimensions, p.q.Filters); err != nil {
		return fmt.Errorf("%s: %w", IncidentCost, err)
	}
	cols := append([]string{"service", "started_at", "resolved_at", "customer_impact"}, groupCols...)
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM incidents"+w.SQL(), w.Args()...)
	if err != nil {
		return fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	var service string
	var started int64
	var resolved sql.NullInt64
	var impact sql.NullFloat64
	dims := make([]string, len(groupCols))
	dest := []any{&service, &started, &resolved, &impact}
	for i := range dims {
		dest = append(dest, &dims[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading incidents: %w", err)
		}
		minutes, ok := impactMinutes(started, resolved, impact)
		if !ok {
			continue
		}
		price, ok := prices.at(p.defs, service, started)
		if !ok {
			continue
		}
		key := strings.Join(dims, "\x00")
		g, ok := groups[key]
		if !ok {
			g = &sampleGroup{dims: append([]string(nil), dims...), buckets: map[int64]*bucketValues{}}
			groups[key] = g
		}
		b := g.bucket(p.bucketOf(started))
		b.values = append(b.values, minutes*price)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading incidents: %w", err)
	}
	return nil
}

// impactMinutes is customer_impact when the incident reports it, else its restore time.
func impactMinutes(started int64, resolved sql.NullInt64, impact sql.NullFloat64) (float64, bool) {
	if impact.Valid {
		return impact.Float64, true
	}
	if resolved.Valid {
		return float64(resolved.Int64-started) / 60000, true
	}
	return 0, false
}

// servicePrices lists, per service, the KPIs whose versions ever named it with a price.
type servicePrices struct {
	byService map[string][]string
	// currency is the currency the pricing KPIs share ("" when none or mixed).
	currency string
}

func (p *plan) servicePrices() servicePrices {
	sp := servicePrices{byService: map[string][]string{}}
	first := true
	for _, id := range sortedIDs(p.defs) {
		for _, d := range p.defs[id] {
			if d.Service == "" || d.CostPerUnit == nil {
				continue
			}
			if l := sp.byService[d.Service]; len(l) == 0 || l[len(l)-1] != id {
				sp.byService[d.Service] = append(l, id)
			}
			if first {
				sp.currency, first = d.Currency, false
			} else if sp.currency != d.Currency {
				sp.currency = ""
			}
		}
	}
	return sp
}

// at returns the service's cost per minute at ms: from the first KPI (by id) whose version
// in force then is active and names the service with a price.
func (sp servicePrices) at(defs map[string]history, service string, ms int64) (float64, bool) {
	for _, id := range sp.byService[service] {
		d := defs[id].at(ms)
		if d.Service == service && d.Status == Active && d.CostPerUnit != nil {
			return *d.CostPerUnit, true
		}
	}
	return 0, false
}
