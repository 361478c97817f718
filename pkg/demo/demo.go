// Package demo generates the shipped demo data set: months of a fictional
// company's operations (incidents, deployments, alerts, postmortems, SLOs, a
// value stream, a drifting model, tool adoption, KPIs and kaizen events) that
// tell the stories the dashboards are built to show. Everything is written
// through the ingest kinds and the resource-level helpers the data source's API
// uses, so the demo passes the same validation as any sender.
//
// Deterministic: the same seed and anchor give the same rows, byte for byte; the
// data relative to the anchor is the same whatever the anchor (docs/dashboards.md).
package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// Limits of the history length.
const (
	MinMonths = 1
	MaxMonths = 36
	// fullStoryDays is the history the story's dates are laid out for; shorter
	// histories squeeze them proportionally.
	fullStoryDays = 180
)

// Options choose a data set.
type Options struct {
	// Seed picks the random draws; the same seed gives the same data set.
	Seed uint64
	// Months of history ending at Anchor.
	Months int
	// Anchor is the end of the history ("now" of the data set); truncated to the second.
	Anchor time.Time
	// By is written as the author of definitions (changed_by); default "kaizen demo".
	By string
}

// Summary says what was generated.
type Summary struct {
	Seed   uint64    `json:"seed"`
	Months int       `json:"months"`
	From   time.Time `json:"from"`
	Anchor time.Time `json:"anchor"`
	// Stored counts the records written per kind (and definitions per resource).
	Stored map[string]int `json:"stored"`
	// Story lists the dated events the dashboards show, oldest first.
	Story []StoryEvent `json:"story"`
}

// StoryEvent is one thing the demo's dashboards are meant to show.
type StoryEvent struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

// timeline places the story relative to the anchor.
type timeline struct {
	anchor, start time.Time
	// scale squeezes the story's offsets into histories shorter than fullStoryDays.
	scale float64
}

// ago is the instant d before the anchor, squeezed for short histories.
func (tl timeline) ago(d time.Duration) time.Time {
	return tl.anchor.Add(-time.Duration(float64(d) * tl.scale)).Truncate(time.Second)
}

// span scales a duration of the story (a baseline, a regression's delay).
func (tl timeline) span(d time.Duration) time.Duration {
	return time.Duration(float64(d) * tl.scale).Truncate(time.Second)
}

// days is the number of whole days in the history.
func (tl timeline) days() int { return int(tl.anchor.Sub(tl.start) / day) }

const day = 24 * time.Hour

// Story dates, before the anchor (for a full history; see timeline.ago).
const (
	imageCDNAgo        = 100 * day // kaizen: image CDN cuts web p95...
	imageCDNRegression = 45 * day  // ...until the gain is lost this long after
	runbooksAgo        = 80 * day  // kaizen: runbook automation halves MTTR
	modelV4Ago         = 60 * day  // churn model v4 deployed
	alertNoiseAgo      = 50 * day  // kaizen: alert noise reduction
	outageAgo          = 24 * day  // checkout's payment provider outage: the SLA breach
	driftAgo           = 21 * day  // churn model inputs drift
	backlogShiftAgo    = 9 * day   // support backlog jumps: special-cause variation
	searchIncidentAgo  = 50 * time.Minute
)

// Generate writes a demo data set into st, which should be empty: re-running on
// the same store replaces the records (every kind is keyed), but definitions that
// already exist are an error.
func Generate(ctx context.Context, st store.Store, opts Options) (Summary, error) {
	if opts.Months < MinMonths || opts.Months > MaxMonths {
		return Summary{}, fmt.Errorf("months %d: use %d to %d", opts.Months, MinMonths, MaxMonths)
	}
	if opts.Anchor.IsZero() {
		return Summary{}, errors.New("anchor is required (the end of the history)")
	}
	if opts.By == "" {
		opts.By = "kaizen demo"
	}
	anchor := opts.Anchor.UTC().Truncate(time.Second)
	start := anchor.AddDate(0, -opts.Months, 0)
	tl := timeline{anchor: anchor, start: start, scale: min(1, anchor.Sub(start).Hours()/24/fullStoryDays)}
	g := &gen{seed: opts.Seed, tl: tl, w: &writer{st: st, now: anchor, by: opts.By, stored: map[string]int{}}}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"deployments", g.deployments},
		{"incidents", g.incidents},
		{"alert events", g.alertEvents},
		{"postmortems", g.postmortems},
		{"SLOs", g.slos},
		{"KPIs", g.kpis},
		{"value streams", g.flow},
		{"model observations", g.model},
		{"adoption", g.adoption},
		{"kaizen events", g.kaizen},
	}
	for _, s := range steps {
		t0 := time.Now()
		err := s.run(ctx)
		if os.Getenv("KAIZEN_DEMO_TIMING") != "" {
			fmt.Fprintf(os.Stderr, "%s: %s\n", s.name, time.Since(t0))
		}
		if err != nil {
			return Summary{}, fmt.Errorf("demo %s: %w", s.name, err)
		}
	}
	sort.SliceStable(g.story, func(i, j int) bool { return g.story[i].At.Before(g.story[j].At) })
	return Summary{Seed: opts.Seed, Months: opts.Months, From: start, Anchor: anchor, Stored: g.w.stored, Story: g.story}, nil
}

// gen holds what one part of the data set needs from another (deployments that
// incidents name, incidents that alerts, SLIs and KPIs follow).
type gen struct {
	seed        uint64
	tl          timeline
	w           *writer
	deploys     []deployment
	incidentSet []incident
	// sli keeps each counts SLO's good/total per day, for KPIs measured from them.
	sliDaily map[string]map[time.Time][2]float64
	story    []StoryEvent
}

func (g *gen) rng(name string) rng { return stream(g.seed, name) }

func (g *gen) tell(at time.Time, what string) {
	g.story = append(g.story, StoryEvent{At: at, What: what})
}
