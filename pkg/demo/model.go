package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/model"
)

// The churn model scores this many customers a day.
const predictionsPerDay = 140

// TrainingSnapshot names the churn model's reference snapshot: its first weeks.
const TrainingSnapshot = "training-v3"

var regions = []string{"eu", "us", "apac"}

// model logs the churn model's inputs and predictions every day and the outcomes
// 7 to 21 days later. From the drift date monthly_spend shifts up and the plan mix
// moves (PSI well above 0.2), and churn starts to depend on spend, which the model
// never learnt: accuracy falls. v3 overrates apac customers (a fairness gap) and v4
// halves that bias. A snapshot of the first weeks is the training reference.
func (g *gen) model(ctx context.Context) error {
	r := g.rng("model/churn")
	drift := g.tl.ago(driftAgo)
	v4 := g.tl.ago(modelV4Ago)
	var batches, outcomes []record
	seq := 0
	for d := g.tl.start.Truncate(day).Add(day); d.Before(g.tl.anchor); d = d.Add(day) {
		version := "v3"
		if !d.Before(v4) {
			version = "v4"
		}
		drifted := !d.Before(drift)
		times := map[string][]string{}
		ids := map[string][]string{}
		var tenure, spend, tickets []float64
		var plans []string
		scores := map[string][]float64{}
		classes := map[string][]string{}
		var allIDs, allTimes []string
		for i := 0; i < predictionsPerDay; i++ {
			at := d.Add(time.Duration(i) * day / predictionsPerDay).Truncate(time.Second)
			if !at.Before(g.tl.anchor) {
				break
			}
			seq++
			id := fmt.Sprintf("churn-%d", seq)
			region := regions[r.pick(0.45, 0.4, 0.15)]
			ten := math.Round(clamp(r.lognormal(400, 0.9), 1, 3650))
			sp := r.normal(62, 18)
			planIdx := r.pick(0.45, 0.35, 0.2)
			if drifted {
				sp = r.normal(86, 22)
				planIdx = r.pick(0.3, 0.45, 0.25)
			}
			sp = round(math.Max(5, sp), 2)
			plan := []string{"free", "pro", "team"}[planIdx]
			tk := float64(r.poisson(1.2))
			base := -1.3 + 0.45*tk - 0.0012*ten
			if plan == "free" {
				base += 0.5
			}
			truth := base
			if drifted {
				truth += 0.035 * (sp - 62)
			}
			bias := 0.0
			if region == "apac" {
				bias = 0.6
				if version == "v4" {
					bias = 0.3
				}
			}
			score := round(sigmoid(base+bias), 4)
			class := "stay"
			if score >= 0.5 {
				class = "churn"
			}
			allIDs, allTimes = append(allIDs, id), append(allTimes, ts(at))
			tenure, spend, tickets, plans = append(tenure, ten), append(spend, sp), append(tickets, tk), append(plans, plan)
			times[region] = append(times[region], ts(at))
			ids[region] = append(ids[region], id)
			scores[region] = append(scores[region], score)
			classes[region] = append(classes[region], class)
			outcome := 0.0
			if r.chance(sigmoid(truth)) {
				outcome = 1
			}
			if known := at.Add(time.Duration(r.between(7, 21) * float64(day))).Truncate(time.Second); known.Before(g.tl.anchor) {
				outcomes = append(outcomes, record{"model": "churn", "prediction_id": id, "outcome": outcome, "observed_at": ts(known), "source": "billing"})
			}
		}
		if len(allIDs) == 0 {
			break
		}
		common := func(feature string) record {
			return record{"model": "churn", "model_version": version, "feature": feature, "observed_at": allTimes, "prediction_ids": allIDs, "source": "scorer"}
		}
		for _, f := range []struct {
			name   string
			values []float64
		}{{"tenure_days", tenure}, {"monthly_spend", spend}, {"support_tickets", tickets}} {
			b := common(f.name)
			b["values"] = f.values
			batches = append(batches, b)
		}
		b := common("plan")
		b["categories"] = plans
		batches = append(batches, b)
		for _, region := range regions {
			if len(ids[region]) == 0 {
				continue
			}
			batches = append(batches, record{
				"model": "churn", "model_version": version, "feature": ingest.PredictionFeature, "observed_at": times[region],
				"prediction_ids": ids[region], "categories": classes[region], "scores": scores[region],
				"segment": map[string]string{"region": region}, "source": "scorer",
			})
		}
	}
	if err := g.w.ingest(ctx, ingest.ObservationsBatchKind, batches); err != nil {
		return err
	}
	if err := g.w.ingest(ctx, "outcomes", outcomes); err != nil {
		return err
	}
	g.tell(v4, "Churn model v4 deployed: the apac bias halved")
	g.tell(drift, "Churn model inputs drift: monthly_spend up by a third, more pro plans; accuracy falls as churn starts to follow spend")
	return g.snapshot(ctx)
}

// snapshot freezes the model's first weeks as the drift reference, as POST
// model/snapshots does.
func (g *gen) snapshot(ctx context.Context) error {
	from := g.tl.start.Truncate(day).Add(day)
	body, err := json.Marshal(map[string]any{
		"model": "churn", "name": TrainingSnapshot, "from": ts(from), "to": ts(from.Add(g.tl.span(28 * day))),
		"model_version": "v3", "bins": []int{10}, "description": "Churn model v3: its first four weeks in production",
	})
	if err != nil {
		return err
	}
	spec, err := model.ParseSnapshotRequest(body, g.w.now)
	if err != nil {
		return err
	}
	if _, err := model.CreateSnapshot(ctx, g.w.st, spec, g.w.now, g.w.by); err != nil {
		return fmt.Errorf("snapshot %s: %w", TrainingSnapshot, err)
	}
	g.w.stored["model-snapshots"]++
	return nil
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
