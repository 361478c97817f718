package slo

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
)

// burndownPlan is one SLO's burn-down: the current window, the points drawn and
// the window's state at evalAt (whose events size the budget).
type burndownPlan struct {
	d      *Definition
	window windowOf
	points []int64
	// end is where the ideal line reaches zero: the window end (evalAt) for a
	// rolling window, the period's end for a calendar one.
	end int64
}

// burndownStep: whole days for windows of 10 days and more, so points fall on
// daily rollups; hours for shorter windows, then 5 minutes.
func burndownStep(length time.Duration) time.Duration {
	switch {
	case length >= 10*24*time.Hour:
		return 24 * time.Hour
	case length >= 12*time.Hour:
		return time.Hour
	}
	return 5 * time.Minute
}

// needBurndowns plans the error-budget burn-down of every SLO over its current
// window (the one closing at evalAt): budget remaining at each step since the
// window opened, against the ideal line that spends the budget evenly.
func (p *plan) needBurndowns(step time.Duration) []burndownPlan {
	var out []burndownPlan
	for _, d := range p.defs {
		w := sloWindow(d, p.evalAt)
		st := step
		if st == 0 {
			st = burndownStep(w.length)
		}
		for w.length/st > maxBreachSteps {
			st *= 2
		}
		bp := burndownPlan{d: d, window: w, end: w.end}
		if w.kind != "" {
			bp.end = w.start + w.length.Milliseconds()
		}
		bp.points = append(bp.points, w.start)
		for t := floorTo(w.start, st.Milliseconds()) + st.Milliseconds(); t < bp.end; t += st.Milliseconds() {
			if t < w.end {
				p.need(t)
			}
			bp.points = append(bp.points, t)
		}
		bp.points = append(bp.points, bp.end)
		if bp.end != w.end {
			bp.points = append(bp.points, w.end)
		}
		p.need(w.start, w.end)
		out = append(out, bp)
	}
	return out
}

// burndownRow is one point: nil remaining after evalAt (a period's future).
type burndownRow struct {
	at               int64
	remaining, ideal *float64
}

func (p *plan) burndownRows(bp burndownPlan) []burndownRow {
	now := p.state(bp.d, bp.window)
	basis := now.budget.TotalEvents
	length := float64(bp.end - bp.window.start)
	rows := make([]burndownRow, 0, len(bp.points))
	seen := map[int64]bool{}
	for _, t := range sortedInt64(bp.points) {
		if seen[t] {
			continue
		}
		seen[t] = true
		ideal := 1.0
		if length > 0 {
			ideal = 1 - float64(t-bp.window.start)/length
		}
		row := burndownRow{at: t, ideal: &ideal}
		if t <= bp.window.end {
			bad := p.cum.span(bp.d.ID, bp.window.start, t).Bad()
			var rem float64
			switch {
			case bad == 0:
				rem = 1
			case basis == 0:
				rem = negInf()
			default:
				rem = 1 - bad/basis
			}
			row.remaining = &rem
		}
		rows = append(rows, row)
	}
	return rows
}

func (p *plan) burndownFrames(ctx context.Context, step time.Duration) (data.Frames, error) {
	plans := p.needBurndowns(step)
	if err := p.load(ctx); err != nil {
		return nil, err
	}
	if p.q.Format == models.FormatTable {
		return data.Frames{p.burndownTable(plans)}, nil
	}
	out := data.Frames{}
	for _, bp := range plans {
		rows := p.burndownRows(bp)
		times := make([]time.Time, len(rows))
		rem := make([]*float64, len(rows))
		ideal := make([]*float64, len(rows))
		for i, r := range rows {
			times[i], rem[i], ideal[i] = time.UnixMilli(r.at).UTC(), r.remaining, r.ideal
		}
		labels := data.Labels{"slo": bp.d.ID, "service": bp.d.Service}
		f := data.NewFrame("slo_burndown",
			data.NewField("time", nil, times),
			withConfig(data.NewField("budget_remaining", labels, rem), "Budget remaining · "+bp.d.ID, "percentunit"),
			withConfig(data.NewField("ideal", labels, ideal), "Ideal burn · "+bp.d.ID, "percentunit"))
		f.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		out = append(out, f)
	}
	if len(out) == 0 {
		out = append(out, p.burndownTable(nil))
	}
	return out, nil
}

// burndownTable is the long form: one row per SLO and point.
func (p *plan) burndownTable(plans []burndownPlan) *data.Frame {
	var times []time.Time
	var ids, services []string
	var rem, ideal []*float64
	for _, bp := range plans {
		for _, r := range p.burndownRows(bp) {
			times = append(times, time.UnixMilli(r.at).UTC())
			ids = append(ids, bp.d.ID)
			services = append(services, bp.d.Service)
			rem = append(rem, r.remaining)
			ideal = append(ideal, r.ideal)
		}
	}
	return data.NewFrame("slo_burndown",
		data.NewField("time", nil, nonNilTimes(times)),
		data.NewField("slo", nil, nonNilStrings(ids)),
		data.NewField("service", nil, nonNilStrings(services)),
		withConfig(data.NewField("budget_remaining", nil, nonNilFloats(rem)), "Budget remaining", "percentunit"),
		withConfig(data.NewField("ideal", nil, nonNilFloats(ideal)), "Ideal burn", "percentunit"))
}
