package demo_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/demo"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// storyData is the data set the dashboards are checked on (pkg/testsuite: seed 1,
// three months); KAIZEN_LONG=1 checks the six months docker compose loads too.
func storyData(t *testing.T) []demo.Options {
	months := []int{3}
	if os.Getenv("KAIZEN_LONG") != "" {
		months = append(months, 6)
	}
	var out []demo.Options
	for _, m := range months {
		out = append(out, demo.Options{Seed: 1, Months: m, Anchor: anchor})
	}
	return out
}

// storyCase measures the story through the metric engines, on the stored rows,
// with dates taken from the summary's story (what the dashboards' docs point at),
// never from the generator's constants.
type storyCase struct {
	t   *testing.T
	st  store.Store
	sum demo.Summary
}

func (c storyCase) at(prefix string) time.Time {
	c.t.Helper()
	for _, e := range c.sum.Story {
		if strings.HasPrefix(e.What, prefix) {
			return e.At
		}
	}
	c.t.Fatalf("no story event starting %q in %v", prefix, c.sum.Story)
	return time.Time{}
}

// run sends one query, as the data source would, over [from, to).
func (c storyCase) run(q string, from, to time.Time) data.Frames {
	c.t.Helper()
	mq, err := models.ParseQuery([]byte(q))
	if err != nil {
		c.t.Fatal(err)
	}
	frames, err := metrics.Engine().Run(context.Background(), query.Env{Store: c.st, From: from, To: to, Now: c.sum.Anchor}, mq)
	if err != nil {
		c.t.Fatalf("%s over %s..%s: %v", q, from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return frames
}

// number is the single value of a bucket "none" query without groups.
func (c storyCase) number(q string, from, to time.Time) float64 {
	c.t.Helper()
	frames := c.run(q, from, to)
	if len(frames) != 1 || len(frames[0].Fields) == 0 || frames[0].Rows() != 1 {
		c.t.Fatalf("%s: want one number, got %d frames", q, len(frames))
	}
	v, ok := frames[0].Fields[len(frames[0].Fields)-1].ConcreteAt(0)
	if !ok {
		c.t.Fatalf("%s over %s..%s: no value", q, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return toFloat(c.t, v)
}

// rows reads a table frame into maps by field name.
func rows(t *testing.T, f *data.Frame) []map[string]any {
	t.Helper()
	out := make([]map[string]any, f.Rows())
	for i := range out {
		out[i] = map[string]any{}
		for _, field := range f.Fields {
			if v, ok := field.ConcreteAt(i); ok {
				out[i][field.Name] = v
			}
		}
	}
	return out
}

func toFloat(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case bool:
		if x {
			return 1
		}
		return 0
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return 0
}

func TestStory(t *testing.T) {
	t.Parallel()
	for _, opts := range storyData(t) {
		t.Run(fmt.Sprintf("%d months", opts.Months), func(t *testing.T) {
			st, sum := generate(t, opts)
			c := storyCase{t: t, st: st, sum: sum}
			t.Run("MTTR falls after runbook automation", c.mttrFalls)
			t.Run("DORA bands differ by team", c.doraBands)
			t.Run("the bottleneck stage waits longest", c.bottleneck)
			t.Run("one SLA period is breached", c.slaBreach)
			t.Run("PSI crosses 0.2 at the drift", c.drift)
			t.Run("adoption rises department by department", c.adoption)
			t.Run("the image CDN's gain is lost", c.cdnGainLost)
		})
	}
}

// mttrFalls: the median restore time over the weeks after the kaizen event is
// well below the weeks before, and the kaizen impact query agrees.
func (c storyCase) mttrFalls(t *testing.T) {
	c.t = t
	deployed := c.at("Kaizen event: runbook automation deployed")
	window := c.sum.Anchor.Sub(c.sum.From) / 6 // 15 days of 3 months, 30 of 6
	q := `{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"none"}`
	before := c.number(q, deployed.Add(-window), deployed)
	after := c.number(q, deployed, deployed.Add(window))
	t.Logf("MTTR median %0.f s before, %0.f s after", before, after)
	if after > 0.7*before {
		t.Errorf("MTTR median after the event %.0f s is not clearly below before %.0f s (want at most 70%%)", after, before)
	}
	frames := c.run(`{"queryType":"kaizen","metric":"impact","format":"table","kaizen":{"events":["kz-runbook-automation"]}}`, c.sum.From, c.sum.Anchor)
	r := rows(t, frames[0])
	if len(r) != 1 {
		t.Fatalf("impact rows %v", r)
	}
	if bm, am := toFloat(t, r[0]["before_median"]), toFloat(t, r[0]["after_median"]); am >= 0.7*bm || r[0]["in_better_direction"] != true {
		t.Errorf("kaizen impact: before %v after %v, better direction %v", bm, am, r[0]["in_better_direction"])
	}
	// Six months give each window enough days for a verdict; three squeeze them
	// below the 8 points a verdict needs (the board says so).
	if c.sum.Months >= 6 && r[0]["verdict"] != "improved" {
		t.Errorf("kaizen verdict %v, want improved", r[0]["verdict"])
	}
}

// doraBands: over the last 90 days in production, platform deploys like an elite
// team in every metric, data like a medium or low one, and every metric spreads
// the teams over at least two bands.
func (c storyCase) doraBands(t *testing.T) {
	c.t = t
	from := c.sum.Anchor.AddDate(0, 0, -90)
	bands := map[string]map[string]string{} // metric → team → band
	for _, m := range []string{"deployment_frequency", "lead_time", "change_failure_rate", "recovery_time"} {
		frames := c.run(`{"queryType":"delivery","metric":"`+m+`","bucket":"none","groupBy":["team"],"format":"table","filters":{"environment":["production"]}}`, from, c.sum.Anchor)
		bands[m] = map[string]string{}
		distinct := map[string]bool{}
		for _, r := range rows(t, frames[0]) {
			team, _ := r["team"].(string)
			band, _ := r["band"].(string)
			bands[m][team] = band
			distinct[band] = true
		}
		if len(bands[m]) != 4 || len(distinct) < 2 {
			t.Errorf("%s: bands by team %v: want four teams over two bands at least", m, bands[m])
		}
		if bands[m]["platform"] != "Elite" {
			t.Errorf("%s: platform is %q, want Elite (%v)", m, bands[m]["platform"], bands[m])
		}
		if b := bands[m]["data"]; b != "Medium" && b != "Low" {
			t.Errorf("%s: data is %q, want Medium or Low (%v)", m, b, bands[m])
		}
	}
	t.Logf("bands %v", bands)
}

// bottleneck: on the delivery value stream map, the QA queue has the longest median
// wait of the bottleneck candidates: every stage from the first active one on (the
// queues before it are the backlog, demand not started yet, which the Value stream
// panel does not count either).
func (c storyCase) bottleneck(t *testing.T) {
	c.t = t
	frames := c.run(`{"queryType":"flow","metric":"value_stream","filters":{"value_stream":["delivery"]}}`, c.sum.Anchor.AddDate(0, 0, -30), c.sum.Anchor)
	var stages []map[string]any
	for _, f := range frames {
		if f.Name == "stages" {
			stages = rows(t, f)
		}
	}
	if len(stages) < 4 {
		t.Fatalf("stages %v", stages)
	}
	longest, longestWait, second := "", -1.0, 0.0
	started := false
	for _, s := range stages {
		started = started || s["kind"] == "active"
		if !started {
			continue
		}
		w := toFloat(t, s["wait_median"])
		if w > longestWait {
			second, longest, longestWait = max(second, longestWait), s["stage"].(string), w
		} else {
			second = max(second, w)
		}
	}
	t.Logf("longest wait %s %.0f s, next %.0f s", longest, longestWait, second)
	if longest != "QA queue" {
		t.Errorf("the longest median wait is at %q, want the QA queue (%v)", longest, stages)
	}
	if longestWait < 2*second {
		t.Errorf("the QA queue's wait %.0f s is not clearly the longest (next %.0f s)", longestWait, second)
	}
}

// slaBreach: of every SLA period in the history, exactly one is breached: checkout
// availability's, the period of the payment provider outage.
func (c storyCase) slaBreach(t *testing.T) {
	c.t = t
	outage := c.at("Checkout: payment provider outage")
	frames := c.run(`{"queryType":"slo","metric":"penalty","bucket":"none","format":"table"}`, c.sum.From, c.sum.Anchor)
	var breached []map[string]any
	periods := 0
	for _, r := range rows(t, frames[0]) {
		periods++
		if r["breached"] == true {
			breached = append(breached, r)
		}
	}
	if periods < 4 || len(breached) != 1 {
		t.Fatalf("%d SLA periods, breached %v: want exactly one", periods, breached)
	}
	b := breached[0]
	start, _ := b["period_start"].(time.Time)
	end, _ := b["period_end"].(time.Time)
	if b["slo"] != "checkout-availability" || outage.Before(start) || !outage.Before(end) || toFloat(t, b["penalty"]) <= 0 {
		t.Errorf("breached period %v, want checkout-availability's holding the outage at %s, with a penalty", b, outage)
	}
}

// drift: PSI of monthly_spend against the training snapshot is below 0.1 in the
// week before the drift and above 0.2 after it; tenure_days does not drift.
func (c storyCase) drift(t *testing.T) {
	c.t = t
	drift := c.at("Churn model inputs drift")
	psi := func(feature string, from, to time.Time) float64 {
		return c.number(`{"queryType":"model","metric":"psi","bucket":"none","filters":{"model":["churn"],"feature":["`+feature+`"]},"model":{"reference":{"type":"snapshot","snapshot":"training-v3"}}}`, from, to)
	}
	before := psi("monthly_spend", drift.AddDate(0, 0, -7), drift)
	after := psi("monthly_spend", drift.AddDate(0, 0, 1), c.sum.Anchor)
	t.Logf("PSI of monthly_spend %.3f before, %.3f after", before, after)
	if before >= 0.1 || after <= 0.2 {
		t.Errorf("PSI of monthly_spend %.3f before the drift (want < 0.1), %.3f after (want > 0.2)", before, after)
	}
	if v := psi("tenure_days", drift.AddDate(0, 0, 1), c.sum.Anchor); v >= 0.1 {
		t.Errorf("PSI of tenure_days after the drift %.3f: want < 0.1 (it does not drift)", v)
	}
}

// adoption: Kaizen Ops' adoption rate rises in every department from a quarter of
// the way after launch to the anchor, and engineering leads at the quarter mark.
func (c storyCase) adoption(t *testing.T) {
	c.t = t
	launch := c.at("Kaizen Ops launched")
	quarter := launch.Add(c.sum.Anchor.Sub(launch) / 4)
	rate := func(at time.Time) map[string]float64 {
		frames := c.run(`{"queryType":"adoption","metric":"adoption_rate","bucket":"none","groupBy":["department"],"format":"table","filters":{"tool":["kaizen-ops"]}}`, c.sum.From, at)
		out := map[string]float64{}
		for _, r := range rows(t, frames[0]) {
			out[r["department"].(string)] = toFloat(t, r["adoption_rate"])
		}
		return out
	}
	early, late := rate(quarter), rate(c.sum.Anchor)
	t.Logf("adoption rate at a quarter %v, at the anchor %v", early, late)
	if len(late) != 4 {
		t.Fatalf("departments %v", late)
	}
	for dep, r := range late {
		if r < early[dep]+0.3 {
			t.Errorf("%s: adoption %.2f at the anchor, %.2f at a quarter: want a rise of 30 points at least", dep, r, early[dep])
		}
	}
	for dep, r := range early {
		if dep != "engineering" && r >= early["engineering"] {
			t.Errorf("at a quarter %s (%.2f) is not behind engineering (%.2f)", dep, r, early["engineering"])
		}
	}
}

// cdnGainLost: web p95 creeps back above its baseline after the image CDN, so on
// six months of history (every review date inside it) sustainability says lost,
// which is what the "kaizen gain lost" alert rule fires on.
func (c storyCase) cdnGainLost(t *testing.T) {
	c.t = t
	if c.sum.Months < 6 {
		t.Skip("three months end before the image CDN's later reviews")
	}
	frames := c.run(`{"queryType":"kaizen","metric":"sustainability","format":"table","kaizen":{"events":["kz-image-cdn"]}}`, c.sum.From, c.sum.Anchor)
	r := rows(t, frames[0])
	if len(r) != 1 {
		t.Fatalf("sustainability rows %v", r)
	}
	if r[0]["state"] != "lost" {
		t.Errorf("image CDN sustainability %v, want lost (the story: the gain is lost)", r[0]["state"])
	}
}
