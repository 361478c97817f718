package demo

import (
	"context"
	"fmt"
	"sort"
	"time"
)

type deployment struct {
	source, id, service, team, env, version, status string
	commit, deployed                                time.Time
	// causesIncident: the deployment broke something an incident was opened for
	// (resolved at recovered).
	causesIncident bool
	recovered      time.Time
}

// Failure modes of a failed production deployment.
const (
	modeRolledBack = iota
	modeFailed
	modeIncident
)

// deployments generates each team's production deployments at its DORA profile:
// regular spacing with jitter (so a team's band holds over any quarter), failures
// spread evenly by an error-diffusion counter (so the change failure rate is the
// profile's, not a coin's luck), each failure followed by its recovery: a fix or
// rollback deployment, or an incident's resolution. Every production deployment
// is preceded by its staging deployment.
func (g *gen) deployments(ctx context.Context) error {
	var all []deployment
	for _, p := range doraProfiles {
		r := g.rng("deployments/" + p.team)
		svcs := teamServices(p.team)
		gap := time.Duration(float64(day) * float64(len(svcs)) / p.perDay)
		slow := p.perDay < 0.2 // weekly or rarer: fixes and rollbacks only, no incident-only failures
		for _, svc := range svcs {
			acc := r.Float64()
			minor := 10 + r.IntN(20)
			t := g.tl.start.Add(time.Duration(r.Float64() * float64(gap)))
			for t.Before(g.tl.anchor) {
				t = workHours(r, t)
				if !t.Before(g.tl.anchor) {
					break
				}
				minor++
				sigma := 0.6
				if slow {
					sigma = 0.3
				}
				d := deployment{
					source: p.source, service: svc, team: p.team, env: "production", status: "success",
					version: fmt.Sprintf("%d.%d.0", 1+minor/100, minor%100), deployed: t,
				}
				d.commit = t.Add(-r.duration(p.lead, sigma)).Truncate(time.Second)
				acc += p.cfr
				next := t.Add(time.Duration(float64(gap) * r.between(0.6, 1.4)))
				if acc >= 1 {
					acc--
					rec := r.duration(p.recovery, 0.4).Truncate(time.Second)
					mode := r.pick(0.45, 0.25, 0.30)
					if slow && mode == modeIncident {
						mode = modeRolledBack
					}
					d.recovered = t.Add(rec)
					switch mode {
					case modeRolledBack:
						d.status = "rolled_back"
						d.causesIncident = r.chance(0.4)
					case modeFailed:
						d.status = "failed"
					case modeIncident:
						d.causesIncident = true
					}
					if mode != modeIncident && d.recovered.Before(g.tl.anchor) {
						fix := d
						fix.status, fix.causesIncident, fix.recovered = "success", false, time.Time{}
						fix.deployed = d.recovered
						fix.commit = t.Add(rec / 3).Truncate(time.Second)
						minor++
						fix.version = fmt.Sprintf("%d.%d.0", 1+minor/100, minor%100)
						all = append(all, fix)
					}
					if d.recovered.After(next) {
						next = d.recovered.Add(time.Duration(float64(gap) * r.between(0.3, 0.8)))
					}
				}
				all = append(all, d)
				t = next
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].deployed.Equal(all[j].deployed) {
			return all[i].deployed.Before(all[j].deployed)
		}
		return all[i].service < all[j].service
	})
	r := g.rng("deployments/staging")
	var recs []record
	for i := range all {
		d := &all[i]
		d.id = fmt.Sprintf("%s-%s-%d", d.service, "prod", i+1)
		staged := d.deployed.Add(-r.duration(90*time.Minute, 0.5)).Truncate(time.Second)
		if staged.Before(d.commit) {
			staged = d.commit
		}
		stStatus := "success"
		if r.chance(0.04) {
			stStatus = "failed"
		}
		recs = append(recs, d.record(), record{
			"source": d.source, "id": fmt.Sprintf("%s-%s-%d", d.service, "staging", i+1), "service": d.service, "team": d.team,
			"environment": "staging", "version": d.version, "commit_at": ts(d.commit), "deployed_at": ts(staged), "status": stStatus,
		})
	}
	g.deploys = all
	return g.w.ingest(ctx, "deployments", recs)
}

func (d deployment) record() record {
	return record{
		"source": d.source, "id": d.id, "service": d.service, "team": d.team, "environment": d.env,
		"version": d.version, "commit_at": ts(d.commit), "deployed_at": ts(d.deployed), "status": d.status,
		"labels": map[string]string{"repository": "example/" + d.service},
	}
}

// workHours moves t into a working day between 08:00 and 18:00 UTC, as people
// deploy: a time after hours moves to a random hour of the next working day.
func workHours(r rng, t time.Time) time.Time {
	t = t.Truncate(time.Second)
	if workday(t) && t.Hour() >= 8 && t.Hour() < 18 {
		return t
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if t.Hour() >= 18 || !workday(t) {
		d = d.Add(day)
	}
	for !workday(d) {
		d = d.Add(day)
	}
	return d.Add(8*time.Hour + time.Duration(r.Float64()*float64(10*time.Hour))).Truncate(time.Second)
}
