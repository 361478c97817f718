package kaizen

import (
	"context"
	"errors"
	"time"

	"github.com/kaizenops/suite/pkg/stats/impact"
	"github.com/kaizenops/suite/pkg/store"
)

// BoardRow is one event as the Kaizen events page lists it (GET kaizen/board): the
// event, whether it worked, and where its reviews stand. Numbers without a value
// (no test yet, a zero baseline median) are null.
type BoardRow struct {
	Event Event `json:"event"`
	// Measured is false for events not deployed yet (and when the analysis failed:
	// Error says why).
	Measured bool   `json:"measured"`
	Error    string `json:"error,omitempty"`
	// Target names the target series; Unit is its Grafana unit.
	Target         string       `json:"target,omitempty"`
	Unit           string       `json:"unit,omitempty"`
	Windows        *Windows     `json:"windows,omitempty"`
	AfterComplete  bool         `json:"after_complete"`
	Before         *SideSummary `json:"before,omitempty"`
	After          *SideSummary `json:"after,omitempty"`
	Change         *float64     `json:"change"`
	RelativeChange *float64     `json:"relative_change"`
	PValue         *float64     `json:"p_value"`
	CI95           *[2]float64  `json:"ci95"`
	Verdict        string       `json:"verdict,omitempty"`
	// Needed says how many more points each window needs (insufficient data only).
	Needed *Needed `json:"needed,omitempty"`
	// SustainedShift: nine or more after points on the better side of the baseline centre line.
	SustainedShift bool `json:"sustained_shift"`
	// HypothesisMet: significant, in the expected direction, and at least the expected
	// size (null without a test).
	HypothesisMet *bool `json:"hypothesis_met"`
	// State is the gain's state at the latest review due (pending before the first).
	State      string         `json:"state,omitempty"`
	Reviews    []ReviewRow    `json:"reviews,omitempty"`
	NextReview *time.Time     `json:"next_review,omitempty"`
	Phases     *PhaseLimits   `json:"phases,omitempty"`
	Points     *WindowPoints  `json:"points,omitempty"`
	Options    *ImpactOptions `json:"options,omitempty"`
}

// SideSummary describes one window.
type SideSummary struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	Mean   *float64 `json:"mean"`
}

// ReviewRow is one review as the page shows it.
type ReviewRow struct {
	Days     int       `json:"days"`
	Date     time.Time `json:"date"`
	From     time.Time `json:"from"`
	State    string    `json:"state"`
	N        *int      `json:"n"`
	Median   *float64  `json:"median"`
	Change   *float64  `json:"change"`
	PValue   *float64  `json:"p_value"`
	WorseRun *int      `json:"worse_run"`
	Needed   *int      `json:"needed,omitempty"`
}

// Needed counts the points missing per window before a verdict can be given.
type Needed struct {
	Before int `json:"before"`
	After  int `json:"after"`
}

// PhaseLimits are the XmR limits per phase.
type PhaseLimits struct {
	Before Limits `json:"before"`
	After  Limits `json:"after"`
}

// Limits are one phase's XmR limits.
type Limits struct {
	N      int     `json:"n"`
	Center float64 `json:"center"`
	UCL    float64 `json:"ucl"`
	LCL    float64 `json:"lcl"`
	MRBar  float64 `json:"mr_bar"`
}

func limits(l impact.Limits) Limits {
	return Limits{N: l.N, Center: l.Center, UCL: l.UCL, LCL: l.LCL, MRBar: l.MRBar}
}

// WindowPoints are the values the test compared (GET kaizen/events/{id}/analysis only).
type WindowPoints struct {
	Before Points `json:"before"`
	After  Points `json:"after"`
}

// ImpactOptions are the options the analysis ran with.
type ImpactOptions struct {
	Better    string  `json:"better"`
	Alpha     float64 `json:"alpha"`
	MinN      int     `json:"min_n"`
	Seed      uint64  `json:"seed"`
	Resamples int     `json:"resamples"`
}

// Board analyses and reviews every event (archived ones too when asked), newest
// proposal first, at now with the events' own windows and the default options.
func (d Deps) Board(ctx context.Context, st store.Store, now time.Time, includeArchived bool) ([]BoardRow, error) {
	evs, err := List(ctx, st, includeArchived)
	if err != nil {
		return nil, err
	}
	a := analyzer{deps: d, store: st, now: now}
	out := make([]BoardRow, len(evs))
	each(ctx, len(evs), func(i int) {
		// boardRow fails only when ctx ends, which is checked below.
		out[i], _ = a.boardRow(ctx, evs[i], false)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Detail is one event's board row with the values each window compared.
func (d Deps) Detail(ctx context.Context, st store.Store, now time.Time, id string, s Settings) (BoardRow, error) {
	e, err := Get(ctx, st, id)
	if err != nil {
		return BoardRow{}, err
	}
	a := analyzer{deps: d, store: st, now: now, settings: s}
	return a.boardRow(ctx, e, true)
}

// boardRow analyses one event. An event not deployed, or whose analysis fails, gets
// a row saying so; only a cancelled request is an error.
func (a analyzer) boardRow(ctx context.Context, e Event, points bool) (BoardRow, error) {
	row := BoardRow{Event: e}
	an, err := a.Analyze(ctx, e)
	if err == nil {
		err = a.Review(ctx, an)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return BoardRow{}, ctxErr
		}
		var nd *NotDeployedError
		if !errors.As(err, &nd) {
			row.Error = err.Error()
		}
		return row, nil
	}
	res := an.Result
	row.Measured, row.Target, row.Unit, row.Windows = true, an.Target, an.Unit, &an.Windows
	row.AfterComplete = an.Windows.Complete()
	row.Before, row.After = side(res.Before), side(res.After)
	row.Change, row.RelativeChange = num(res.Change), num(res.RelativeChange)
	row.Verdict = string(res.Verdict)
	row.HypothesisMet = hypothesisMet(an)
	if res.Verdict == impact.InsufficientData {
		row.Needed = &Needed{Before: res.Needed.Before, After: res.Needed.After}
	}
	if res.Test != nil {
		row.PValue = num(res.Test.P)
	}
	if res.CI95 != nil {
		row.CI95 = &[2]float64{res.CI95.Lo, res.CI95.Hi}
	}
	if p := res.Phases; p != nil {
		row.SustainedShift = p.SustainedShift
		row.Phases = &PhaseLimits{Before: limits(p.Before), After: limits(p.After)}
	}
	if cur := an.Current(); cur != nil {
		row.State = cur.State
	}
	if next := an.Next(); next != nil {
		row.NextReview = &next.Date
	}
	for _, r := range an.Reviews {
		rr := ReviewRow{Days: r.Days, Date: r.Date, From: r.From, State: r.State}
		if s := r.Sustain; s != nil {
			n := s.Review.After.N
			rr.N, rr.Median, rr.Change = &n, num(s.Review.After.Median), num(s.Review.Change)
			if s.Review.Test != nil {
				rr.PValue = num(s.Review.Test.P)
				w := s.WorseRun.Length
				rr.WorseRun = &w
			} else {
				needed := s.Review.Needed.After
				rr.Needed = &needed
			}
		}
		row.Reviews = append(row.Reviews, rr)
	}
	if points {
		row.Points = &WindowPoints{Before: an.Before, After: an.After}
		o := an.Options
		row.Options = &ImpactOptions{Better: string(o.Better), Alpha: alphaOf(o), MinN: orInt(o.MinN, impact.DefaultMinN),
			Seed: o.Seed, Resamples: orInt(o.Resamples, impact.DefaultResamples)}
	}
	return row, nil
}

func side(s impact.Summary) *SideSummary {
	return &SideSummary{N: s.N, Median: num(s.Median), Mean: num(s.Mean)}
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
