package kaizen_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestPhasesAndAnnotations: on the review set (queue-autoscale deployed at D), plus
// queue-docs deployed at D+12d with a 2-day settling period.
func TestPhasesAndAnnotations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		storeReviewSet(t, st)
		createEvent(t, st, fmt.Sprintf(`{"id":"queue-docs","name":"Queue runbook","owner":"platform","target":%s,"proposed_at":"2025-01-20T00:00:00Z",
			"deployed_at":"%s","baseline_days":10,"after_days":10,"settling_days":2,"review_days":"none"}`, mttrTarget("queue"), reviewD.AddDate(0, 0, 12).Format(time.RFC3339)), reviewD.AddDate(0, 0, 60))
		now := reviewD.AddDate(0, 0, 40).Add(-time.Millisecond)

		t.Run("phases: one row per event deployed in the range, oldest first", func(t *testing.T) {
			f := run(t, st, `{"queryType":"kaizen","metric":"phases"}`, reviewD.AddDate(0, 0, -5), reviewD.AddDate(0, 0, 30), now)[0]
			if f.Name != kaizen.PhasesFrameName || f.Rows() != 2 || f.Meta == nil || f.Meta.Custom.(map[string]any)["kaizen"] != "phases" {
				t.Fatalf("frame %s with %d rows, meta %+v", f.Name, f.Rows(), f.Meta)
			}
			if cell(t, f, "event", 0) != "queue-autoscale" || cell(t, f, "phase", 0) != "Autoscale the queue workers" || !cell(t, f, "time", 0).(time.Time).Equal(reviewD) ||
				!cell(t, f, "time_end", 0).(time.Time).Equal(reviewD) {
				t.Fatalf("first phase %v %v %v %v", cell(t, f, "event", 0), cell(t, f, "phase", 0), cell(t, f, "time", 0), cell(t, f, "time_end", 0))
			}
			// The settling period ends 2 days after the deployment.
			if !cell(t, f, "time_end", 1).(time.Time).Equal(reviewD.AddDate(0, 0, 14)) {
				t.Fatalf("second phase settles at %v", cell(t, f, "time_end", 1))
			}
			// Baseline 100 … 109 (median 104.5 s) against 25 51 … 59 (median 54.5 s): U = 0, p = 1.8267e-4; −50 / 104.5 = −48 %.
			if cell(t, f, "verdict", 0) != "improved" || cell(t, f, "verdict_code", 0) != 1.0 ||
				!strings.HasPrefix(cell(t, f, "verdict_text", 0).(string), "Improved: median 1m 45s → 54.5s (-48%), p = 0.00018") {
				t.Fatalf("first verdict %v %v %q", cell(t, f, "verdict", 0), cell(t, f, "verdict_code", 0), cell(t, f, "verdict_text", 0))
			}
			// The same verdict as the impact query gives.
			imp := run(t, st, `{"queryType":"kaizen","metric":"impact","format":"table","kaizen":{"events":["queue-docs"]}}`, reviewD, reviewD.AddDate(0, 1, 0), now)[0]
			if cell(t, f, "verdict", 1) != cell(t, imp, "verdict", 0) || cell(t, f, "p_value", 1) != cell(t, imp, "p_value", 0) {
				t.Fatalf("phase verdict %v p %v, impact %v p %v", cell(t, f, "verdict", 1), cell(t, f, "p_value", 1), cell(t, imp, "verdict", 0), cell(t, imp, "p_value", 0))
			}
			if narrow := run(t, st, `{"queryType":"kaizen","metric":"phases"}`, reviewD.AddDate(0, 0, -1), reviewD.AddDate(0, 0, 1), now)[0]; narrow.Rows() != 1 {
				t.Fatalf("a range holding one deployment gives %d phases", narrow.Rows())
			}
		})

		t.Run("annotations with verdicts and review states", func(t *testing.T) {
			f := run(t, st, `{"queryType":"kaizen","metric":"annotations","filters":{"event":["queue-autoscale"]}}`, reviewD.AddDate(0, 0, -1), reviewD.AddDate(0, 0, 41), now)[0]
			if got := strings.Join(fieldNames(f), ","); got != "time,timeEnd,title,text,tags,id" || f.Rows() != 5 {
				t.Fatalf("fields %s, %d rows", got, f.Rows())
			}
			want := []struct{ title, tags string }{
				{"Kaizen deployed: Autoscale the queue workers", "kaizen,deployment,deployed,platform,improved"},
				{"Kaizen review: Autoscale the queue workers, 10 days after deployment", "kaizen,review,platform,sustained"},
				{"Kaizen review: Autoscale the queue workers, 20 days after deployment", "kaizen,review,platform,eroding"},
				{"Kaizen review: Autoscale the queue workers, 30 days after deployment", "kaizen,review,platform,lost"},
				{"Kaizen review: Autoscale the queue workers, 40 days after deployment", "kaizen,review,platform,pending"},
			}
			for i, w := range want {
				if cell(t, f, "title", i) != w.title || cell(t, f, "tags", i) != w.tags {
					t.Errorf("row %d: %q %q, want %q %q", i, cell(t, f, "title", i), cell(t, f, "tags", i), w.title, w.tags)
				}
			}
			if text := cell(t, f, "text", 3).(string); text != "Gain lost: median 1m 56s vs 1m 45s before, p = 0.00018" {
				t.Errorf("30-day review text %q", text)
			}
		})

		t.Run("the annotations query type reaches kaizen events, without verdicts", func(t *testing.T) {
			f := run(t, st, `{"queryType":"annotations","metric":"kaizen","filters":{"severity":["sev1"]}}`, reviewD.AddDate(0, 0, 11), reviewD.AddDate(0, 0, 13), now)[0]
			// queue-docs' deployment at D+12d; severity narrows incidents, not kaizen events.
			if f.Rows() != 1 || cell(t, f, "title", 0) != "Kaizen deployed: Queue runbook" || cell(t, f, "tags", 0) != "kaizen,deployment,deployed,platform" {
				t.Fatalf("%d rows: %v %v", f.Rows(), cell(t, f, "title", 0), cell(t, f, "tags", 0))
			}
			// The settling period is a region.
			if end := cell(t, f, "timeEnd", 0); end == nil || !end.(time.Time).Equal(reviewD.AddDate(0, 0, 14)) {
				t.Fatalf("timeEnd %v", end)
			}
		})
	})
}

// TestCycleTimeAndVelocity, hand-worked:
//
//	e1 sre  proposed Jan 10, deployed Jan 20            10 d      = 864000 s
//	e2 web  proposed Jan 1,  deployed Jan 31 23:00      30 d 23 h = 2674800 s
//	e3 sre  proposed Feb 1,  deployed Feb 15            14 d      = 1209600 s
//	e4 sre  proposed Feb 10, not deployed               left out
//	e5 sre  proposed Mar 1,  deployed Mar 2, archived   left out
func TestCycleTimeAndVelocity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		now := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
		for _, e := range []struct{ id, owner, proposed, deployed string }{
			{"e1", "sre", "2025-01-10T00:00:00Z", "2025-01-20T00:00:00Z"},
			{"e2", "web", "2025-01-01T00:00:00Z", "2025-01-31T23:00:00Z"},
			{"e3", "sre", "2025-02-01T00:00:00Z", "2025-02-15T00:00:00Z"},
			{"e4", "sre", "2025-02-10T00:00:00Z", ""},
			{"e5", "sre", "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z"},
		} {
			deployed := ""
			if e.deployed != "" {
				deployed = `,"deployed_at":"` + e.deployed + `"`
			}
			createEvent(t, st, fmt.Sprintf(`{"id":"%s","name":"%s","owner":"%s","target":%s,"proposed_at":"%s"%s}`, e.id, e.id, e.owner, mttrTarget("x"), e.proposed, deployed), now)
		}
		if _, err := kaizen.Archive(context.Background(), st, "e5", kaizen.Writer{By: "t", Now: now}); err != nil {
			t.Fatal(err)
		}
		from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), now
		values := func(q string) [][]*float64 {
			t.Helper()
			var out [][]*float64
			for _, f := range run(t, st, q, from, to, now) {
				v := f.Fields[len(f.Fields)-1] // after time, when bucketed
				vals := make([]*float64, v.Len())
				for i := range vals {
					vals[i] = v.At(i).(*float64)
				}
				out = append(out, vals)
			}
			return out
		}
		check := func(name string, got [][]*float64, want [][]*float64) {
			t.Helper()
			if fmt.Sprint(deref(got)) != fmt.Sprint(deref(want)) {
				t.Errorf("%s = %v, want %v", name, deref(got), deref(want))
			}
		}
		// Velocity per calendar month: Jan e1 e2, Feb e3, Mar none (e5 archived).
		check("velocity", values(`{"queryType":"kaizen","metric":"velocity"}`), [][]*float64{{fp(2), fp(1), fp(0)}})
		check("velocity by owner (sre, web)", values(`{"queryType":"kaizen","metric":"velocity","groupBy":["owner"]}`),
			[][]*float64{{fp(1), fp(1), fp(0)}, {fp(1), fp(0), fp(0)}})
		// Cycle time median per month: Jan (864000 + 2674800) / 2 = 1769400; Feb 1209600; Mar none.
		check("cycle time", values(`{"queryType":"kaizen","metric":"cycle_time"}`), [][]*float64{{fp(1769400), fp(1209600), nil}})
		// Over the range: median of 864000, 1209600, 2674800.
		check("cycle time for the range", values(`{"queryType":"kaizen","metric":"cycle_time","bucket":"none"}`), [][]*float64{{fp(1209600)}})
		check("cycle time max of sre", values(`{"queryType":"kaizen","metric":"cycle_time","stat":"max","bucket":"none","filters":{"owner":["sre"]}}`), [][]*float64{{fp(1209600)}})

		if _, err := runErr(st, `{"queryType":"kaizen","metric":"velocity","stat":"median"}`, from, to, now); err == nil || !strings.Contains(err.Error(), "velocity counts events") {
			t.Errorf("velocity with a stat: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"impact","groupBy":["owner"]}`, from, to, now); err == nil || !strings.Contains(err.Error(), "cannot be grouped") {
			t.Errorf("grouped impact: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"impact","filters":{"service":["x"]}}`, from, to, now); err == nil || !strings.Contains(err.Error(), `cannot filter kaizen events on "service"`) {
			t.Errorf("filter on service: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"impact","kaizen":{"events":["e4"]}}`, from, to, now); err == nil || !strings.Contains(err.Error(), `"e4" is not deployed yet (status proposed)`) {
			t.Errorf("impact of a named event not deployed: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"impact","kaizen":{"events":["nope"]}}`, from, to, now); err == nil || !strings.Contains(err.Error(), `"nope" does not exist`) {
			t.Errorf("impact of a missing event: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"impact","kaizen":{"value":"lost"}}`, from, to, now); err == nil || !strings.Contains(err.Error(), `kaizen.value "lost" is not a number of impact`) {
			t.Errorf("impact value lost: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"impact","kaizen":{"baseline":"soon"}}`, from, to, now); err == nil || !strings.Contains(err.Error(), "kaizen.baseline") {
			t.Errorf("bad baseline: %v", err)
		}
		if _, err := runErr(st, `{"queryType":"kaizen","metric":"uplift"}`, from, to, now); err == nil || !strings.Contains(err.Error(), `unknown kaizen metric "uplift"`) {
			t.Errorf("unknown metric: %v", err)
		}
	})
}

func deref(rows [][]*float64) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		for _, v := range r {
			if v == nil {
				out[i] = append(out[i], nil)
			} else {
				out[i] = append(out[i], *v)
			}
		}
	}
	return out
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}
