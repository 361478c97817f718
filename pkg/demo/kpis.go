package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
)

// kpiDefinitions are the demo's KPI catalog, as an import would send them. The web
// p95 target is tightened (version 2) when the image CDN goes live.
func (g *gen) kpiDefinitions() []record {
	return []record{
		{"id": "checkout_availability", "name": "Checkout availability", "unit": "percent", "direction": "higher",
			"target": 99.9, "warning": 99.5, "critical": 99.0, "indicator": "lagging", "owner": "payments",
			"description": "Share of checkout requests answered without a server error, per day"},
		{"id": "checkout_downtime", "name": "Checkout downtime", "unit": "m", "direction": "lower",
			"target": 10, "warning": 30, "critical": 60, "indicator": "lagging", "owner": "payments", "service": "checkout",
			"cost_per_unit": 1200, "currency": "USD", "description": "Minutes of customer impact on checkout per day, priced at lost orders per minute"},
		{"id": "web_p95_ms", "name": "Web page load p95", "unit": "ms", "direction": "lower",
			"target": 1500, "warning": 1800, "critical": 2200, "indicator": "leading", "owner": "storefront",
			"description": "95th percentile of storefront page load time, per day"},
		{"id": "web_p95_ms", "name": "Web page load p95", "unit": "ms", "direction": "lower",
			"target": 1200, "warning": 1500, "critical": 2000, "indicator": "leading", "owner": "storefront",
			"description":    "95th percentile of storefront page load time, per day (target tightened with the image CDN)",
			"effective_from": ts(g.tl.ago(imageCDNAgo))},
		{"id": "support_backlog", "name": "Support ticket backlog", "unit": "short", "direction": "lower",
			"target": 120, "warning": 150, "critical": 190, "indicator": "leading", "owner": "service-desk",
			"cost_per_unit": 4.5, "currency": "USD", "description": "Open support tickets at the end of the day; each costs a day of follow-up"},
		{"id": "nps", "name": "Net promoter score", "unit": "none", "direction": "higher",
			"target": 45, "warning": 40, "critical": 30, "indicator": "lagging", "owner": "product-mgmt",
			"description": "Weekly NPS survey, per region"},
		{"id": "onboarding_days", "name": "Tool onboarding time", "unit": "d", "direction": "lower",
			"target": 5, "warning": 8, "critical": 12, "indicator": "leading", "owner": "platform",
			"description": "Days from a new hire's start to their first deployment (survey stopped: stale)"},
	}
}

// kpis writes the KPI definitions (through the KPI import, which versions them) and
// their samples: checkout availability and downtime measured from the SLI and the
// incidents, web p95 falling with the image CDN and creeping back (the kaizen gain
// lost), the support backlog jumping in the last days (special-cause variation),
// NPS per region, and an onboarding survey that stopped (a stale KPI).
func (g *gen) kpis(ctx context.Context) error {
	body, err := ndjson(g.kpiDefinitions())
	if err != nil {
		return err
	}
	res, err := kpi.Import(ctx, g.w.st, ingest.NDJSON, body, kpi.Writer{By: g.w.by, Now: g.w.now})
	if err != nil {
		return err
	}
	if err := rejected(ingest.KPIDefinitionsKind, res.Result); err != nil {
		return err
	}
	g.w.stored[ingest.KPIDefinitionsKind] += res.Stored

	r := g.rng("kpis")
	cdn := g.tl.ago(imageCDNAgo)
	regress := cdn.Add(g.tl.span(imageCDNRegression))
	shift := g.tl.ago(backlogShiftAgo)
	stale := g.tl.ago(50 * day)
	downtime := map[time.Time]float64{}
	for _, in := range g.incidentSet {
		if in.service == "checkout" && (in.severity == "sev1" || in.severity == "sev2") && !in.mitigated.IsZero() {
			downtime[in.started.Truncate(day)] += math.Floor(in.mitigated.Sub(in.started).Minutes())
		}
	}
	var recs []record
	backlog := 112.0
	first := g.tl.start.Truncate(day).Add(day)
	for d := first; !d.Add(day).After(g.tl.anchor); d = d.Add(day) {
		if c, ok := g.sliDaily["checkout-availability"][d]; ok && c[1] > 0 {
			recs = append(recs, record{"kpi": "checkout_availability", "at": ts(d), "value": round(100*c[0]/c[1], 3)})
		}
		recs = append(recs, record{"kpi": "checkout_downtime", "at": ts(d), "value": downtime[d]})
		p95 := 1650.0
		switch {
		case d.After(regress):
			// It ends above the 1650 ms baseline: the gain is not only gone, it reversed.
			p95 = 1180 + math.Min(1, float64(d.Sub(regress))/float64(g.tl.span(10*day)+day))*620
		case d.After(cdn):
			p95 = 1180
		}
		recs = append(recs, record{"kpi": "web_p95_ms", "at": ts(d), "value": math.Round(r.normal(p95, 55))})
		backlog = 112 + 0.4*(backlog-112) + r.normal(0, 6)
		level := backlog
		if !d.Before(shift) {
			level += 38
		}
		recs = append(recs, record{"kpi": "support_backlog", "at": ts(d), "value": math.Round(level)})
		if d.Weekday() == time.Monday {
			for _, region := range []string{"eu", "us"} {
				recs = append(recs, record{"kpi": "nps", "at": ts(d), "value": round(r.normal(44, 2.5), 1), "labels": map[string]string{"region": region}})
			}
			if d.Before(stale) {
				recs = append(recs, record{"kpi": "onboarding_days", "at": ts(d), "value": round(r.normal(6, 1.2), 1)})
			}
		}
	}
	g.tell(cdn, "Image CDN live: web p95 drops from about 1650 ms to 1180 ms (KPI target tightened to 1200 ms, version 2)")
	g.tell(regress, fmt.Sprintf("Web p95 creeps back up over %d days: the image CDN's gain is lost", int(g.tl.span(10*day)/day)+1))
	g.tell(shift, "Support backlog jumps by about 38 tickets: special-cause variation on its control chart")
	g.tell(stale, "Onboarding survey stops reporting: onboarding_days becomes a stale KPI")
	return g.w.ingest(ctx, "kpi-samples", recs)
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
