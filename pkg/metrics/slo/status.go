package slo

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// statusStep resolves the breach timeline of the status frames: whole days over
// a week or more (daily rollups), hours over a day or more, else 5 minutes.
// A breaches query with an explicit bucket resolves finer.
func statusStep(span time.Duration) time.Duration {
	switch {
	case span >= 7*24*time.Hour:
		return 24 * time.Hour
	case span >= 24*time.Hour:
		return time.Hour
	}
	return 5 * time.Minute
}

// statusFrames is everything the SLA breach panel draws, from one query: per SLO
// numbers at evalAt (slo_status), burn rate per window with the alert thresholds
// (slo_burn_rates), the budget burn-down of the current window (slo_burndown,
// long), breach events (slo_breaches) and SLA penalties per period (slo_penalties).
func (p *plan) statusFrames(ctx context.Context) (data.Frames, error) {
	for _, d := range p.defs {
		w := sloWindow(d, p.evalAt)
		p.need(w.start, w.end)
	}
	p.needBurns(p.evalAt)
	jobs := p.needPenalties()
	step := statusStep(time.Duration(p.to-p.from) * time.Millisecond)
	if p.q.Bucket != "auto" && p.buckets.Width > 0 {
		step = p.buckets.Width
	}
	ends := p.needBreaches(step)
	burndowns := p.needBurndowns(0)
	if err := p.load(ctx); err != nil {
		return nil, err
	}
	penalties := p.computePenalties(jobs)
	return data.Frames{
		p.statusFrame(penalties),
		p.burnRateFrame(),
		p.burndownTable(burndowns),
		breachFrame(p.findBreaches(ends)),
		penaltyFrame(penalties),
	}, nil
}

func (p *plan) statusFrame(penalties []penaltyRow) *data.Frame {
	n := len(p.defs)
	ids, names, services, teams, windows := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	objective := make([]float64, n)
	compliance, remaining, remTime, totTime, remEvents := make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n)
	burn := make([]*float64, n)
	alerts, periods, currencies := make([]string, n), make([]string, n), make([]string, n)
	levels := make([]float64, n)
	breached := make([]bool, n)
	slaCompliance, penaltyNow, penaltyRange := make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, d := range p.defs {
		s := p.state(d, sloWindow(d, p.evalAt))
		ids[i], names[i], services[i], teams[i], windows[i] = d.ID, d.Name, d.Service, d.Team, d.WindowText()
		objective[i] = d.Objective
		compliance[i] = s.compliance()
		remaining[i], remTime[i], totTime[i], remEvents[i] = ptr(s.budget.Remaining), ptr(s.budget.RemainingTime), ptr(s.budget.TotalTime), ptr(s.budget.RemainingEvents)
		burn[i] = ptr(p.burn(d, time.Hour, p.evalAt))
		alerts[i] = p.alertAt(d, p.evalAt)
		levels[i] = float64(alertLevels[alerts[i]])
		breached[i] = s.breached()
		if d.SLA == nil {
			continue
		}
		currencies[i] = d.SLA.Currency
		total := 0.0
		for _, r := range penalties {
			if r.def != d {
				continue
			}
			total += r.penalty
			if r.start < p.evalAt && p.evalAt <= r.end {
				periods[i], slaCompliance[i], penaltyNow[i] = r.period, r.compliance, ptr(r.penalty)
			}
		}
		penaltyRange[i] = ptr(total)
	}
	return data.NewFrame(FrameStatus,
		data.NewField("slo", nil, ids),
		data.NewField("name", nil, names),
		data.NewField("service", nil, services),
		data.NewField("team", nil, teams),
		withConfig(data.NewField("objective", nil, objective), "Objective", "percent"),
		data.NewField("window", nil, windows),
		withConfig(data.NewField("compliance", nil, compliance), "Compliance", "percentunit"),
		withConfig(data.NewField("budget_remaining", nil, remaining), "Budget remaining", "percentunit"),
		withConfig(data.NewField("budget_remaining_time", nil, remTime), "Budget remaining (time)", "s"),
		withConfig(data.NewField("budget_total_time", nil, totTime), "Budget (time)", "s"),
		withConfig(data.NewField("budget_remaining_events", nil, remEvents), "Budget remaining (events)", "short"),
		withConfig(data.NewField("burn_rate", nil, burn), "Burn rate (1h)", burnUnit),
		data.NewField("alert", nil, alerts),
		withConfig(data.NewField("alert_level", nil, levels), "Alert level", "short"),
		data.NewField("breached", nil, breached),
		data.NewField("sla_period", nil, periods),
		withConfig(data.NewField("sla_compliance", nil, slaCompliance), "SLA period compliance", "percentunit"),
		withConfig(data.NewField("penalty_current", nil, penaltyNow), "Penalty this period", "short"),
		withConfig(data.NewField("penalty_total", nil, penaltyRange), "Penalty in range", "short"),
		data.NewField("currency", nil, currencies),
	)
}

// burnRateFrame: one row per SLO and window, with the workbook thresholds that read the window.
func (p *plan) burnRateFrame() *data.Frame {
	var ids, services, windows []string
	var seconds []float64
	var burn, page, ticket []*float64
	for _, d := range p.defs {
		for _, w := range p.windows {
			ids, services, windows = append(ids, d.ID), append(services, d.Service), append(windows, FormatWindow(w))
			seconds = append(seconds, w.Seconds())
			burn = append(burn, ptr(p.burn(d, w, p.evalAt)))
			pg, tk := thresholdsFor(w)
			page, ticket = append(page, pg), append(ticket, tk)
		}
	}
	if seconds == nil {
		seconds = []float64{}
	}
	return data.NewFrame(FrameBurnRates,
		data.NewField("slo", nil, nonNilStrings(ids)),
		data.NewField("service", nil, nonNilStrings(services)),
		data.NewField("window", nil, nonNilStrings(windows)),
		withConfig(data.NewField("window_seconds", nil, seconds), "Window", "s"),
		withConfig(data.NewField("burn_rate", nil, nonNilFloats(burn)), "Burn rate", burnUnit),
		withConfig(data.NewField("page_threshold", nil, nonNilFloats(page)), "Page above", burnUnit),
		withConfig(data.NewField("ticket_threshold", nil, nonNilFloats(ticket)), "Ticket above", burnUnit),
	)
}
