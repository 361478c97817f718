package slo

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// workbookEnd closes the 30-day window [2024-05-01, 2024-05-31) of the workbook case.
var workbookEnd = mustTime("2024-05-31T00:00:00Z")

// loadWorkbook stores the SRE workbook's example: a 99.9% SLO over 30 days whose
// last hour burns at 14.4× (SLO "wb") or 15× (SLO "wb15"). Days 1-29 arrive as
// daily samples, day 30's first 23 hours as hourly ones and the last hour by the
// minute, so every rollup level and the samples are read.
//
//	per minute: 10,000 events          window: 29 × 14.4M + 23 × 600k + 60 × 10k = 432,000,000
//	budget: 0.001 × 432,000,000 = 432,000 bad events
//	wb, last hour: 144 bad a minute    bad: 60 × 144 = 8,640 = 2% of the budget
//	burn 1h = (8,640 / 600,000) / 0.001 = 14.4; 5m = (720 / 50,000) / 0.001 = 14.4
//	burn 6h = 8,640 / 3,600,000 / 0.001 = 2.4; 3d = 8,640 / 43,200,000 / 0.001 = 0.2
func loadWorkbook(t *testing.T, st store.Store) {
	t.Helper()
	define(t, st, `{"id":"wb","name":"Checkout availability","service":"checkout","objective":99.9,"window":"30d"}`)
	define(t, st, `{"id":"wb15","service":"search","objective":99.9}`)
	var w sampleWriter
	start := workbookEnd.Add(-30 * 24 * time.Hour)
	lastHour := workbookEnd.Add(-time.Hour)
	for _, id := range []string{"wb", "wb15"} {
		w.every(id, start, workbookEnd.Add(-24*time.Hour), 24*time.Hour, "1d", 14_400_000, 14_400_000)
		w.every(id, workbookEnd.Add(-24*time.Hour), lastHour, time.Hour, "1h", 600_000, 600_000)
	}
	w.every("wb", lastHour, workbookEnd, time.Minute, "1m", 10_000-144, 10_000)
	w.every("wb15", lastHour, workbookEnd, time.Minute, "1m", 10_000-150, 10_000)
	w.store(t, st)
}

func TestWorkbookBudgetAndBurnRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadWorkbook(t, st)
		// Evaluated at the window's end, and 30 s before it: the windows' edges then
		// fall inside minutes and hours, yet hold the same samples (a sample counts
		// where it starts), so every figure is the same.
		for _, at := range []time.Time{workbookEnd, workbookEnd.Add(-30 * time.Second)} {
			for _, r := range []reader{{}, {noRollups: true}} {
				e := env(st, at.Add(-24*time.Hour), at, at)
				name := at.Format(time.TimeOnly)
				if r.noRollups {
					name += " without rollups"
				}
				t.Run(name, func(t *testing.T) {
					get := func(metric string, group ...string) *float64 {
						res, err := r.compute(context.Background(), e, sloQuery(metric, "none", map[string][]string{"slo": {"wb"}}, nil))
						if err != nil {
							t.Fatal(err)
						}
						return one(t, res, group...)
					}
					// The workbook's claim, exactly: 14.4× for an hour spends 2% of the budget.
					consumed := get(BudgetConsumed, "wb", "checkout")
					if consumed == nil || *consumed != 0.02 {
						t.Errorf("budget consumed = %v, want exactly 0.02", deref(consumed))
					}
					burn, err := r.compute(context.Background(), e, sloQuery(BurnRate, "none", map[string][]string{"slo": {"wb"}}, nil))
					if err != nil {
						t.Fatal(err)
					}
					if v := one(t, burn, "wb", "checkout", "1h"); v == nil || *v != 14.4 {
						t.Errorf("burn 1h = %v, want exactly 14.4", deref(v))
					}
					for window, want := range map[string]float64{"5m": 14.4, "30m": 14.4, "6h": 2.4, "3d": 0.2} {
						checkValue(t, "burn "+window, one(t, burn, "wb", "checkout", window), f(want))
					}
					checkValue(t, "compliance", get(Compliance, "wb", "checkout"), f(1-8640.0/432e6))
					checkValue(t, "budget remaining", get(BudgetRemaining, "wb", "checkout"), f(0.98))
					checkValue(t, "budget total events", get(BudgetTotalEvents, "wb", "checkout"), f(432_000))
					checkValue(t, "budget remaining events", get(BudgetRemainingEvents, "wb", "checkout"), f(432_000-8_640))
					// 0.001 × 30 d = 2,592 s (43.2 min); left: 2,592,000 s × (0.001 − 0.00002) = 2,540.16 s.
					checkValue(t, "budget total time", get(BudgetTotalTime, "wb", "checkout"), f(2592))
					checkValue(t, "budget remaining time", get(BudgetRemainingTime, "wb", "checkout"), f(2540.16))
					// Burning at exactly 14.4 is not above 14.4: no page (6h is 2.4, 3d 0.2: no ticket).
					checkValue(t, "alert state", get(AlertState, "wb", "checkout"), f(0))
				})
			}
		}
		// wb15 burns at 15× over 5m and 1h: page (level 2).
		res, err := Compute(context.Background(), env(st, workbookEnd.Add(-time.Hour), workbookEnd, workbookEnd),
			sloQuery(AlertState, "none", map[string][]string{"service": {"search"}}, nil))
		if err != nil {
			t.Fatal(err)
		}
		checkValue(t, "wb15 alert state", one(t, res, "wb15", "search"), f(2))
	})
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestNoTrafficAndPerfectObjective: a window without events has no SLI and burns
// nothing; an objective of 100% has no budget, so one bad event is a breach.
//
//	quiet (99.9%, no samples): SLI null, compliance null, burn 0, budget remaining 1, ok
//	gap (99%): samples only until 23:00, so the 5m, 30m and 1h windows at 24:00 are empty
//	perfect (100%): 1 bad of 1000 in the last minute →
//	    burn +Inf over every window, consumed +Inf, remaining −Inf, budget 0 events and 0 s,
//	    remaining time = 86,400 s × (0 − 1/1,440,000) = −0.06 s, breached (page)
//	spotless (100%): no bad event → burn 0, remaining 1, remaining time 0
func TestNoTrafficAndPerfectObjective(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		define(t, st, `{"id":"quiet","service":"q","objective":99.9,"window":"1d"}`)
		define(t, st, `{"id":"gap","service":"g","objective":99,"window":"1d"}`)
		define(t, st, `{"id":"perfect","service":"p","objective":100,"window":"1d"}`)
		define(t, st, `{"id":"spotless","service":"s","objective":100,"window":"1d"}`)
		end := mustTime("2024-05-02T00:00:00Z")
		var w sampleWriter
		w.every("gap", end.Add(-24*time.Hour), end.Add(-time.Hour), time.Minute, "1m", 90, 100)
		w.every("perfect", end.Add(-24*time.Hour), end.Add(-time.Minute), time.Minute, "1m", 1000, 1000)
		w.add("perfect", end.Add(-time.Minute), "1m", 999, 1000)
		w.every("spotless", end.Add(-24*time.Hour), end, time.Minute, "1m", 1000, 1000)
		w.store(t, st)
		e := env(st, end.Add(-24*time.Hour), end, end)
		get := func(metric string, group ...string) *float64 {
			res, err := Compute(context.Background(), e, sloQuery(metric, "none", nil, nil))
			if err != nil {
				t.Fatal(err)
			}
			return one(t, res, group...)
		}
		burn := func(id, svc, window string) *float64 {
			res, err := Compute(context.Background(), e, sloQuery(BurnRate, "none", nil, nil))
			if err != nil {
				t.Fatal(err)
			}
			return one(t, res, id, svc, window)
		}
		inf, ninf := math.Inf(1), math.Inf(-1)
		for _, c := range []struct {
			what string
			got  *float64
			want *float64
		}{
			{"quiet SLI", get(SLI, "quiet", "q"), nil},
			{"quiet compliance", get(Compliance, "quiet", "q"), nil},
			{"quiet burn 1h", burn("quiet", "q", "1h"), f(0)},
			{"quiet budget remaining", get(BudgetRemaining, "quiet", "q"), f(1)},
			{"quiet budget consumed", get(BudgetConsumed, "quiet", "q"), f(0)},
			{"quiet budget total events", get(BudgetTotalEvents, "quiet", "q"), f(0)},
			{"quiet budget remaining time", get(BudgetRemainingTime, "quiet", "q"), f(86.4)},
			{"quiet alert", get(AlertState, "quiet", "q"), f(0)},
			{"gap burn 5m (no events)", burn("gap", "g", "5m"), f(0)},
			{"gap burn 1h (no events)", burn("gap", "g", "1h"), f(0)},
			// 23 h of 10% errors against a 1% budget: burn 10 over 6h and 3d.
			{"gap burn 6h", burn("gap", "g", "6h"), f(10)},
			{"gap alert (1h and 30m empty: no page; 3d & 6h > 1: ticket)", get(AlertState, "gap", "g"), f(1)},
			{"perfect burn 5m", burn("perfect", "p", "5m"), f(inf)},
			{"perfect burn 3d", burn("perfect", "p", "3d"), f(inf)},
			{"perfect budget consumed", get(BudgetConsumed, "perfect", "p"), f(inf)},
			{"perfect budget remaining", get(BudgetRemaining, "perfect", "p"), f(ninf)},
			{"perfect budget total events", get(BudgetTotalEvents, "perfect", "p"), f(0)},
			{"perfect budget remaining events", get(BudgetRemainingEvents, "perfect", "p"), f(-1)},
			{"perfect budget total time", get(BudgetTotalTime, "perfect", "p"), f(0)},
			{"perfect budget remaining time", get(BudgetRemainingTime, "perfect", "p"), f(-0.06)},
			{"perfect compliance", get(Compliance, "perfect", "p"), f(1 - 1/1_440_000.0)},
			{"perfect alert", get(AlertState, "perfect", "p"), f(2)},
			{"spotless burn 1h", burn("spotless", "s", "1h"), f(0)},
			{"spotless budget remaining", get(BudgetRemaining, "spotless", "s"), f(1)},
			{"spotless budget remaining time", get(BudgetRemainingTime, "spotless", "s"), f(0)},
			{"spotless compliance", get(Compliance, "spotless", "s"), f(1)},
		} {
			checkValue(t, c.what, c.got, c.want)
		}
	})
}

// TestCalendarMonthProjection: a 99% SLO over calendar months, 10 days into May
// (31 days): 1,000 events a day, 50 bad on May 3.
//
//	compliance = 1 − 50 / 10,000 = 0.995
//	projected events = 10,000 × 31 / 10 = 31,000; budget = 0.01 × 31,000 = 310
//	consumed = 50 / 310; remaining events = 260
//	budget time = 0.01 × 31 d = 26,784 s; remaining = 2,678,400 × (0.01 − 50 / 31,000) = 22,464 s
//
// At June 1 00:00 the instant closes May (a boundary reads the period just ended).
func TestCalendarMonthProjection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		define(t, st, `{"id":"cal","service":"billing","objective":99,"calendar":"month"}`)
		var w sampleWriter
		w.every("cal", mustTime("2024-05-01T00:00:00Z"), mustTime("2024-06-01T00:00:00Z"), 24*time.Hour, "1d", 1000, 1000)
		w.add("cal", mustTime("2024-05-03T00:00:00Z"), "1d", 950, 1000)
		w.store(t, st)
		at := mustTime("2024-05-11T00:00:00Z")
		e := env(st, at.Add(-24*time.Hour), at, at)
		get := func(e2 query.Env, metric string) *float64 {
			res, err := Compute(context.Background(), e2, sloQuery(metric, "none", nil, nil))
			if err != nil {
				t.Fatal(err)
			}
			return one(t, res, "cal", "billing")
		}
		checkValue(t, "compliance", get(e, Compliance), f(0.995))
		checkValue(t, "consumed", get(e, BudgetConsumed), f(50.0/310))
		checkValue(t, "remaining events", get(e, BudgetRemainingEvents), f(260))
		checkValue(t, "budget time", get(e, BudgetTotalTime), f(26_784))
		checkValue(t, "remaining time", get(e, BudgetRemainingTime), f(22_464))
		// Whole of May: 31,000 events, 50 bad: compliance 1 − 50/31,000; budget 310.
		june := mustTime("2024-06-01T00:00:00Z")
		checkValue(t, "May compliance at June 1", get(env(st, june.Add(-time.Hour), june, june), Compliance), f(1-50.0/31_000))
		checkValue(t, "May consumed at June 1", get(env(st, june.Add(-time.Hour), june, june), BudgetConsumed), f(50.0/310))
	})
}

// TestSLIPerBucket: SLI per 1h bucket, with the range starting mid-bucket.
//
//	10:00-10:59: 60 × (95 of 100) → 0.95;  11:00-11:29: 30 × (100 of 100), 11:30-11:59 none → 1
//	12:00-12:59: none → null
//	range from 10:30: the first bucket holds only 10:30-10:59 (still 0.95)
func TestSLIPerBucket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		define(t, st, `{"id":"api","service":"api","objective":99}`)
		var w sampleWriter
		w.every("api", mustTime("2024-05-01T10:00:00Z"), mustTime("2024-05-01T11:00:00Z"), time.Minute, "1m", 95, 100)
		w.every("api", mustTime("2024-05-01T11:00:00Z"), mustTime("2024-05-01T11:30:00Z"), time.Minute, "1m", 100, 100)
		w.store(t, st)
		from, to := mustTime("2024-05-01T10:30:00Z"), mustTime("2024-05-01T13:00:00Z")
		res, err := Compute(context.Background(), env(st, from, to, to), sloQuery(SLI, "1h", nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		got := seriesOf(t, res, "api", "api")
		want := []*float64{f(0.95), f(1), nil}
		if len(got) != len(want) {
			t.Fatalf("%d buckets, want %d", len(got), len(want))
		}
		for i := range want {
			checkValue(t, "bucket "+res.Series[0].Times[i].Format(time.TimeOnly), got[i], want[i])
		}
		// Over the whole range: (30 × 95 + 30 × 100) / 6,000 = 0.975.
		res, err = Compute(context.Background(), env(st, from, to, to), sloQuery(SLI, "none", nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		checkValue(t, "range SLI", one(t, res, "api", "api"), f(0.975))
	})
}

func TestQueryErrors(t *testing.T) {
	st := storetest.OpenSQLite(t)
	define(t, st, `{"id":"a","objective":99}`)
	at := mustTime("2024-05-01T00:00:00Z")
	for _, q := range []models.Query{
		sloQuery("mttr", "none", nil, nil),
		sloQuery(SLI, "fortnight", nil, nil),
		sloQuery(BurnRate, "none", nil, &models.SLOOptions{Windows: []string{"1h", "1h"}}),
		sloQuery(BurnRate, "none", nil, &models.SLOOptions{Windows: []string{"30s"}}),
		sloQuery(BurnRate, "none", nil, &models.SLOOptions{Windows: []string{"soon"}}),
		sloQuery(SLI, "none", map[string][]string{"objective": {"99"}}, nil),
		{QueryType: models.QueryTypeSLO, Metric: SLI, Bucket: "none", GroupBy: []string{"team"}},
	} {
		if _, err := Frames(context.Background(), env(st, at.Add(-time.Hour), at, at), q); err == nil {
			t.Errorf("query %+v accepted", q)
		} else {
			t.Log(err)
		}
	}
	if _, err := Compute(context.Background(), env(st, at.Add(-time.Hour), at, at), sloQuery(Breaches, "none", nil, nil)); err == nil {
		t.Error("breaches as a series accepted")
	}
}
