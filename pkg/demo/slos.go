package demo

import (
	"context"
	"math"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/slo"
)

// sloSpec is one demo SLO: its definition as the SLOs page would send it, and how
// its SLI behaves (counts SLOs only).
type sloSpec struct {
	def string
	// service whose incidents spoil its events, and whose traffic it counts.
	service string
	// traffic replaces the service's peak requests per 5 minutes (0: the service's).
	traffic float64
	// background is the usual bad share, as a fraction of the error budget.
	background float64
	// weight scales an incident's bad ratio (latency SLOs feel slow incidents harder).
	weight float64
}

var sloSpecs = []sloSpec{
	{def: `{"id":"checkout-availability","name":"Checkout availability","service":"checkout","team":"payments",
		"description":"Checkout requests answered without a server error; the contract's monthly SLA",
		"objective":99.9,"calendar":"month",
		"sla":{"period":"month","tiers":[{"below":99.9,"credit":10},{"below":99.5,"credit":25}],
		"contract_value":40000,"currency":"EUR","penalty_per_breach":2000}}`, service: "checkout", background: 0.3, weight: 1},
	{def: `{"id":"payments-availability","name":"Payments API availability","service":"payments","team":"payments",
		"description":"Payment API calls answered without a server error; monthly SLA with the acquiring bank",
		"objective":99.95,"calendar":"month",
		"sla":{"period":"month","tiers":[{"below":99.95,"credit":5},{"below":99.5,"credit":15}],"contract_value":25000,"currency":"EUR"}}`,
		service: "payments", background: 0.25, weight: 1},
	{def: `{"id":"checkout-latency","name":"Checkout latency","service":"checkout","team":"payments",
		"description":"Checkout requests answered within 800 ms","objective":99.5,"window":"28d"}`, service: "checkout", background: 0.3, weight: 2},
	{def: `{"id":"web-availability","name":"Storefront availability","service":"web","team":"storefront",
		"description":"Page requests answered without a server error","objective":99.9,"window":"30d"}`, service: "web", background: 0.3, weight: 0.5},
	{def: `{"id":"search-latency","name":"Search latency","service":"search","team":"storefront",
		"description":"Search requests answered within 300 ms","objective":99.0,"window":"30d"}`, service: "search", background: 0.25, weight: 2.5},
	{def: `{"id":"api-gateway-availability","name":"API gateway availability","service":"api-gateway","team":"platform",
		"description":"Requests the gateway answers without a 5xx of its own","objective":99.95,"window":"30d"}`, service: "api-gateway", background: 0.3, weight: 0.4},
	{def: `{"id":"auth-availability","name":"Login availability (incidents)","service":"auth","team":"platform",
		"description":"Time outside sev1 and sev2 incidents of auth","objective":99.5,"window":"30d","sli":"incidents",
		"incidents":{"severities":["sev1","sev2"],"end":"mitigated"}}`, service: "auth"},
	{def: `{"id":"recommendations-freshness","name":"Recommendations freshness","service":"recommendations","team":"data",
		"description":"Freshness checks finding recommendations updated within the hour","objective":99.0,"window":"7d"}`,
		service: "recommendations", traffic: 60, background: 0.3, weight: 3},
}

// fineSamplesFor is how far back SLI samples are five minutes long (burn-rate
// windows down to 5m read them); older history is sent hourly.
const fineSamplesFor = 14 * day

// slos creates the SLO definitions and sends each counts SLO's good and total
// events: diurnal traffic, a background error rate well inside the budget, and
// the service's incidents spoiling requests while they last. The checkout outage
// breaches checkout's monthly SLA; search's open incident burns search-latency
// fast enough to page.
func (g *gen) slos(ctx context.Context) error {
	g.sliDaily = map[string]map[time.Time][2]float64{}
	byService := map[string][]incident{}
	for _, in := range g.incidentSet {
		byService[in.service] = append(byService[in.service], in)
	}
	fineFrom := g.tl.anchor.Add(-fineSamplesFor).Truncate(time.Hour)
	// One payload for every SLO: each SLI payload folds the samples it wrote into the
	// rollups, and every demo payload carries the same ingested_at (the anchor).
	var recs []record
	for _, spec := range sloSpecs {
		def, err := slo.DecodeDefinition([]byte(spec.def))
		if err != nil {
			return err
		}
		if _, err := slo.CreateDefinition(ctx, g.w.st, def, g.w.now); err != nil {
			return err
		}
		g.w.stored["slo-definitions"]++
		if def.SLI == slo.SourceIncidents {
			continue
		}
		r := g.rng("sli/" + def.ID)
		traffic := spec.traffic
		if traffic == 0 {
			traffic = serviceByName(spec.service).requestsPer5m
		}
		budget := 1 - def.Objective/100
		daily := map[time.Time][2]float64{}
		var hourGood, hourTotal float64
		// Samples start at the first of the month the history starts in, so the first
		// SLA period (a calendar month) is whole: a few days' traffic would make any
		// incident in them breach it, and the story has one breach, the outage.
		first := time.Date(g.tl.start.Year(), g.tl.start.Month(), 1, 0, 0, 0, 0, time.UTC)
		for t := first; !t.Add(5 * time.Minute).After(g.tl.anchor); t = t.Add(5 * time.Minute) {
			total := math.Round(traffic * diurnal(t) * math.Max(0.5, r.normal(1, 0.05)))
			ratio := budget * spec.background * r.between(0.4, 1.6)
			for _, in := range byService[spec.service] {
				ratio += overlap(t, t.Add(5*time.Minute), in.started, in.end(g.tl.anchor)) * in.badRatio * spec.weight
			}
			bad := math.Min(total, math.Round(total*math.Min(ratio, 0.95)))
			good := total - bad
			d := t.Truncate(day)
			c := daily[d]
			daily[d] = [2]float64{c[0] + good, c[1] + total}
			if !t.Before(fineFrom) {
				recs = append(recs, record{"slo": def.ID, "at": ts(t), "duration": "5m", "good": good, "total": total})
				continue
			}
			hourGood, hourTotal = hourGood+good, hourTotal+total
			if t.Add(5 * time.Minute).Truncate(time.Hour).Equal(t.Add(5 * time.Minute)) {
				recs = append(recs, record{"slo": def.ID, "at": ts(t.Add(5 * time.Minute).Add(-time.Hour)), "duration": "1h", "good": hourGood, "total": hourTotal})
				hourGood, hourTotal = 0, 0
			}
		}
		g.sliDaily[def.ID] = daily
	}
	return g.w.ingest(ctx, "sli", recs)
}

// overlap is the share of [a, b) that [from, to) covers.
func overlap(a, b, from, to time.Time) float64 {
	lo, hi := a, b
	if from.After(lo) {
		lo = from
	}
	if to.Before(hi) {
		hi = to
	}
	if !hi.After(lo) {
		return 0
	}
	return float64(hi.Sub(lo)) / float64(b.Sub(a))
}
