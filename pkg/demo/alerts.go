package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"time"
)

// noisyAlert is an alert rule that fires without an incident behind it: what the
// alert quality metrics and the noisiest-alerts table are for.
type noisyAlert struct {
	alertname, service string
	perDay             float64
	lasts              time.Duration
	// flap is the chance it fires again minutes after resolving.
	flap float64
	// tuned is the rate factor once the alert noise reduction kaizen event retuned it.
	tuned float64
}

var noisyAlerts = []noisyAlert{
	{"DiskSpaceLow", "recommendations", 2.5, 12 * time.Minute, 0.5, 0.3},
	{"CPUThrottling", "search", 3, 3 * time.Minute, 0.1, 0.3},
	{"NodeMemoryPressure", "api-gateway", 0.8, 8 * time.Minute, 0.2, 0.35},
	{"PodRestartLoop", "web", 1, 25 * time.Minute, 0.15, 0.7},
	{"QueueBacklogHigh", "payments", 0.6, 30 * time.Minute, 0.1, 0.8},
	{"CertificateExpirySoon", "api-gateway", 1.0 / 28, 3 * day, 0, 1},
}

// repeatInterval is Alertmanager's repeat_interval: a firing alert is notified again this often.
const repeatInterval = 4 * time.Hour

type alertEpisode struct {
	alertname, service, severity string
	starts, ends                 time.Time // ends zero: still firing at the anchor
}

// alertEvents writes every Alertmanager notification: the alert that detected each
// monitored incident (firing at detection, resolved at mitigation) and the noisy
// alerts, whose rate drops when the alert noise reduction event retunes them.
func (g *gen) alertEvents(ctx context.Context) error {
	var eps []alertEpisode
	for _, in := range g.incidentSet {
		if in.alert == "" || in.detected.IsZero() {
			continue
		}
		sev := "warning"
		if in.severity == "sev1" || in.severity == "sev2" {
			sev = "critical"
		}
		eps = append(eps, alertEpisode{alertname: in.alert, service: in.service, severity: sev, starts: in.detected, ends: in.mitigated})
	}
	tuned := g.tl.ago(alertNoiseAgo)
	for _, a := range noisyAlerts {
		r := g.rng("alerts/" + a.alertname)
		t := g.tl.start
		for {
			rate := a.perDay
			if t.After(tuned) {
				rate *= a.tuned
			}
			t = t.Add(r.exp(time.Duration(float64(day) / rate))).Truncate(time.Second)
			if !t.Before(g.tl.anchor) {
				break
			}
			for {
				ep := alertEpisode{alertname: a.alertname, service: a.service, severity: "warning", starts: t}
				ep.ends = t.Add(r.duration(a.lasts, 0.5)).Truncate(time.Second)
				if !ep.ends.Before(g.tl.anchor) {
					ep.ends = time.Time{}
				}
				eps = append(eps, ep)
				if ep.ends.IsZero() || !r.chance(a.flap) {
					if !ep.ends.IsZero() {
						t = ep.ends
					}
					break
				}
				t = ep.ends.Add(r.duration(12*time.Minute, 0.5)).Truncate(time.Second)
				if !t.Before(g.tl.anchor) {
					break
				}
			}
			if t.After(g.tl.anchor) {
				break
			}
		}
	}
	sort.SliceStable(eps, func(i, j int) bool { return eps[i].starts.Before(eps[j].starts) })
	var recs []record
	for _, ep := range eps {
		recs = append(recs, ep.notifications(g.tl.anchor)...)
	}
	g.tell(tuned, "Alert noise reduction: DiskSpaceLow, CPUThrottling and NodeMemoryPressure retuned (alerts per day fall by two thirds)")
	return g.w.ingest(ctx, "alert_events", recs)
}

// notifications are what Alertmanager sends for one episode: firing after the
// group wait, again every repeat interval while it fires, resolved at its end.
func (ep alertEpisode) notifications(anchor time.Time) []record {
	svc := serviceByName(ep.service)
	receiver := "slack-" + svc.team
	if ep.severity == "critical" {
		receiver = "pagerduty-" + svc.team
	}
	base := func(status string, received time.Time) record {
		return record{
			"source": "alertmanager", "fingerprint": fingerprint(ep.alertname, ep.service), "starts_at": ts(ep.starts),
			"received_at": ts(received), "status": status, "alertname": ep.alertname, "service": ep.service,
			"team": svc.team, "severity": ep.severity, "receiver": receiver,
			"group_key": fmt.Sprintf(`{}:{alertname=%q}`, ep.alertname),
			"labels":    map[string]string{"alertname": ep.alertname, "service": ep.service, "severity": ep.severity},
		}
	}
	var out []record
	last := anchor
	if !ep.ends.IsZero() {
		last = ep.ends
	}
	for at := ep.starts.Add(30 * time.Second); at.Before(last) && at.Before(anchor); at = at.Add(repeatInterval) {
		out = append(out, base("firing", at))
	}
	if !ep.ends.IsZero() && ep.ends.Add(30*time.Second).Before(anchor) {
		rec := base("resolved", ep.ends.Add(30*time.Second))
		rec["ends_at"] = ts(ep.ends)
		out = append(out, rec)
	}
	return out
}

// fingerprint stands in for Alertmanager's hash of an alert's label set.
func fingerprint(alertname, service string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(alertname + "\x00" + service))
	return fmt.Sprintf("%016x", h.Sum64())
}
