package kaizen_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The hand-worked review set: MTTR per day of service "queue", one incident a day
// at 01:00 UTC. Deployed D = 2025-03-01T00:00Z; baseline and after windows 10 days,
// no settling; reviews at 10, 20, 30 and 40 days, each over the 10 days before it.
//
//	baseline  [D−10d, D)      100 101 … 109            median 104.5 = the XmR centre line
//	10d review [D, D+10d)     25(*) 51 52 … 59           U = 0, p = 1.8267e-4 (SciPy): sustained
//	20d review [D+10d, D+20d) 96 98 100 102 103 104 106 108 110 112
//	                          median 103.5 < 104.5 but U = 46, p = 0.79088: eroding
//	30d review [D+20d, D+30d) 5055(**) 111 112 … 119     median 115.5 > 104.5: lost
//	40d review [D+30d, D+40d) no incidents: pending before D+40d, then insufficient data
//
// Boundary instants (windows are [from, to) as query ranges are):
//
//	(*)  an extra incident at exactly D lasting 0 s: after, not baseline; day 0's median (0+50)/2 = 25
//	(**) an extra incident at exactly D+20d lasting 10000 s: the 30-day review's, not the
//	     20-day's; day 20's median (10000+110)/2 = 5055
var reviewD = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func storeReviewSet(t *testing.T, st store.Store) {
	t.Helper()
	var values []float64
	for v := 100; v <= 109; v++ {
		values = append(values, float64(v))
	}
	for v := 50; v <= 59; v++ {
		values = append(values, float64(v))
	}
	values = append(values, 96, 98, 100, 102, 103, 104, 106, 108, 110, 112)
	for v := 110; v <= 119; v++ {
		values = append(values, float64(v))
	}
	now := reviewD.AddDate(0, 0, 60)
	lines := dailyIncidents("queue", reviewD.AddDate(0, 0, -10), values)
	lines = append(lines,
		fmt.Sprintf(`{"id":"at-deploy","service":"queue","started_at":"%s","resolved_at":"%s"}`, reviewD.Format(time.RFC3339), reviewD.Format(time.RFC3339)),
		fmt.Sprintf(`{"id":"at-review","service":"queue","started_at":"%s","resolved_at":"%s"}`,
			reviewD.AddDate(0, 0, 20).Format(time.RFC3339), reviewD.AddDate(0, 0, 20).Add(10000*time.Second).Format(time.RFC3339)))
	ingestNDJSON(t, st, "incidents", lines, now)
	createEvent(t, st, fmt.Sprintf(`{"id":"queue-autoscale","name":"Autoscale the queue workers","owner":"platform","target":%s,
		"proposed_at":"2025-01-15T00:00:00Z","deployed_at":"%s","baseline_days":10,"after_days":10,"review_days":[10,20,30,40]}`,
		mttrTarget("queue"), reviewD.Format(time.RFC3339)), now)
}

func TestReviewStatesAtTheirBoundaries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		storeReviewSet(t, st)
		from, to := reviewD.AddDate(0, -1, 0), reviewD.AddDate(0, 2, 0)
		reviews := func(now time.Time) *data.Frame {
			return run(t, st, `{"queryType":"kaizen","metric":"reviews","format":"table"}`, from, to, now)[0]
		}

		t.Run("the deployment instant is after, not baseline", func(t *testing.T) {
			f := run(t, st, `{"queryType":"kaizen","metric":"impact","format":"table"}`, from, to, reviewD.AddDate(0, 0, 60))[0]
			// after mean: (25 + 51 + … + 59) / 10 = (545 − 50 + 25) / 10 = 52.
			if cell(t, f, "before_n", 0) != int64(10) || cell(t, f, "before_median", 0) != 104.5 || cell(t, f, "after_mean", 0) != 52.0 {
				t.Fatalf("before n %v median %v, after mean %v", cell(t, f, "before_n", 0), cell(t, f, "before_median", 0), cell(t, f, "after_mean", 0))
			}
			if cell(t, f, "verdict", 0) != "improved" || cell(t, f, "after_complete", 0) != true {
				t.Fatalf("verdict %v complete %v", cell(t, f, "verdict", 0), cell(t, f, "after_complete", 0))
			}
		})

		t.Run("one millisecond before the first review everything is pending", func(t *testing.T) {
			f := reviews(reviewD.AddDate(0, 0, 10).Add(-time.Millisecond))
			for i := 0; i < 4; i++ {
				if cell(t, f, "state", i) != "pending" || cell(t, f, "n", i) != nil {
					t.Fatalf("review %d: %v n %v", i, cell(t, f, "state", i), cell(t, f, "n", i))
				}
			}
			s := run(t, st, `{"queryType":"kaizen","metric":"sustainability","format":"table"}`, from, to, reviewD.AddDate(0, 0, 10).Add(-time.Millisecond))[0]
			if cell(t, s, "state", 0) != "pending" || cell(t, s, "state_code", 0) != nil || cell(t, s, "lost", 0) != 0.0 ||
				cell(t, s, "next_review_days", 0) != int64(10) || cell(t, s, "last_review", 0) != nil {
				t.Fatalf("board row: state %v code %v lost %v next %v last %v", cell(t, s, "state", 0), cell(t, s, "state_code", 0),
					cell(t, s, "lost", 0), cell(t, s, "next_review_days", 0), cell(t, s, "last_review", 0))
			}
		})

		t.Run("at the review instant the review is due", func(t *testing.T) {
			f := reviews(reviewD.AddDate(0, 0, 10))
			if cell(t, f, "state", 0) != "sustained" || cell(t, f, "state", 1) != "pending" {
				t.Fatalf("states %v %v", cell(t, f, "state", 0), cell(t, f, "state", 1))
			}
			// U = 0 for 10 against 10 untied values: z = (50 − 0.5) / √175, p = 1.8267e-4 (SciPy 0.00018267179110955).
			if p := cell(t, f, "p_value", 0).(float64); !relClose(p, 0.00018267179110955002) {
				t.Fatalf("10-day review p %v", p)
			}
		})

		t.Run("sustained, eroding, lost, pending", func(t *testing.T) {
			now := reviewD.AddDate(0, 0, 40).Add(-time.Millisecond)
			f := reviews(now)
			want := []struct {
				state  string
				n      any
				median any
			}{
				{"sustained", int64(10), 54.5}, // 25 51 … 59: (54 + 55) / 2
				{"eroding", int64(10), 103.5},  // (103 + 104) / 2; the 10000 s incident at D+20d is not here
				{"lost", int64(10), 115.5},     // 111 … 119 and 5055: (115 + 116) / 2
				{"pending", nil, nil},
			}
			for i, w := range want {
				if got := cell(t, f, "state", i); got != w.state || cell(t, f, "n", i) != w.n || cell(t, f, "median", i) != w.median {
					t.Errorf("review %d: %v n %v median %v, want %s %v %v", i, got, cell(t, f, "n", i), cell(t, f, "median", i), w.state, w.n, w.median)
				}
			}
			// 20 days: U = 46 with six tied pairs; σ² = 100/12 · (21 − 36/380), z = 3.5/σ, p = 0.79088 (SciPy 0.7908754663240969).
			if p := cell(t, f, "p_value", 1).(float64); !relClose(p, 0.7908754663240969) {
				t.Errorf("20-day review p %v", p)
			}
			if c := cell(t, f, "change", 1).(float64); c != -1 {
				t.Errorf("20-day change %v, want 103.5 − 104.5 = −1", c)
			}
			if d := cell(t, f, "review_date", 3).(time.Time); !d.Equal(reviewD.AddDate(0, 0, 40)) {
				t.Errorf("40-day review date %v", d)
			}

			s := run(t, st, `{"queryType":"kaizen","metric":"sustainability","format":"table"}`, from, to, now)[0]
			if cell(t, s, "state", 0) != "lost" || cell(t, s, "state_code", 0) != 0.0 || cell(t, s, "lost", 0) != 1.0 ||
				cell(t, s, "last_review_days", 0) != int64(30) || cell(t, s, "next_review_days", 0) != int64(40) ||
				cell(t, s, "reviews", 0) != "10d sustained · 20d eroding · 30d lost · 40d pending" || cell(t, s, "review_median", 0) != 115.5 {
				t.Fatalf("board row: %v %v %v %v %v %q %v", cell(t, s, "state", 0), cell(t, s, "state_code", 0), cell(t, s, "lost", 0),
					cell(t, s, "last_review_days", 0), cell(t, s, "next_review_days", 0), cell(t, s, "reviews", 0), cell(t, s, "review_median", 0))
			}

			// What an alert rule reads: 1 when the gain is lost, labelled by event.
			ts := run(t, st, `{"queryType":"kaizen","metric":"sustainability"}`, from, to, now)
			if len(ts) != 1 || ts[0].Meta.Type != data.FrameTypeNumericMulti {
				t.Fatalf("%d frames, meta %+v", len(ts), ts[0].Meta)
			}
			lost := ts[0].Fields[0]
			if lost.Name != "lost" || lost.Labels["event"] != "queue-autoscale" || lost.Labels["owner"] != "platform" || *lost.At(0).(*float64) != 1 {
				t.Fatalf("lost field %s %v %v", lost.Name, lost.Labels, lost.At(0))
			}
		})

		t.Run("a review due with no data says how many points it needs", func(t *testing.T) {
			f := reviews(reviewD.AddDate(0, 0, 40))
			if cell(t, f, "state", 3) != "insufficient-data" || cell(t, f, "n", 3) != int64(0) || cell(t, f, "note", 3) != "needs 8 more after the change for a verdict" {
				t.Fatalf("40-day review: %v n %v %q", cell(t, f, "state", 3), cell(t, f, "n", 3), cell(t, f, "note", 3))
			}
			s := run(t, st, `{"queryType":"kaizen","metric":"sustainability","format":"table"}`, from, to, reviewD.AddDate(0, 0, 40))[0]
			if cell(t, s, "state", 0) != "insufficient-data" || cell(t, s, "state_code", 0) != nil || cell(t, s, "lost", 0) != 0.0 {
				t.Fatalf("board row: %v %v %v", cell(t, s, "state", 0), cell(t, s, "state_code", 0), cell(t, s, "lost", 0))
			}
		})

		t.Run("the after window caps at now while it fills", func(t *testing.T) {
			now := reviewD.AddDate(0, 0, 3).Add(12 * time.Hour) // days 0..3 after: 25 51 52 53
			f := run(t, st, `{"queryType":"kaizen","metric":"impact","format":"table"}`, from, to, now)[0]
			if cell(t, f, "after_n", 0) != int64(4) || cell(t, f, "after_complete", 0) != false || cell(t, f, "verdict", 0) != "insufficient-data" ||
				cell(t, f, "needed_after", 0) != int64(4) || !math.IsNaN(nanIfNil(cell(t, f, "p_value", 0))) {
				t.Fatalf("after n %v complete %v verdict %v needed %v", cell(t, f, "after_n", 0), cell(t, f, "after_complete", 0), cell(t, f, "verdict", 0), cell(t, f, "needed_after", 0))
			}
		})
	})
}

func nanIfNil(v any) float64 {
	if v == nil {
		return math.NaN()
	}
	return v.(float64)
}
