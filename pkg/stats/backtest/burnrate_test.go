package backtest

import (
	"math"
	"testing"
	"time"
)

func TestBurnRateHandComputed(t *testing.T) {
	// Objective 99% (budget 0.01), factor 2: a window holds when its mean error
	// ratio exceeds 0.02. SLI is 1 except 0.88 (error 0.12) at minutes 20..24.
	//   minute 20: short (18,20] = {19,20} → 0.06; long (10,20] → 0.012: no
	//   minute 21: short 0.12; long 0.024: fires
	//   minute 25: short {24,25} → 0.06; long (15,25] → 0.06: holds
	//   minute 26: short {25,26} → 0: resolves
	sli := set(fill(40, 1), 20, 24, 0.88)
	c := Candidate{Name: "burn", Condition: BurnRate{Objective: 99, Long: 10 * time.Minute, Short: 2 * time.Minute, Factor: 2}}
	got, err := Replay(perMinute(t, sli...), c)
	if err != nil {
		t.Fatal(err)
	}
	if gm := alertsInMinutes(got); len(gm) != 1 || gm[0] != (mspan{21, 26, false}) {
		t.Errorf("alerts %v, want [{21 26 false}]", gm)
	}

	// A factor of 5 (0.05): long window reaches 0.06 only at minutes 24..25 once
	// five bad samples are in; short holds at 24 and 25 (0.12, 0.06). At 26 the
	// short window is clean.
	c.Condition = BurnRate{Objective: 99, Long: 10 * time.Minute, Short: 2 * time.Minute, Factor: 5}
	got, err = Replay(perMinute(t, sli...), c)
	if err != nil {
		t.Fatal(err)
	}
	if gm := alertsInMinutes(got); len(gm) != 1 || gm[0] != (mspan{24, 26, false}) {
		t.Errorf("factor 5: alerts %v, want [{24 26 false}]", gm)
	}
}

func TestBurnRateNoTrafficAndErrors(t *testing.T) {
	ok := BurnRate{Objective: 99.9, Long: time.Hour, Short: 5 * time.Minute, Factor: 14.4}
	// No-traffic samples (NaN) are left out of the mean; all-NaN windows never hold.
	holds := make([]bool, 3)
	if err := ok.Eval(perMinute(t, math.NaN(), math.NaN(), 0), holds); err != nil {
		t.Fatal(err)
	}
	if holds[0] || holds[1] || !holds[2] {
		t.Errorf("holds = %v, want [false false true]", holds)
	}
	bad := []BurnRate{
		{Objective: 0.999, Long: time.Hour, Short: time.Minute, Factor: 14.4},
		{Objective: 100, Long: time.Hour, Short: time.Minute, Factor: 14.4},
		{Objective: 99.9, Long: time.Minute, Short: time.Hour, Factor: 14.4},
		{Objective: 99.9, Long: 0, Short: 0, Factor: 14.4},
		{Objective: 99.9, Long: time.Hour, Short: time.Minute, Factor: 0},
	}
	for _, b := range bad {
		if err := b.Eval(perMinute(t, 1), make([]bool, 1)); err == nil {
			t.Errorf("%+v accepted", b)
		}
	}
	if err := ok.Eval(perMinute(t, 1.5), make([]bool, 1)); err == nil {
		t.Error("SLI above 1 accepted")
	}
}
