package slo

import (
	"context"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestIncidentSLI: an availability SLO whose bad time is the service's incidents,
// over 7 days ending 2024-05-08 (604,800 s), evaluated at that instant (now).
//
//	A: 05-02 10:00-11:00 sev1 (mitigated 10:20)   B: 05-02 10:30-12:00 sev2 (overlaps A)
//	C: 05-07 23:00, still open (sev1)             D: another service; E: before the window
//	all severities, resolved: A∪B = 2 h, C = 1 h → 10,800 s down; compliance 1 − 10,800/604,800
//	sev1 only: A 1 h + C 1 h = 7,200 s
//	mitigated ends: A 20 min ∪ B 90 min (no mitigation: resolved) + C 1 h = 10,200 s
//	budget time 0.001 × 604,800 = 604.8 s; remaining = 604.8 − 10,800 = −10,195.2 s
func TestIncidentSLI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		define(t, st, `{"id":"api-avail","service":"api","objective":99.9,"window":"7d","sli":"incidents"}`)
		define(t, st, `{"id":"api-sev1","service":"api","objective":99.9,"window":"7d","sli":"incidents","incidents":{"severities":["sev1"]}}`)
		define(t, st, `{"id":"api-mitigated","service":"api","objective":99.9,"window":"7d","sli":"incidents","incidents":{"end":"mitigated"}}`)
		incidents(t, st, `{"id":"A","service":"api","severity":"sev1","started_at":"2024-05-02T10:00:00Z","mitigated_at":"2024-05-02T10:20:00Z","resolved_at":"2024-05-02T11:00:00Z"}
{"id":"B","service":"api","severity":"sev2","started_at":"2024-05-02T10:30:00Z","resolved_at":"2024-05-02T12:00:00Z"}
{"id":"C","service":"api","severity":"sev1","started_at":"2024-05-07T23:00:00Z"}
{"id":"D","service":"web","severity":"sev1","started_at":"2024-05-03T00:00:00Z","resolved_at":"2024-05-03T05:00:00Z"}
{"id":"E","service":"api","severity":"sev1","started_at":"2024-04-20T00:00:00Z","resolved_at":"2024-04-21T00:00:00Z"}`)
		end := mustTime("2024-05-08T00:00:00Z")
		e := env(st, end.Add(-7*24*time.Hour), end, end)
		get := func(metric, id string) *float64 {
			res, err := Compute(context.Background(), e, sloQuery(metric, "none", nil, nil))
			if err != nil {
				t.Fatal(err)
			}
			return one(t, res, id, "api")
		}
		checkValue(t, "compliance", get(Compliance, "api-avail"), f(1-10_800.0/604_800))
		checkValue(t, "budget total time", get(BudgetTotalTime, "api-avail"), f(604.8))
		checkValue(t, "budget remaining time", get(BudgetRemainingTime, "api-avail"), f(604.8-10_800))
		checkValue(t, "budget remaining events (seconds)", get(BudgetRemainingEvents, "api-avail"), f(604.8-10_800))
		checkValue(t, "sev1 compliance", get(Compliance, "api-sev1"), f(1-7_200.0/604_800))
		checkValue(t, "mitigated compliance", get(Compliance, "api-mitigated"), f(1-10_200.0/604_800))
		// The open incident C fills the last hour: burn 1h = 1 / 0.001 = 1000.
		res, err := Compute(context.Background(), e, sloQuery(BurnRate, "none", map[string][]string{"slo": {"api-avail"}}, nil))
		if err != nil {
			t.Fatal(err)
		}
		checkValue(t, "burn 1h", one(t, res, "api-avail", "api", "1h"), f(1000))
		// 30 minutes later, the clock (not the range end) ends the open incident:
		// a range ending in the future counts no future time.
		later := end.Add(30 * time.Minute)
		res, err = Compute(context.Background(), env(st, end.Add(-7*24*time.Hour), later.Add(time.Hour), later), sloQuery(SLI, "none", map[string][]string{"slo": {"api-avail"}}, nil))
		if err != nil {
			t.Fatal(err)
		}
		// Range [05-01, now=05-08 00:30): 604,800 + 1,800 s elapsed, 10,800 + 1,800 s down.
		checkValue(t, "SLI to now", one(t, res, "api-avail", "api"), f(1-12_600.0/606_600))
	})
}

// TestBreachesRollingWindow: a 99% SLO over a rolling hour, 100 events a
// minute from 00:00 to 03:00, 10 of them bad each minute 01:00-01:09, evaluated
// every minute from 01:00. A window of 60 minutes allows 60 bad events.
//
//	at 01:06 the window [00:06, 01:06) holds 6 bad minutes = 60: not above 60
//	at 01:07 it holds 7 = 70 > 60: breach starts
//	at 02:03 the window [01:03, 02:03) holds 7: still breached; at 02:04 it holds 6: ends
//	duration 01:07 → 02:04 = 3,420 s; worst: all 10 minutes in, 1 − 100/6,000
//	depth = 0.99 − (1 − 100/6,000) = 1/150
func TestBreachesRollingWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		define(t, st, `{"id":"short","service":"api","objective":99,"window":"1h"}`)
		var w sampleWriter
		base := mustTime("2024-05-01T00:00:00Z")
		w.every("short", base, base.Add(time.Hour), time.Minute, "1m", 100, 100)
		w.every("short", base.Add(time.Hour), base.Add(70*time.Minute), time.Minute, "1m", 90, 100)
		w.every("short", base.Add(70*time.Minute), base.Add(3*time.Hour), time.Minute, "1m", 100, 100)
		w.store(t, st)
		from, to := base.Add(time.Hour), base.Add(3*time.Hour)
		frames, err := Frames(context.Background(), env(st, from, to, to), sloQuery(Breaches, "1m", nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		fr := frames[0]
		if fr.Name != FrameBreaches || fr.Rows() != 1 {
			t.Fatalf("frame %q with %d rows, want one breach", fr.Name, fr.Rows())
		}
		r := row(t, fr, 0)
		if got := r["start"].(time.Time); !got.Equal(base.Add(67 * time.Minute)) {
			t.Errorf("start %s, want 01:07", got)
		}
		if got := r["end"].(time.Time); !got.Equal(base.Add(124 * time.Minute)) {
			t.Errorf("end %s, want 02:04", got)
		}
		if r["duration"].(float64) != 3420 || r["ongoing"].(bool) {
			t.Errorf("duration %v ongoing %v", r["duration"], r["ongoing"])
		}
		checkValue(t, "worst compliance", f(r["worst_compliance"].(float64)), f(1-100.0/6000))
		checkValue(t, "depth", f(r["depth"].(float64)), f(1.0/150))
		// 100 bad of 60 allowed at the worst.
		checkValue(t, "max budget consumed", f(r["budget_consumed"].(float64)), f(100.0/60))
		// A range ending inside the breach reports it ongoing, with no end.
		frames, err = Frames(context.Background(), env(st, from, base.Add(90*time.Minute), base.Add(90*time.Minute)), sloQuery(Breaches, "1m", nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		r = row(t, frames[0], 0)
		if !r["ongoing"].(bool) || r["end"] != nil || r["duration"].(float64) != 23*60 {
			t.Errorf("ongoing breach: %v", r)
		}
	})
}

// TestSLAPenalties: a monthly SLA at 99.9% with credits of 10% below 99.9 and
// 25% below 99, a contract of 10,000 EUR a month and 500 EUR per breached month.
// 1,000 events a day.
//
//	gold, April: 45 bad of 30,000 → 99.85%: 10% → 1,000 + 500 = 1,500
//	gold, May to the 11th: clean → 0 (not complete)
//	silver, April: 450 bad of 30,000 → 98.5%: 25% → 2,500 + 500 = 3,000
//	edge, April: exactly 30 bad of 30,000 = 99.9%: not below → 0, not breached
func TestSLAPenalties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		sla := `"sla":{"period":"month","tiers":[{"below":99,"credit":25},{"below":99.9,"credit":10}],"contract_value":10000,"currency":"EUR","penalty_per_breach":500}`
		for _, id := range []string{"gold", "silver", "edge"} {
			define(t, st, `{"id":"`+id+`","service":"`+id+`","objective":99.9,"window":"30d",`+sla+`}`)
		}
		var w sampleWriter
		apr, may11 := mustTime("2024-04-01T00:00:00Z"), mustTime("2024-05-11T00:00:00Z")
		for _, id := range []string{"gold", "silver", "edge"} {
			w.every(id, apr, may11, 24*time.Hour, "1d", 1000, 1000)
		}
		w.add("gold", mustTime("2024-04-10T00:00:00Z"), "1d", 955, 1000)
		w.add("silver", mustTime("2024-04-10T00:00:00Z"), "1d", 550, 1000)
		w.add("edge", mustTime("2024-04-10T00:00:00Z"), "1d", 970, 1000)
		w.store(t, st)
		frames, err := Frames(context.Background(), env(st, apr, may11, may11), sloQuery(Penalty, "none", nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		fr := frames[0]
		if fr.Rows() != 6 {
			t.Fatalf("%d rows, want 2 periods × 3 SLAs", fr.Rows())
		}
		want := map[string]struct {
			penalty  float64
			credit   float64
			breached bool
			complete bool
		}{
			"gold 2024-04": {1500, 10, true, true}, "gold 2024-05": {0, 0, false, false},
			"silver 2024-04": {3000, 25, true, true}, "silver 2024-05": {0, 0, false, false},
			"edge 2024-04": {0, 0, false, true}, "edge 2024-05": {0, 0, false, false},
		}
		for i := 0; i < fr.Rows(); i++ {
			r := row(t, fr, i)
			key := r["slo"].(string) + " " + r["period"].(string)
			wt, ok := want[key]
			if !ok {
				t.Fatalf("unexpected row %v", r)
			}
			if r["penalty"].(float64) != wt.penalty || r["credit"].(float64) != wt.credit || r["breached"].(bool) != wt.breached || r["complete"].(bool) != wt.complete {
				t.Errorf("%s: penalty %v credit %v breached %v complete %v; want %+v", key, r["penalty"], r["credit"], r["breached"], r["complete"], wt)
			}
		}
		if u := fr.Fields[11].Config.Unit; fr.Fields[11].Name != "penalty" || u != "currencyEUR" {
			t.Errorf("penalty field %s unit %q", fr.Fields[11].Name, u)
		}
		// April's breach: with a daily step the budget (0.1% of 30,000 = 30) is
		// spent once April 10 is in: at 04-11 00:00 gold has 45 bad of 10,000 so far,
		// projected 30,000 → consumed 45/30 > 1. The breach lasts to the month's end.
		frames, err = Frames(context.Background(), env(st, apr, may11, may11), sloQuery(Breaches, "1d", map[string][]string{"slo": {"gold"}}, nil))
		if err != nil {
			t.Fatal(err)
		}
		if frames[0].Rows() != 1 {
			t.Fatalf("%d gold breaches, want 1", frames[0].Rows())
		}
		r := row(t, frames[0], 0)
		if !r["start"].(time.Time).Equal(mustTime("2024-04-11T00:00:00Z")) || !r["end"].(time.Time).Equal(mustTime("2024-05-01T00:00:00Z")) || r["period"] != "2024-04" {
			t.Errorf("gold breach %v", r)
		}
	})
}

// TestStatusBundle: the status query returns every frame the panel draws.
func TestStatusBundle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadWorkbook(t, st)
		define(t, st, `{"id":"empty","service":"none","objective":99}`)
		e := env(st, workbookEnd.Add(-7*24*time.Hour), workbookEnd, workbookEnd)
		frames, err := Frames(context.Background(), e, sloQuery(Status, "auto", nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		names := []string{}
		for _, fr := range frames {
			names = append(names, fr.Name)
		}
		if len(frames) != 5 {
			t.Fatalf("frames %v", names)
		}
		status := frameByName(t, frames, FrameStatus)
		if status.Rows() != 3 {
			t.Fatalf("%d status rows", status.Rows())
		}
		byID := map[string]map[string]any{}
		for i := 0; i < status.Rows(); i++ {
			r := row(t, status, i)
			byID[r["slo"].(string)] = r
		}
		wb := byID["wb"]
		checkValue(t, "wb compliance", f(wb["compliance"].(float64)), f(1-8640.0/432e6))
		checkValue(t, "wb budget remaining", f(wb["budget_remaining"].(float64)), f(0.98))
		if wb["burn_rate"].(float64) != 14.4 || wb["alert"] != AlertOK || wb["breached"].(bool) || wb["window"] != "30d" || wb["name"] != "Checkout availability" {
			t.Errorf("wb status %v", wb)
		}
		if byID["wb15"]["alert"] != AlertPage || byID["wb15"]["alert_level"].(float64) != 2 {
			t.Errorf("wb15 status %v", byID["wb15"])
		}
		if byID["empty"]["compliance"] != nil || byID["empty"]["budget_remaining"].(float64) != 1 {
			t.Errorf("empty status %v", byID["empty"])
		}
		burn := frameByName(t, frames, FrameBurnRates)
		if burn.Rows() != 15 {
			t.Fatalf("%d burn-rate rows, want 3 SLOs × 5 windows", burn.Rows())
		}
		for i := 0; i < burn.Rows(); i++ {
			r := row(t, burn, i)
			if r["slo"] == "wb" && r["window"] == "6h" {
				if r["burn_rate"].(float64) != 2.4 || r["page_threshold"].(float64) != 6 || r["ticket_threshold"].(float64) != 1 {
					t.Errorf("wb 6h row %v", r)
				}
			}
		}
		// Burn-down of wb's window: 30 daily points plus the window's ends; it stays
		// at 100% until the last hour and ends at 98%; the ideal line ends at 0.
		bd := frameByName(t, frames, FrameBurndown)
		var last map[string]any
		points := 0
		for i := 0; i < bd.Rows(); i++ {
			r := row(t, bd, i)
			if r["slo"] != "wb" {
				continue
			}
			points++
			if r["time"].(time.Time).Before(workbookEnd.Add(-time.Hour)) && r["budget_remaining"].(float64) != 1 {
				t.Errorf("burn-down before the last hour %v", r)
			}
			last = r
		}
		if points != 31 || !close(last["budget_remaining"].(float64), 0.98) || last["ideal"].(float64) != 0 {
			t.Errorf("burn-down: %d points, last %v", points, last)
		}
	})
}

func TestStatusWithNoSLOs(t *testing.T) {
	st := storetest.OpenSQLite(t)
	at := mustTime("2024-05-01T00:00:00Z")
	frames, err := Frames(context.Background(), env(st, at.Add(-time.Hour), at, at), sloQuery(Status, "auto", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range frames {
		if fr.Rows() != 0 || len(fr.Fields) == 0 {
			t.Errorf("frame %s: %d rows, %d fields", fr.Name, fr.Rows(), len(fr.Fields))
		}
	}
	// A series metric with no SLO keeps its schema (an empty frame), for NoData.
	frames, err = Frames(context.Background(), env(st, at.Add(-time.Hour), at, at), sloQuery(BurnRate, "none", nil, &models.SLOOptions{Windows: []string{"1h"}}))
	if err != nil || len(frames) != 1 || frames[0].Rows() != 0 {
		t.Fatalf("empty burn rate: %v %v", frames, err)
	}
}
