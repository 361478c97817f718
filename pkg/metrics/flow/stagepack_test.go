package flow

import (
	"reflect"
	"strings"
	"testing"
)

func TestStagePackRoundTrip(t *testing.T) {
	stages := []StageStay{
		{Stage: "Dev", ProcessMs: 18_000_000, WaitMs: 0, Visits: 2},
		{Stage: "Review: queue;2,b", ProcessMs: 0, WaitMs: 7_200_000, Visits: 1}, // separators inside a name
		{Stage: "", ProcessMs: 1, WaitMs: 2, Visits: 1},
		{Stage: "Prüfung 検査", ProcessMs: 0, WaitMs: 0, Visits: 1},
	}
	packed := packStages(stages)
	if packed != "3:Dev18000000,0,2;17:Review: queue;2,b0,7200000,1;0:1,2,1;15:Prüfung 検査0,0,1;" {
		t.Fatalf("packed %q", packed)
	}
	var got []StageStay
	if err := unpackStages(packed, func(stage string, p, w int64) {
		got = append(got, StageStay{Stage: stage, ProcessMs: p, WaitMs: w})
	}); err != nil {
		t.Fatal(err)
	}
	for i := range stages {
		stages[i].Visits = 0
	}
	if !reflect.DeepEqual(got, stages) {
		t.Fatalf("unpacked %+v", got)
	}
	if err := unpackStages("", func(string, int64, int64) { t.Fatal("called for an empty column") }); err != nil {
		t.Fatal(err)
	}
}

func TestStagePackRejectsDamage(t *testing.T) {
	for _, bad := range []string{"Dev", "x:Dev1,2,1;", "9:Dev1,2,1;", "3:Dev1,2,1", "3:Dev12;", "3:Deva,b,1;"} {
		err := unpackStages(bad, func(string, int64, int64) {})
		if err == nil || !strings.Contains(err.Error(), "packed stage times") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}
