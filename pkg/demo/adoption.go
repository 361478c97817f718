package demo

import (
	"context"
	"fmt"
	"math"
	"time"
)

// tool is one tool whose adoption is measured, with its features.
type tool struct {
	name     string
	features []string
	// launch is how far into the history it became available (0: before it).
	launch float64
	// midpoint is when half of a department's eventual users have started, as a
	// share of the history after launch; missing: the department does not use it.
	midpoint map[string]float64
	// reach is the share of a department's people who ever use it.
	reach map[string]float64
}

var tools = []tool{
	{"grafana", []string{"dashboards", "explore", "alerting"}, 0,
		map[string]float64{"engineering": -0.5, "operations": -0.3, "product": 0.3, "finance": 0.6},
		map[string]float64{"engineering": 0.95, "operations": 0.9, "product": 0.6, "finance": 0.35}},
	{"kaizen-ops", []string{"catalog", "kaizen-board", "slos", "import"}, 0.12,
		map[string]float64{"engineering": 0.2, "operations": 0.35, "product": 0.55, "finance": 0.75},
		map[string]float64{"engineering": 0.85, "operations": 0.8, "product": 0.6, "finance": 0.5}},
	{"pagerduty", []string{"incidents", "schedules"}, 0,
		map[string]float64{"engineering": -1, "operations": -1},
		map[string]float64{"engineering": 0.7, "operations": 0.9}},
}

// adoption writes each team's eligible headcount (platform grows mid-history) and
// the usage of three tools: Grafana and PagerDuty mostly adopted already, Kaizen
// Ops launched early in the history and spreading department by department
// (engineering first, finance last).
func (g *gen) adoption(ctx context.Context) error {
	r := g.rng("adoption")
	span := float64(g.tl.anchor.Sub(g.tl.start))
	grow := g.tl.ago(70 * day)
	var heads, uses []record
	for _, t := range orgTeams {
		heads = append(heads, record{"team": t.name, "department": t.department, "effective_at": g.tl.start.Truncate(day).Format(time.DateOnly), "headcount": float64(t.headcount), "source": "hr"})
		n := t.headcount
		if t.name == "platform" {
			n += 2
			heads = append(heads, record{"team": t.name, "department": t.department, "effective_at": grow.Truncate(day).Format(time.DateOnly), "headcount": float64(n), "source": "hr"})
		}
		for i := 1; i <= n; i++ {
			user := fmt.Sprintf("%s.%02d@example.com", t.name, i)
			joined := g.tl.start
			if t.name == "platform" && i > t.headcount {
				joined = grow
			}
			for _, tk := range tools {
				mid, ok := tk.midpoint[t.department]
				if !ok || !r.chance(tk.reach[t.department]) {
					continue
				}
				// Logistic spread around the department's midpoint.
				u := clamp(r.Float64(), 1e-6, 1-1e-6)
				at := tk.launch + (1-tk.launch)*mid + 0.08*math.Log(u/(1-u))
				from := g.tl.start.Add(time.Duration(math.Max(at, tk.launch) * span))
				if from.Before(joined) {
					from = joined
				}
				active := 0.6
				if t.department == "finance" || t.department == "product" {
					active = 0.35
				}
				for d := from.Truncate(day); d.Before(g.tl.anchor); d = d.Add(day) {
					p := active
					if !workday(d) {
						p = 0.04
					}
					if d.Before(from) || !r.chance(p) {
						continue
					}
					for k := 0; k < 1+r.IntN(3); k++ {
						at := d.Add(8*time.Hour + time.Duration(r.Float64()*float64(10*time.Hour))).Truncate(time.Second)
						if !at.Before(g.tl.anchor) {
							continue
						}
						uses = append(uses, record{"user_id": user, "team": t.name, "department": t.department, "tool": tk.name,
							"feature": tk.features[r.IntN(len(tk.features))], "at": ts(at), "source": "sso"})
					}
				}
			}
		}
	}
	if err := g.w.ingest(ctx, "headcount", heads); err != nil {
		return err
	}
	g.tell(g.tl.start.Add(time.Duration(tools[1].launch*span)), "Kaizen Ops launched: adoption spreads from engineering to operations, product and finance")
	return g.w.ingest(ctx, "usage", uses)
}
