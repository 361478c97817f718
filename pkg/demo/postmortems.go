package demo

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// postmortems reviews most serious incidents within a few days of resolution (a
// few late, the latest ones not written yet), each with themes from its service's
// usual causes (shared themes within 30 days are repeat incidents) and one to
// three action items, most done by their due date, some late, some still open.
func (g *gen) postmortems(ctx context.Context) error {
	r := g.rng("postmortems")
	var pms, items []record
	n := 0
	for _, in := range g.incidentSet {
		if in.resolved.IsZero() {
			continue
		}
		want := map[string]float64{"sev1": 0.95, "sev2": 0.85, "sev3": 0.25, "sev4": 0.05}[in.severity]
		if !r.chance(want) {
			continue
		}
		delay := r.duration(2*day, 0.5)
		if r.chance(0.12) {
			delay = r.duration(8*day, 0.3) // late: past the 5-day deadline
		}
		created := in.resolved.Add(delay).Truncate(time.Second)
		if !created.Before(g.tl.anchor) {
			continue
		}
		n++
		id := fmt.Sprintf("PM-%d", 100+n)
		svc := serviceByName(in.service)
		themes := []string{svc.themes[r.pick(0.5, 0.3, 0.2)]}
		if r.chance(0.3) {
			themes = append(themes, svc.themes[r.IntN(len(svc.themes))])
		}
		owner := owners[r.IntN(len(owners))]
		pm := record{
			"source": "confluence", "id": id, "incident_source": "pagerduty", "incident_id": in.id,
			"title": "Postmortem: " + in.title, "owner": owner, "team": in.team,
			"created_at": ts(created), "themes": strings.Join(themes, ","),
		}
		if published := created.Add(r.duration(20*time.Hour, 0.6)).Truncate(time.Second); published.Before(g.tl.anchor) && r.chance(0.9) {
			pm["published_at"] = ts(published)
		}
		pms = append(pms, pm)
		for k := 0; k < 1+r.IntN(3); k++ {
			due := created.Add(time.Duration(14+7*r.IntN(3)) * day)
			item := record{
				"source": "confluence", "id": fmt.Sprintf("%s-A%d", id, k+1), "postmortem_id": id,
				"title": actionTitles[r.IntN(len(actionTitles))] + " (" + in.service + ")", "owner": owners[r.IntN(len(owners))],
				"team": in.team, "service": in.service, "created_at": ts(created), "due_at": ts(due),
			}
			var done time.Time
			switch r.pick(0.7, 0.15, 0.15) {
			case 0: // on time
				done = created.Add(time.Duration(float64(due.Sub(created)) * r.between(0.2, 0.95)))
			case 1: // late
				done = due.Add(r.duration(5*day, 0.6))
			}
			if !done.IsZero() && done.Before(g.tl.anchor) {
				item["done_at"] = ts(done)
			}
			items = append(items, item)
		}
	}
	if err := g.w.ingest(ctx, "postmortems", pms); err != nil {
		return err
	}
	return g.w.ingest(ctx, "action_items", items)
}

var actionTitles = []string{
	"Add alert on the failing dependency", "Write the runbook step", "Add a circuit breaker",
	"Load-test the new limits", "Automate the failover", "Add a canary check to the pipeline",
	"Fix the retry storm", "Document the escalation path",
}
