package flow

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the flow metrics.
func Catalog() []catalog.Entry {
	entry := func(metric, name, formula, unit, stat, dir, desc, source string, dims []string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeFlow, Metric: metric, Name: name, Family: "Flow",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc, Dimensions: dims, Source: source}
	}
	items, stages := itemDimensions.Names(), stageDimensions.Names()
	const kanban = "Vacanti, Actionable Agile Metrics for Predictability (2015)"
	const vsm = "Rother & Shook, Learning to See (1999); Martin & Osterling, Value Stream Mapping (2013)"
	return []catalog.Entry{
		entry(LeadTime, "Lead time", "done_at − created_at", "s", "median", "lower",
			"How long a customer waits, from request to delivery. Items completed in the bucket; p85 is the usual service level expectation.", vsm, items),
		entry(CycleTime, "Cycle time", "done_at − first entry into an active stay", "s", "median", "lower",
			"How long work takes once started. Items never active have no cycle time.", kanban, items),
		entry(ProcessTime, "Process time", "Σ active stays of an item", "s", "median", "",
			"Time work was actually being done on an item (stays in active stages, or marked active).", vsm, items),
		entry(WaitTime, "Wait time", "Σ waiting stays of an item", "s", "median", "lower",
			"Time an item sat in queues (waiting stages, blocked, or a done stage it left again).", vsm, items),
		entry(FlowEfficiency, "Flow efficiency", "Σ process time / Σ lead time (with a stat: per-item process / lead)", "percentunit", "", "higher",
			"Share of lead time spent on the work itself. Without a stat it is the ratio of totals over the bucket's items; with one it summarizes the items' own ratios.", "Modig & Åhlström, This is Lean (2012); "+vsm, items),
		entry(Throughput, "Throughput", "count of items with done_at in the bucket", "short", "count", "higher",
			"Items completed per bucket; empty buckets are 0.", kanban, items),
		entry(StageTime, "Stage time", "Σ an item's stays in the stage (part: total | process | wait)", "s", "median", "lower",
			"Per stage, over the completed items that visited it; re-entries add up. Always grouped by stage.", vsm, stages),
		entry(WIP, "Work in progress", "count of stays with entered_at < t ≤ exited_at (or still open) at each bucket end t", "short", "", "lower",
			"Items in each stage at the end of each bucket; defined stages with none read 0.", kanban, stages),
		entry(WIPVsLimit, "WIP vs limit", "WIP / the stage's wip_limit", "percentunit", "", "lower",
			"Above 100% the stage is over its WIP limit. Only stages with a limit; per value stream and stage.", kanban, []string{"stage", "value_stream"}),
		entry(Arrivals, "Arrivals", "count of stays that began in the bucket (cumulative: + WIP at the range start, running total)", "short", "", "",
			"Items entering each stage; with flow.cumulative, the lines of a cumulative flow diagram (arrivals − departures = WIP).", kanban, stages),
		entry(Departures, "Departures", "count of stays that ended in the bucket (cumulative: running total)", "short", "", "",
			"Items leaving each stage, to the next stage or to done.", kanban, stages),
		entry(ValueStream, "Value stream map", "per stage: items, WIP vs limit, process and wait time (mean, median, p85); totals: lead, cycle, process, wait, flow efficiency", "s", "median", "",
			"One stream's stages in order, for the value stream panel. Tables, not series.", vsm, stages),
		entry(Items, "Completed items", "one row per item completed in the range", "s", "", "",
			"Lead, cycle, process and wait time and flow efficiency per item: the points of a cycle-time scatter.", kanban, items),
		entry(Aging, "Aging work in progress", "now − first active stay, per item in progress; compared with the p50/p85/p95 cycle time of items completed in the range", "s", "", "lower",
			"Started, unfinished items, oldest first, with their current stage and how their age ranks against history.", kanban, stages),
		entry(LittlesLaw, "Little's law check", "average WIP L vs throughput λ × mean cycle time W over the range", "short", "", "",
			"L = λW holds for a stable system; a large deviation means WIP is piling up or draining.", "Little, A Proof for the Queuing Formula L = λW (1961); "+kanban, items),
	}
}
