package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/store"
)

// flowStage is a stage an item of a value stream passes, and how long it stays.
type flowStage struct {
	name  string
	stay  time.Duration
	sigma float64
}

type valueStream struct {
	name, def string
	perDay    float64
	prefix    string
	teams     []string
	types     []string
	weights   []float64
	stages    []flowStage
	// blocked is the chance an item waits inside its first active stage (blocked).
	blocked float64
}

// The delivery stream's bottleneck is the QA queue: items wait there longest.
var valueStreams = []valueStream{
	{
		name: "delivery", perDay: 2.6, prefix: "DEL", teams: []string{"payments", "storefront", "platform", "data"},
		types: []string{"feature", "bug", "chore"}, weights: []float64{0.55, 0.3, 0.15}, blocked: 0.2,
		def: `{"description":"Features, bugs and chores, from request to production","stages":[
			{"name":"Backlog","kind":"waiting"},{"name":"Dev","kind":"active","wip_limit":12},
			{"name":"Review queue","kind":"waiting"},{"name":"Review","kind":"active","wip_limit":6},
			{"name":"QA queue","kind":"waiting"},{"name":"QA","kind":"active","wip_limit":4},
			{"name":"Deploy","kind":"active"},{"name":"Done","kind":"done"}]}`,
		stages: []flowStage{
			{"Backlog", 72 * time.Hour, 0.8}, {"Dev", 30 * time.Hour, 0.6}, {"Review queue", 8 * time.Hour, 0.7},
			{"Review", 3 * time.Hour, 0.6}, {"QA queue", 70 * time.Hour, 0.5}, {"QA", 6 * time.Hour, 0.5},
			{"Deploy", 90 * time.Minute, 0.5}, {"Done", 0, 0},
		},
	},
	{
		name: "ops-requests", perDay: 4, prefix: "OPS", teams: []string{"noc", "service-desk"},
		types: []string{"access", "change", "question"}, weights: []float64{0.4, 0.35, 0.25},
		def: `{"description":"Access and change requests to operations","stages":[
			{"name":"Triage","kind":"waiting"},{"name":"Doing","kind":"active","wip_limit":5},{"name":"Done","kind":"done"}]}`,
		stages: []flowStage{{"Triage", 6 * time.Hour, 0.8}, {"Doing", 4 * time.Hour, 0.7}, {"Done", 0, 0}},
	},
}

// flow defines the value streams and sends their work items and stage transitions
// (what a tracker's webhook sends): items arrive on working days and move through
// the stages; those not through by the anchor are still in progress.
func (g *gen) flow(ctx context.Context) error {
	for _, vs := range valueStreams {
		def, err := flow.ParseDefinition(vs.name, strings.NewReader(vs.def))
		if err != nil {
			return err
		}
		if err := g.w.st.WithTx(ctx, func(tx store.Tx) error {
			_, err := flow.SaveDefinition(ctx, tx, g.w.st.Dialect(), def, g.w.now)
			return err
		}); err != nil {
			return fmt.Errorf("value stream %s: %w", vs.name, err)
		}
		g.w.stored["value-streams"]++
	}
	var items, moves []record
	for _, vs := range valueStreams {
		r := g.rng("flow/" + vs.name)
		n := 0
		for t := g.tl.start.Add(r.exp(time.Duration(float64(day) / vs.perDay))); t.Before(g.tl.anchor); t = t.Add(r.exp(time.Duration(float64(day) / vs.perDay))) {
			created := workHours(r, t)
			if !created.Before(g.tl.anchor) {
				break
			}
			n++
			id := fmt.Sprintf("%s-%d", vs.prefix, 1000+n)
			typ := vs.types[r.pick(vs.weights...)]
			items = append(items, record{
				"source": "jira", "id": id, "value_stream": vs.name, "type": typ, "team": vs.teams[r.IntN(len(vs.teams))],
				"title": fmt.Sprintf("%s %s", strings.ToUpper(typ[:1])+typ[1:], id), "created_at": ts(created),
			})
			at, from := created, ""
			for i, s := range vs.stages {
				if !at.Before(g.tl.anchor) {
					break
				}
				mv := record{"source": "jira", "item_id": id, "stage": s.name, "entered_at": ts(at)}
				if from != "" {
					mv["from_stage"] = from
				}
				moves = append(moves, mv)
				from = s.name
				if s.stay == 0 {
					break
				}
				stay := r.duration(s.stay, s.sigma).Truncate(time.Second)
				if i == 1 && r.chance(vs.blocked) {
					// Blocked inside the first active stage: a waiting stay, then work resumes.
					half := (stay / 2).Truncate(time.Second)
					blockedAt := at.Add(half)
					resume := blockedAt.Add(r.duration(12*time.Hour, 0.6)).Truncate(time.Second)
					if blockedAt.Before(g.tl.anchor) {
						moves = append(moves, record{"source": "jira", "item_id": id, "stage": s.name, "entered_at": ts(blockedAt), "from_stage": s.name, "state": "waiting"})
					}
					if resume.Before(g.tl.anchor) {
						moves = append(moves, record{"source": "jira", "item_id": id, "stage": s.name, "entered_at": ts(resume), "from_stage": s.name, "state": "active"})
					}
					stay = resume.Sub(at) + (stay - half)
				}
				at = at.Add(stay)
			}
		}
	}
	if err := g.w.ingest(ctx, "work_items", items); err != nil {
		return err
	}
	return g.w.ingest(ctx, "transitions", moves)
}
