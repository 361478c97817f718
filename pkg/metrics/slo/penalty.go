package slo

import "context"

// penaltyRow is one SLA period's outcome.
type penaltyRow struct {
	def          *Definition
	period       string
	start, end   int64
	complete     bool
	compliance   *float64
	breached     bool
	creditPct    float64
	penalty      float64
	tierBelow    *float64
	contractDue  float64
	breachCharge float64
}

// below reports whether counts fall short of a percentage, comparing bad events
// with the allowed share (as budgets do) so 99.9% of 1000 events is not "below 99.9".
func below(c Counts, percent float64) bool {
	return c.Total > 0 && c.Bad() > budgetFraction(percent)*c.Total
}

// creditFor returns the credit (percent) of the lowest tier the counts fall
// below, and that tier's threshold; 0 and nil when none applies.
func creditFor(tiers []PenaltyTier, c Counts) (float64, *float64) {
	credit := 0.0
	var tier *float64
	for _, t := range tiers { // sorted by Below, highest first
		if below(c, t.Below) {
			credit = t.Credit
			b := t.Below
			tier = &b
		}
	}
	return credit, tier
}

// penalties evaluates every SLA period overlapping the range: compliance over
// the period (to date when it has not ended), the credit tier it falls under and
// what is owed: contract value × credit + the fixed penalty when the period's
// compliance is below the objective. A period still running is judged to date
// (complete false: what it would owe if it ended now). A period without events
// owes nothing.
func (p *plan) penalties(ctx context.Context) ([]penaltyRow, error) {
	jobs := p.needPenalties()
	if err := p.load(ctx); err != nil {
		return nil, err
	}
	return p.computePenalties(jobs), nil
}

// penaltyJob is one SLA period to judge, up to end (the period's end, or evalAt).
type penaltyJob struct {
	d              *Definition
	start, end, pe int64
	complete       bool
}

func (p *plan) needPenalties() []penaltyJob {
	var jobs []penaltyJob
	for _, d := range p.defs {
		if d.SLA == nil {
			continue
		}
		for _, pr := range periodsOverlapping(d.SLA.Period, p.from, p.to) {
			e := min(pr[1], p.evalAt)
			if e <= pr[0] {
				continue // not started yet
			}
			jobs = append(jobs, penaltyJob{d: d, start: pr[0], end: e, pe: pr[1], complete: pr[1] <= p.evalAt})
			p.need(pr[0], e)
		}
	}
	return jobs
}

func (p *plan) computePenalties(jobs []penaltyJob) []penaltyRow {
	out := make([]penaltyRow, 0, len(jobs))
	for _, j := range jobs {
		s := p.state(j.d, calendarWindow(j.d.SLA.Period, j.end))
		row := penaltyRow{def: j.d, period: s.period, start: j.start, end: j.pe, complete: j.complete,
			compliance: s.compliance(), breached: below(s.counts, j.d.Objective)}
		row.creditPct, row.tierBelow = creditFor(j.d.SLA.Tiers, s.counts)
		row.contractDue = j.d.SLA.ContractValue * row.creditPct / 100
		if row.breached {
			row.breachCharge = j.d.SLA.PenaltyPerBreach
		}
		row.penalty = row.contractDue + row.breachCharge
		out = append(out, row)
	}
	return out
}
