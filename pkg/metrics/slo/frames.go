package slo

import (
	"math"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Frame names: the SLA breach panel (and docs/slo.md) recognise frames by them
// and, for other data sources, by their fields.
const (
	FrameStatus    = "slo_status"
	FrameBurnRates = "slo_burn_rates"
	FrameBurndown  = "slo_burndown"
	FrameBreaches  = "slo_breaches"
	FramePenalties = "slo_penalties"
)

func withConfig(f *data.Field, display, unit string) *data.Field {
	f.Config = &data.FieldConfig{DisplayNameFromDS: display, Unit: unit}
	return f
}

func negInf() float64 { return math.Inf(-1) }

func sortedInt64(xs []int64) []int64 {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// Empty columns keep their type: a nil slice would make an untyped field.
func nonNilTimes(v []time.Time) []time.Time {
	if v == nil {
		return []time.Time{}
	}
	return v
}

func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func nonNilFloats(v []*float64) []*float64 {
	if v == nil {
		return []*float64{}
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// breachFrame: one row per breach event.
func breachFrame(events []breachEvent) *data.Frame {
	n := len(events)
	ids, services, periods := make([]string, n), make([]string, n), make([]string, n)
	starts, ends := make([]time.Time, n), make([]*time.Time, n)
	durations, worst, depth, consumed := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	ongoing := make([]bool, n)
	for i, e := range events {
		ids[i], services[i], periods[i] = e.def.ID, e.def.Service, e.period
		starts[i] = time.UnixMilli(e.start).UTC()
		if !e.ongoing {
			ends[i] = ptr(time.UnixMilli(e.end).UTC())
		}
		durations[i] = float64(e.end-e.start) / 1000
		ongoing[i] = e.ongoing
		worst[i], depth[i], consumed[i] = e.worst, e.depth(), e.maxConsumed
	}
	return data.NewFrame(FrameBreaches,
		data.NewField("slo", nil, ids),
		data.NewField("service", nil, services),
		data.NewField("period", nil, periods),
		data.NewField("start", nil, starts),
		data.NewField("end", nil, ends),
		withConfig(data.NewField("duration", nil, durations), "Duration", "s"),
		data.NewField("ongoing", nil, ongoing),
		withConfig(data.NewField("worst_compliance", nil, worst), "Worst compliance", "percentunit"),
		withConfig(data.NewField("depth", nil, depth), "Depth below objective", "percentunit"),
		withConfig(data.NewField("budget_consumed", nil, consumed), "Budget consumed (max)", "percentunit"),
	)
}

// penaltyFrame: one row per SLA period.
func penaltyFrame(rows []penaltyRow) *data.Frame {
	n := len(rows)
	ids, services, periods, currencies := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	starts, ends := make([]time.Time, n), make([]time.Time, n)
	complete, breached := make([]bool, n), make([]bool, n)
	compliance, tiers := make([]*float64, n), make([]*float64, n)
	objective, credit, penalty := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range rows {
		ids[i], services[i], periods[i], currencies[i] = r.def.ID, r.def.Service, r.period, r.def.SLA.Currency
		starts[i], ends[i] = time.UnixMilli(r.start).UTC(), time.UnixMilli(r.end).UTC()
		complete[i], breached[i] = r.complete, r.breached
		compliance[i], tiers[i] = r.compliance, r.tierBelow
		objective[i], credit[i], penalty[i] = r.def.Objective, r.creditPct, r.penalty
	}
	unit := "short"
	if n > 0 && sameCurrency(rows) {
		unit = currencyUnit(rows[0].def.SLA.Currency)
	}
	return data.NewFrame(FramePenalties,
		data.NewField("slo", nil, ids),
		data.NewField("service", nil, services),
		data.NewField("period", nil, periods),
		data.NewField("period_start", nil, starts),
		data.NewField("period_end", nil, ends),
		data.NewField("complete", nil, complete),
		withConfig(data.NewField("compliance", nil, compliance), "Compliance", "percentunit"),
		withConfig(data.NewField("objective", nil, objective), "Objective", "percent"),
		data.NewField("breached", nil, breached),
		withConfig(data.NewField("tier_below", nil, tiers), "Tier (below)", "percent"),
		withConfig(data.NewField("credit", nil, credit), "Credit", "percent"),
		withConfig(data.NewField("penalty", nil, penalty), "Penalty", unit),
		data.NewField("currency", nil, currencies),
	)
}

func sameCurrency(rows []penaltyRow) bool {
	for _, r := range rows {
		if r.def.SLA.Currency != rows[0].def.SLA.Currency {
			return false
		}
	}
	return true
}

// currencyUnit is the Grafana unit of an amount in the currency (ISO 4217).
func currencyUnit(code string) string {
	switch code {
	case "":
		return "short"
	case "USD", "GBP", "EUR", "JPY", "RUB", "UAH", "BRL", "DKK", "ISK", "NOK", "SEK", "CZK", "CHF", "PLN", "ZAR", "INR", "KRW", "IDR", "PHP", "VND", "TRY", "MYR", "XPF", "BGN", "PYG", "UYU", "ILS":
		return "currency" + code
	}
	return "suffix: " + code
}
