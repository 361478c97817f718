package tally

import (
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

func TestTally(t *testing.T) {
	// Daily buckets over [Jan 1 12:00, Jan 3 06:00): bucket starts Jan 1, 2, 3 00:00.
	from := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	to := time.Date(2024, 1, 3, 6, 0, 0, 0, time.UTC)
	ta := New(query.Buckets{Width: 24 * time.Hour}, from, to, []string{"service"})
	if ta.Len() != 3 {
		t.Fatalf("%d buckets", ta.Len())
	}
	for ms, want := range map[int64]int{from.UnixMilli(): 0, from.Add(12 * time.Hour).UnixMilli(): 1, to.UnixMilli() - 1: 2} {
		if i, ok := ta.Index(ms); !ok || i != want {
			t.Errorf("Index(%s) = %d %v, want %d", time.UnixMilli(ms).UTC(), i, ok, want)
		}
	}
	if _, ok := ta.Index(from.UnixMilli() - 1); ok {
		t.Error("an instant before the range has a bucket")
	}
	if _, ok := ta.Index(to.UnixMilli()); ok {
		t.Error("the range's end has a bucket")
	}
	// SQL's bucket start of the first bucket lies before from.
	if i := ta.Bucket(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC).UnixMilli()); i != 1 {
		t.Errorf("Bucket(Jan 2) = %d", i)
	}
	// Point-in-time metrics: each bucket's end, the last cut at the range's end.
	ends := ta.Ends()
	if !ends[0].Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) || !ends[2].Equal(to) {
		t.Errorf("ends %v", ends)
	}

	ta.Add([]string{"web"}, 0, 1, 2)
	ta.Add([]string{"api"}, 1, 3, 4)
	ta.AddValue([]string{"api"}, 1, 10)
	ta.AddValue([]string{"api"}, 1, 30)
	counts := ta.Counts("n", "n", "short")
	// Sorted by group: api then web; empty buckets count 0.
	if counts.Series[0].Group[0] != "api" || *counts.Series[0].Values[0] != 0 || *counts.Series[0].Values[1] != 3 || *counts.Series[1].Values[0] != 1 {
		t.Errorf("counts %+v", counts.Series)
	}
	ratios := ta.Ratios("r", "r")
	if ratios.Series[0].Values[0] != nil || *ratios.Series[0].Values[1] != 0.75 || *ratios.Series[1].Values[0] != 0.5 {
		t.Errorf("ratios: 3/4 and 1/2, no value without a denominator: %+v", ratios.Series)
	}
	stats := ta.Stats(summary.Median, "s", "s", "s")
	if *stats.Series[0].Values[1] != 20 || stats.Series[0].Values[0] != nil || stats.Unit != "s" {
		t.Errorf("median of 10 and 30 = 20, none elsewhere: %+v", stats.Series[0])
	}
	if c := ta.Stats(summary.Count, "s", "s", "s"); *c.Series[1].Values[1] != 0 || c.Unit != "short" {
		t.Errorf("count of no values is 0, unit short: %+v", c)
	}
	if !counts.Bucketed || len(counts.Series[0].Times) != 3 {
		t.Errorf("times %v", counts.Series[0].Times)
	}
}

func TestUngroupedTallyAlwaysHasItsSeries(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ta := New(query.Buckets{}, from, from.Add(time.Hour), nil)
	res := ta.Ratios("r", "r")
	if len(res.Series) != 1 || res.Bucketed || res.Series[0].Values[0] != nil {
		t.Fatalf("%+v", res)
	}
	if i, ok := ta.Index(from.UnixMilli()); !ok || i != 0 || ta.Bucket(12345) != 0 || !ta.Ends()[0].Equal(from.Add(time.Hour)) {
		t.Fatal("an unbucketed tally has one bucket ending at the range's end")
	}
}
