package slo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/stats/backtest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestWindowSumsMatchNaive: window sums read through rollups and sample edges
// (and through samples alone) equal a direct sum over the samples, for random
// samples of mixed lengths and random window edges (some on minute, hour and day
// boundaries, some not).
func TestWindowSumsMatchNaive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		r := rand.New(rand.NewPCG(7, 11))
		base := mustTime("2024-03-01T00:00:00Z").UnixMilli()
		type sample struct {
			id          string
			at          int64
			good, total float64
		}
		var samples []sample
		var w sampleWriter
		ids := []string{"a", "b", "c"}
		for _, id := range ids {
			define(t, st, `{"id":"`+id+`","objective":99}`)
			at := base
			for at < base+10*86_400_000 {
				step := []int64{60_000, 300_000, 3_600_000}[r.IntN(3)]
				total := float64(r.IntN(500))
				good := total - float64(r.IntN(int(total)+1)/20)
				s := sample{id, at, good, total}
				samples = append(samples, s)
				w.add(id, time.UnixMilli(at).UTC(), fmt.Sprintf("%ds", step/1000), good, total)
				at += step + int64(r.IntN(3))*60_000
			}
		}
		w.store(t, st)
		var instants []int64
		for i := 0; i < 40; i++ {
			x := base + r.Int64N(11*86_400_000)
			switch i % 4 {
			case 0:
				x -= x % 60_000
			case 1:
				x -= x % 3_600_000
			case 2:
				x -= x % 86_400_000
			}
			instants = append(instants, x)
		}
		defs := make([]*Definition, len(ids))
		for i, id := range ids {
			defs[i] = &Definition{ID: id, SLI: SourceCounts}
		}
		for _, rd := range []reader{{st: st}, {st: st, noRollups: true}} {
			c, err := rd.load(context.Background(), defs, instants)
			if err != nil {
				t.Fatal(err)
			}
			for k := 0; k < 200; k++ {
				a, b := instants[r.IntN(len(instants))], instants[r.IntN(len(instants))]
				if a > b {
					a, b = b, a
				}
				id := ids[r.IntN(len(ids))]
				var want Counts
				for _, s := range samples {
					if s.id == id && s.at >= a && s.at < b {
						want = want.Plus(Counts{s.good, s.total})
					}
				}
				got := c.span(id, a, b)
				if got != want {
					t.Fatalf("noRollups=%v %s [%d, %d): got %+v, want %+v", rd.noRollups, id, a, b, got, want)
				}
			}
		}
	})
}

// TestAlertStateMatchesBacktest: with the same traffic every minute, our page
// state (1h & 5m above 14.4, or 6h & 30m above 6) holds exactly where
// pkg/stats/backtest's BurnRate conditions, an independent implementation over
// the SLI series, say one holds. 997 events a minute keep error ratios off exact
// ties with factor × budget: at a tie backtest, comparing with the unrounded
// 1 − 99.9/100, says "above" where we (budgetFraction) say not.
func TestAlertStateMatchesBacktest(t *testing.T) {
	st := storetest.OpenSQLite(t)
	define(t, st, `{"id":"x","objective":99.9}`)
	r := rand.New(rand.NewPCG(3, 5))
	base := mustTime("2024-05-01T00:00:00Z")
	const minutes = 300
	var w sampleWriter
	times := make([]time.Time, minutes)
	sli := make([]float64, minutes)
	bad := 0
	for i := 0; i < minutes; i++ {
		if i%40 == 0 {
			bad = []int{0, 0, 5, 20, 40}[r.IntN(5)] // bursts of errors, per 997
		}
		times[i] = base.Add(time.Duration(i) * time.Minute)
		sli[i] = 1 - float64(bad)/997
		w.add("x", times[i], "1m", float64(997-bad), 997)
	}
	w.store(t, st)
	ref, err := backtest.NewSeries(times, sli)
	if err != nil {
		t.Fatal(err)
	}
	// Page: 1h & 5m above 14.4, or 6h & 30m above 6.
	holds := make([]bool, minutes)
	for _, c := range []backtest.BurnRate{
		{Objective: 99.9, Long: time.Hour, Short: 5 * time.Minute, Factor: 14.4},
		{Objective: 99.9, Long: 6 * time.Hour, Short: 30 * time.Minute, Factor: 6},
	} {
		h := make([]bool, minutes)
		if err := c.Eval(ref, h); err != nil {
			t.Fatal(err)
		}
		for i := range h {
			holds[i] = holds[i] || h[i]
		}
	}
	// backtest's window at sample i is (t_i − W, t_i], samples by start; ours closes
	// at an instant, [e − W, e): 1-minute buckets from base end at t_i + 1 minute.
	from, to := base, base.Add(minutes*time.Minute)
	res, err := Compute(context.Background(), env(st, from, to, to), sloQuery(AlertState, "1m", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	got := seriesOf(t, res, "x", "")
	fired := 0
	for i := 0; i < minutes; i++ {
		page := *got[i] == 2
		if page != holds[i] {
			t.Fatalf("minute %d: our page %v, backtest %v", i, page, holds[i])
		}
		if holds[i] {
			fired++
		}
	}
	if fired == 0 || fired == minutes {
		t.Fatalf("the page condition held at %d of %d minutes; the case checks nothing", fired, minutes)
	}
}
