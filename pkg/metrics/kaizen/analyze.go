package kaizen

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/impact"
	"github.com/kaizenops/suite/pkg/store"
)

// Settings are what analyses run with: window lengths that replace every event's
// own (nil: the event's), and the statistics' options (Better comes from each event).
type Settings struct {
	Baseline, After, Settling *time.Duration
	Options                   impact.Options
}

// ParseSettings checks a query's kaizen options, naming the option at fault.
func ParseSettings(o models.KaizenOptions) (Settings, error) {
	var s Settings
	for _, w := range []struct {
		name, text string
		zeroOK     bool
		dst        **time.Duration
	}{{"baseline", o.Baseline, false, &s.Baseline}, {"after", o.After, false, &s.After}, {"settling", o.Settling, true, &s.Settling}} {
		text := strings.TrimSpace(w.text)
		if text == "" {
			continue
		}
		if w.zeroOK && (text == "0" || text == "0d" || text == "none") {
			zero := time.Duration(0)
			*w.dst = &zero
			continue
		}
		d, err := query.ParseDuration(text)
		if err != nil {
			return Settings{}, fmt.Errorf("kaizen.%s: %w", w.name, err)
		}
		if d > days(3650) {
			return Settings{}, fmt.Errorf("kaizen.%s %q is longer than 3650 days", w.name, text)
		}
		*w.dst = &d
	}
	if o.Alpha != nil {
		if a := *o.Alpha; !(a > 0 && a < 1) {
			return Settings{}, fmt.Errorf("kaizen.alpha %v: must be between 0 and 1 (0.05 for 5 %%)", a)
		}
		s.Options.Alpha = *o.Alpha
	}
	if o.MinN != 0 && o.MinN < 2 {
		return Settings{}, fmt.Errorf("kaizen.minN %d: must be at least 2", o.MinN)
	}
	if o.Resamples != 0 && (o.Resamples < 100 || o.Resamples > impact.MaxResamples) {
		return Settings{}, fmt.Errorf("kaizen.resamples %d: must be from 100 (for a 95%% interval) to %d", o.Resamples, impact.MaxResamples)
	}
	s.Options.MinN, s.Options.Seed, s.Options.Resamples = o.MinN, o.Seed, o.Resamples
	return s, nil
}

// Windows are an event's windows, each half-open [from, to) as query ranges are.
type Windows struct {
	// Baseline: [BaselineFrom, Deployed).
	BaselineFrom time.Time `json:"baseline_from"`
	Deployed     time.Time `json:"deployed_at"`
	// After: [AfterFrom, AfterTo), the settling period [Deployed, AfterFrom) skipped.
	// AfterTo is AfterEnd once the window is complete, else now.
	AfterFrom time.Time `json:"after_from"`
	AfterTo   time.Time `json:"after_to"`
	AfterEnd  time.Time `json:"after_end"`
	// Length of the after window, which review windows share.
	after time.Duration
}

// Complete says whether the after window has ended.
func (w Windows) Complete() bool { return !w.AfterTo.Before(w.AfterEnd) }

// Points are a window's values in time order, at their buckets' starts.
type Points struct {
	Times  []time.Time `json:"times"`
	Values []float64   `json:"values"`
}

// Analysis is one event's impact: the windows, the values in them, and the test.
type Analysis struct {
	Event Event
	// Target names the target series ("MTTR (median) · checkout"); Unit is its unit.
	Target   string
	Unit     string
	Decimals *uint16
	Windows  Windows
	Before   Points
	After    Points
	Options  impact.Options
	Result   impact.Result
	// Reviews are filled by sustainability queries, in review order.
	Reviews []Review
}

// Review is one review date of an event.
type Review struct {
	Days int
	Date time.Time
	// The review window is [From, Date): the after window's length ending at the
	// review date, never reaching back into the settling period.
	From   time.Time
	State  string
	Points Points
	// Sustain is nil while the review is pending.
	Sustain *impact.Sustainability
}

// analyzer runs analyses against one store at one instant.
type analyzer struct {
	deps     Deps
	store    store.Store
	now      time.Time
	settings Settings
	// noInterval skips the bootstrap interval, for results that do not show it
	// (phases, sustainability, reviews): the verdict does not depend on it.
	noInterval bool
}

// NotDeployedError says an event has no deployment to compare around.
type NotDeployedError struct{ ID, Status string }

func (e *NotDeployedError) Error() string {
	return fmt.Sprintf("kaizen event %q is not deployed yet (status %s); its impact is measured around deployed_at", e.ID, e.Status)
}

// windows places an event's windows; now caps the after window while it fills.
func (a analyzer) windows(e Event) Windows {
	baseline, after, settling := days(e.BaselineDays), days(e.AfterDays), days(e.SettlingDays)
	if a.settings.Baseline != nil {
		baseline = *a.settings.Baseline
	}
	if a.settings.After != nil {
		after = *a.settings.After
	}
	if a.settings.Settling != nil {
		settling = *a.settings.Settling
	}
	dep := *e.DeployedAt
	w := Windows{BaselineFrom: dep.Add(-baseline), Deployed: dep, AfterFrom: dep.Add(settling), after: after}
	w.AfterEnd = w.AfterFrom.Add(after)
	w.AfterTo = w.AfterEnd
	if a.now.Before(w.AfterTo) {
		w.AfterTo = a.now
	}
	if w.AfterTo.Before(w.AfterFrom) {
		w.AfterTo = w.AfterFrom
	}
	return w
}

// Analyze measures one event's impact: the target series in the baseline window
// against the after window, through pkg/stats/impact.
func (a analyzer) Analyze(ctx context.Context, e Event) (*Analysis, error) {
	if e.DeployedAt == nil {
		return nil, &NotDeployedError{ID: e.ID, Status: e.Status}
	}
	q, err := e.TargetQuery()
	if err != nil {
		return nil, fmt.Errorf("kaizen event %q: stored target: %w", e.ID, err)
	}
	an := &Analysis{Event: e, Windows: a.windows(e)}
	var info targetInfo
	if an.Before, info, err = a.points(ctx, q, an.Windows.BaselineFrom, an.Windows.Deployed); err != nil {
		return nil, fmt.Errorf("kaizen event %q: baseline window: %w", e.ID, err)
	}
	if an.After, info, err = a.points(ctx, q, an.Windows.AfterFrom, an.Windows.AfterTo); err != nil {
		return nil, fmt.Errorf("kaizen event %q: after window: %w", e.ID, err)
	}
	an.Target, an.Unit, an.Decimals = info.label(q), info.unit, info.decimals
	an.Options = a.settings.Options
	an.Options.Better = impact.Direction(e.Better)
	an.Options.NoInterval = a.noInterval
	if an.Result, err = impact.Analyze(an.Before.Values, an.After.Values, an.Options); err != nil {
		return nil, fmt.Errorf("kaizen event %q: %w", e.ID, err)
	}
	return an, nil
}

// Review checks each review date of an analysed event: pending before the date,
// else the review window against the baseline by impact.Sustain.
func (a analyzer) Review(ctx context.Context, an *Analysis) error {
	q, err := an.Event.TargetQuery()
	if err != nil {
		return fmt.Errorf("kaizen event %q: stored target: %w", an.Event.ID, err)
	}
	an.Reviews = make([]Review, 0, len(an.Event.ReviewDays))
	for _, d := range an.Event.ReviewDays {
		r := Review{Days: d, Date: an.Windows.Deployed.Add(time.Duration(d) * day)}
		r.From = r.Date.Add(-an.Windows.after)
		if r.From.Before(an.Windows.AfterFrom) {
			r.From = an.Windows.AfterFrom
		}
		if a.now.Before(r.Date) {
			r.State = StatePending
			an.Reviews = append(an.Reviews, r)
			continue
		}
		if r.Points, _, err = a.points(ctx, q, r.From, r.Date); err != nil {
			return fmt.Errorf("kaizen event %q: %d-day review window: %w", an.Event.ID, d, err)
		}
		s, err := impact.Sustain(an.Before.Values, r.Points.Values, reviewOptions(an.Options))
		if err != nil {
			return fmt.Errorf("kaizen event %q: %d-day review: %w", an.Event.ID, d, err)
		}
		r.Sustain, r.State = &s, string(s.State)
		an.Reviews = append(an.Reviews, r)
	}
	return nil
}

// reviewResamples: a review's state rests on the rank test, the medians and the
// runs, never on its bootstrap interval (which nothing reports), so reviews draw the
// fewest resamples impact allows instead of 10000 each.
const reviewResamples = 100

func reviewOptions(o impact.Options) impact.Options {
	o.Resamples = reviewResamples
	return o
}

// Current is the review that states the gain now: the latest one due, or the
// first pending one when none is due yet (nil without reviews).
func (an *Analysis) Current() *Review {
	var cur *Review
	for i := range an.Reviews {
		if an.Reviews[i].State == StatePending {
			if cur == nil {
				return &an.Reviews[i]
			}
			break
		}
		cur = &an.Reviews[i]
	}
	return cur
}

// Next is the first review still pending, or nil.
func (an *Analysis) Next() *Review {
	for i := range an.Reviews {
		if an.Reviews[i].State == StatePending {
			return &an.Reviews[i]
		}
	}
	return nil
}

// targetInfo describes the target series.
type targetInfo struct {
	name     string
	unit     string
	decimals *uint16
}

// label reads like a legend: "MTTR (median) · checkout".
func (t targetInfo) label(q models.Query) string {
	name := t.name
	if name == "" {
		name = q.QueryType + " " + q.Metric
	}
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		if len(q.Filters[k]) > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	// A KPI target names its KPI in its options, not its filters; without it every
	// KPI event on a board would read "KPI value (mean)".
	if q.KPI != nil && len(q.KPI.KPIs) > 0 {
		parts = append(parts, strings.Join(q.KPI.KPIs, ", "))
	}
	for _, k := range keys {
		parts = append(parts, strings.Join(q.Filters[k], ", "))
	}
	if len(parts) == 0 {
		return name
	}
	return name + " · " + strings.Join(parts, " / ")
}

// points runs the target over [from, to) and keeps the buckets that have a value,
// in time order. An empty window gives no points, not an error.
func (a analyzer) points(ctx context.Context, q models.Query, from, to time.Time) (Points, targetInfo, error) {
	p := Points{Times: []time.Time{}, Values: []float64{}}
	if !to.After(from) {
		return p, targetInfo{}, nil
	}
	res, err := a.deps.Series(ctx, query.Env{Store: a.store, From: from, To: to, Now: a.now}, q)
	if err != nil {
		return p, targetInfo{}, fmt.Errorf("target %s query: %w", q.QueryType, err)
	}
	info := targetInfo{name: res.Name, unit: res.Unit, decimals: res.Decimals}
	if !res.Bucketed {
		return p, info, fmt.Errorf("the target gives one value, not a series over time: give it a bucket such as 1d")
	}
	if len(res.Series) > 1 {
		return p, info, fmt.Errorf("the target gives %d series; an event targets one: narrow it with filters", len(res.Series))
	}
	for _, s := range res.Series {
		for i, v := range s.Values {
			if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
				continue
			}
			p.Times = append(p.Times, s.Times[i])
			p.Values = append(p.Values, *v)
		}
	}
	return p, info, nil
}

// AnalyzeEvent measures one stored event's impact at now: what `kaizen impact --db`
// prints, and what the impact query computes for the event.
func (d Deps) AnalyzeEvent(ctx context.Context, st store.Store, now time.Time, id string, s Settings) (*Analysis, error) {
	e, err := Get(ctx, st, id)
	if err != nil {
		return nil, err
	}
	return analyzer{deps: d, store: st, now: now, settings: s}.Analyze(ctx, e)
}
