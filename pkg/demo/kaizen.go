package demo

import (
	"context"
	"encoding/json"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
)

// kaizen records the improvement events behind the story, through the kaizen events
// import (each target query is run against the data before it is stored): runbook
// automation (MTTR halves: improved, sustained), alert noise reduction (alerts per
// day fall: improved), the image CDN (web p95 falls, then the gain is lost at its
// reviews), and two events still on the board.
func (g *gen) kaizen(ctx context.Context) error {
	target := func(q string) json.RawMessage { return json.RawMessage(q) }
	window := func(days float64) float64 { return max(7, round(days*g.tl.scale, 0)) }
	events := []record{
		{"id": "kz-runbook-automation", "name": "Runbook automation for incident response", "owner": "sre",
			"description":        "Diagnosis and rollback steps of the top ten incident types scripted and linked from every page.",
			"hypothesis":         "Responders stop looking for the steps: median time to restore falls by at least 30%.",
			"target":             target(`{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d"}`),
			"expected_direction": "lower", "expected_change_pct": 30,
			"proposed_at": ts(g.tl.ago(runbooksAgo + 30*day)), "deployed_at": ts(g.tl.ago(runbooksAgo)),
			"review_days": "30,60,90", "baseline_days": window(30), "after_days": window(30)},
		{"id": "kz-alert-noise", "name": "Alert noise reduction", "owner": "platform",
			"description":        "DiskSpaceLow, CPUThrottling and NodeMemoryPressure retuned after a review of a month of pages.",
			"hypothesis":         "Alerts nobody acts on are most of the volume: alerts per day fall by at least 40%.",
			"target":             target(`{"queryType":"alerts","metric":"alerts","bucket":"1d"}`),
			"expected_direction": "lower", "expected_change_pct": 40,
			"proposed_at": ts(g.tl.ago(alertNoiseAgo + 14*day)), "deployed_at": ts(g.tl.ago(alertNoiseAgo)),
			"review_days": "30,60,90", "baseline_days": window(30), "after_days": window(30)},
		{"id": "kz-image-cdn", "name": "Image CDN for the storefront", "owner": "storefront",
			"description":        "Product images served from a CDN with responsive sizes.",
			"hypothesis":         "Images are most of the page weight: page load p95 falls by at least 20%.",
			"target":             target(`{"queryType":"kpi","metric":"value","bucket":"1d","kpi":{"kpis":["web_p95_ms"]}}`),
			"expected_direction": "lower", "expected_change_pct": 20,
			"proposed_at": ts(g.tl.ago(imageCDNAgo + 21*day)), "deployed_at": ts(g.tl.ago(imageCDNAgo)),
			"review_days": "30,60,90", "baseline_days": window(30), "after_days": window(30)},
		{"id": "kz-postmortem-template", "name": "Postmortem template v2", "owner": "sre", "status": "in-progress",
			"description":        "Shorter template with action items owned and dated before the review closes.",
			"hypothesis":         "Action items get done on time: completion by due date rises above 85%.",
			"target":             target(`{"queryType":"postmortems","metric":"action_completion","bucket":"1w"}`),
			"expected_direction": "higher", "expected_change_pct": 15, "proposed_at": ts(g.tl.ago(20 * day))},
		{"id": "kz-canary-payments", "name": "Canary deployments for payments", "owner": "payments",
			"description":        "New payments releases take 5% of traffic for 30 minutes before the rest.",
			"hypothesis":         "Bad releases are caught on the canary: the change failure rate of payments halves.",
			"target":             target(`{"queryType":"delivery","metric":"change_failure_rate","bucket":"1w","filters":{"team":["payments"]}}`),
			"expected_direction": "lower", "expected_change_pct": 50, "proposed_at": ts(g.tl.ago(5 * day))},
	}
	body, err := ndjson(events)
	if err != nil {
		return err
	}
	e := metrics.Engine()
	deps := kaizen.Deps{Series: e.Series, Catalog: metrics.Catalog}
	res, err := deps.Import(ctx, g.w.st, ingest.NDJSON, body, kaizen.Writer{By: g.w.by, Now: g.w.now})
	if err != nil {
		return err
	}
	if err := rejected(ingest.KaizenEventsKind, res.Result); err != nil {
		return err
	}
	g.w.stored[ingest.KaizenEventsKind] += res.Stored
	g.tell(g.tl.ago(runbooksAgo), "Kaizen event: runbook automation deployed (MTTR halves from here on)")
	return nil
}
