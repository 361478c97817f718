package demo

import (
	"context"
	"fmt"
	"sort"
	"time"
)

type incident struct {
	id, service, team, severity, title, detectedBy, causedBy string
	started, detected, acked, mitigated, resolved            time.Time // zero: not yet
	// badRatio is the share of the service's requests that fail while it lasts.
	badRatio float64
	// alert names the alert that detected it (monitoring and synthetic detection).
	alert string
}

func (in incident) open() bool { return in.resolved.IsZero() }

// end is when the incident stopped hurting: mitigation, else resolution, else the anchor.
func (in incident) end(anchor time.Time) time.Time {
	switch {
	case !in.mitigated.IsZero():
		return in.mitigated
	case !in.resolved.IsZero():
		return in.resolved
	}
	return anchor
}

var severityBad = map[string]float64{"sev1": 0.15, "sev2": 0.05, "sev3": 0.008, "sev4": 0.0015}

// Repair times by severity before the runbook automation kaizen event halves them.
var severityMTTR = map[string]time.Duration{"sev1": 100 * time.Minute, "sev2": 75 * time.Minute, "sev3": 55 * time.Minute, "sev4": 150 * time.Minute}

// incidents generates the background incidents of every service, those the failed
// deployments caused, and the story's two: checkout's payment provider outage (the
// SLA breach) and search's latency incident still open at the anchor (the page on
// the wall display). From the runbook automation event on, repairs take half as long.
func (g *gen) incidents(ctx context.Context) error {
	runbooks := g.tl.ago(runbooksAgo)
	var all []incident
	for _, s := range services {
		r := g.rng("incidents/" + s.name)
		mean := time.Duration(float64(7*day) / s.incidentsPerWeek)
		for t := g.tl.start.Add(r.exp(mean)); t.Before(g.tl.anchor); t = t.Add(r.exp(mean)) {
			sev := []string{"sev1", "sev2", "sev3", "sev4"}[r.pick(0.03, 0.2, 0.47, 0.3)]
			in := incident{service: s.name, team: s.team, severity: sev, title: s.title[r.IntN(len(s.title))]}
			in.detectedBy = []string{"monitoring", "synthetic", "staff", "customer"}[r.pick(0.62, 0.1, 0.12, 0.16)]
			g.life(r, &in, t.Truncate(time.Second), t.After(runbooks))
			all = append(all, in)
		}
	}
	r := g.rng("incidents/deployments")
	for _, d := range g.deploys {
		if !d.causesIncident {
			continue
		}
		in := incident{service: d.service, team: d.team, severity: []string{"sev2", "sev3"}[r.pick(0.4, 0.6)],
			title: serviceByName(d.service).title[0] + " after release " + d.version, causedBy: d.id, detectedBy: "monitoring"}
		start := d.deployed.Add(r.duration(8*time.Minute, 0.5)).Truncate(time.Second)
		g.life(r, &in, start, start.After(runbooks))
		// The incident is resolved when the deployment's damage is repaired.
		if !in.resolved.IsZero() && d.recovered.After(in.acked) {
			in.resolved = d.recovered
			in.mitigated = minTime(in.mitigated, in.resolved)
		}
		if !d.recovered.Before(g.tl.anchor) {
			in.mitigated, in.resolved = time.Time{}, time.Time{}
		}
		all = append(all, in)
	}
	all = append(all, g.scriptedIncidents()...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].started.Before(all[j].started) })
	recs := make([]record, 0, len(all))
	for i := range all {
		in := &all[i]
		in.id = fmt.Sprintf("INC-%d", 1001+i)
		recs = append(recs, in.record())
	}
	g.incidentSet = all
	return g.w.ingest(ctx, "incidents", recs)
}

// life fills an incident's timestamps from its start: detection by source,
// acknowledgement, mitigation and resolution by severity. Times after the anchor
// have not happened: the incident is still open.
func (g *gen) life(r rng, in *incident, start time.Time, automated bool) {
	in.started = start
	ttd := map[string]time.Duration{"monitoring": 4 * time.Minute, "synthetic": 3 * time.Minute, "staff": 22 * time.Minute, "customer": 38 * time.Minute}[in.detectedBy]
	in.detected = start.Add(r.duration(ttd, 0.6)).Truncate(time.Second)
	tta := 3 * time.Minute
	if in.severity == "sev3" || in.severity == "sev4" {
		tta = 9 * time.Minute
	}
	in.acked = in.detected.Add(r.duration(tta, 0.6)).Truncate(time.Second)
	ttr := severityMTTR[in.severity]
	if automated {
		ttr /= 2
	}
	in.resolved = start.Add(r.duration(ttr, 0.55)).Truncate(time.Second)
	if floor := in.acked.Add(5 * time.Minute); in.resolved.Before(floor) {
		in.resolved = floor
	}
	in.mitigated = start.Add(time.Duration(float64(in.resolved.Sub(start)) * r.between(0.45, 0.85))).Truncate(time.Second)
	if in.mitigated.Before(in.acked) {
		in.mitigated = in.acked
	}
	in.badRatio = severityBad[in.severity] * r.between(0.6, 1.4)
	if in.detectedBy == "monitoring" || in.detectedBy == "synthetic" {
		in.alert = "HighErrorRate"
		if in.service == "search" || in.service == "web" {
			in.alert = "HighLatency"
		}
		if in.detectedBy == "synthetic" {
			in.alert = "SyntheticCheckFailed"
		}
	}
	for _, t := range []*time.Time{&in.detected, &in.acked, &in.mitigated, &in.resolved} {
		if !t.Before(g.tl.anchor) {
			*t = time.Time{}
		}
	}
	if in.detected.IsZero() {
		in.acked = time.Time{}
	}
	if in.acked.IsZero() || in.mitigated.IsZero() {
		in.resolved = time.Time{}
	}
}

// scriptedIncidents are the story's incidents, at fixed offsets from the anchor.
func (g *gen) scriptedIncidents() []incident {
	outage := g.tl.ago(outageAgo).Truncate(day).Add(14*time.Hour + 10*time.Minute)
	out := incident{
		service: "checkout", team: "payments", severity: "sev1", title: "Payment provider outage: checkout failing",
		detectedBy: "customer", started: outage, detected: outage.Add(18 * time.Minute), acked: outage.Add(21 * time.Minute),
		mitigated: outage.Add(2*time.Hour + 40*time.Minute), resolved: outage.Add(3*time.Hour + 10*time.Minute), badRatio: 0.38,
	}
	g.tell(outage, "Checkout: payment provider outage, 2h40 of 38% failed requests (checkout-availability's SLA period breached)")
	start := g.tl.anchor.Add(-searchIncidentAgo)
	search := incident{
		service: "search", team: "storefront", severity: "sev2", title: "Search latency degradation: index rebuild saturating nodes",
		detectedBy: "monitoring", alert: "HighLatency", started: start, detected: start.Add(6 * time.Minute), acked: start.Add(10 * time.Minute),
		badRatio: 0.4,
	}
	g.tell(start, "Search: latency incident still open at the anchor (search-latency burning its budget: page)")
	return []incident{out, search}
}

func (in incident) record() record {
	rec := record{
		"source": "pagerduty", "id": in.id, "service": in.service, "team": in.team, "severity": in.severity,
		"title": in.title, "started_at": ts(in.started), "detected_by": in.detectedBy,
		"labels": map[string]string{"region": "eu-west-1"},
	}
	for k, t := range map[string]time.Time{"detected_at": in.detected, "acknowledged_at": in.acked, "mitigated_at": in.mitigated, "resolved_at": in.resolved} {
		if !t.IsZero() {
			rec[k] = ts(t)
		}
	}
	if in.causedBy != "" {
		rec["caused_by_deployment"] = in.causedBy
	}
	// Customer impact minutes: until mitigation for serious incidents, none for
	// minor ones; unknown while a serious one is still being mitigated.
	switch {
	case in.severity != "sev1" && in.severity != "sev2":
		rec["customer_impact"] = 0.0
	case !in.mitigated.IsZero():
		rec["customer_impact"] = float64(int(in.mitigated.Sub(in.started).Minutes()))
	}
	return rec
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
