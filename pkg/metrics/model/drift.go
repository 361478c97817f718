package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/stats/drift"
)

// featureDrift is one drift statistic of one feature over every current window.
type featureDrift struct {
	model, feature, kind string
	cells                []driftCell // one per span
}

// driftCell is the statistic of one current window; without a result, note says why.
type driftCell struct {
	result     drift.Result
	ok         bool
	refN, curN int64
	note       string
}

// value is what a drift series carries for the cell, nil when there is none.
func (c driftCell) value(output string) *float64 {
	if !c.ok {
		return nil
	}
	v := c.result.Statistic
	switch output {
	case OutputPValue:
		v = c.result.PValue
	case OutputDrifted:
		v = 0
		if c.result.Drifted {
			v = 1
		}
	}
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// computeDrift computes a drift statistic for every model and feature of the plan.
func (p *plan) computeDrift(ctx context.Context, metric string, threshold float64) ([]featureDrift, []string, error) {
	var out []featureDrift
	skipped := map[string][]string{}
	for _, m := range p.models {
		src := source{st: p.env.Store, model: m, versions: p.versions}
		if p.opts.ref.kind == RefSnapshot {
			if err := p.checkSnapshot(ctx, m); err != nil {
				return nil, nil, err
			}
		}
		features, explicit, err := p.featuresOf(ctx, src)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range features {
			kind, err := src.featureKind(ctx, f)
			if err != nil {
				return nil, nil, err
			}
			fd := featureDrift{model: m, feature: f, kind: kind, cells: make([]driftCell, len(p.spans))}
			switch {
			case kind == "":
				for i := range fd.cells {
					fd.cells[i].note = fmt.Sprintf("model %s has no observations of feature %s", m, f)
				}
			case !appliesTo(metric, kind):
				if explicit {
					return nil, nil, fmt.Errorf("feature %s of model %s is %s: %s applies to %s features; use %s", f, m, kind, metric, otherKind(kind), strings.Join(metricsFor(kind), ", "))
				}
				skipped[kind] = append(skipped[kind], m+"/"+f)
				continue
			default:
				c := driftCalc{p: p, src: src, feature: f, kind: kind, metric: metric, threshold: threshold, cells: fd.cells}
				if err := c.run(ctx); err != nil {
					return nil, nil, err
				}
			}
			out = append(out, fd)
		}
	}
	var notices []string
	for _, kind := range []string{Categorical, Numeric} {
		if len(skipped[kind]) > 0 {
			notices = append(notices, fmt.Sprintf("%s applies to %s features: %s features left out: %s", metric, otherKind(kind), kind, strings.Join(skipped[kind], ", ")))
		}
	}
	return out, notices, nil
}

func otherKind(kind string) string {
	if kind == Numeric {
		return Categorical
	}
	return Numeric
}

// metricsFor lists the drift statistics defined for a kind of feature.
func metricsFor(kind string) []string {
	var out []string
	for _, m := range driftMetrics {
		if appliesTo(m, kind) {
			out = append(out, m)
		}
	}
	return out
}

// driftCalc computes one statistic of one feature for every span.
type driftCalc struct {
	p         *plan
	src       source
	feature   string
	kind      string
	metric    string
	threshold float64
	cells     []driftCell
}

// refGroup is a reference window and the spans compared with it.
type refGroup struct {
	ref   window
	spans []int
}

func (c *driftCalc) run(ctx context.Context) error {
	for _, g := range c.p.refGroups() {
		var err error
		switch {
		case c.kind == Categorical:
			err = c.categorical(ctx, g)
		case c.metric == PSI || c.metric == JSD:
			err = c.binned(ctx, g)
		default:
			err = c.sortedPairs(ctx, g)
		}
		if err != nil {
			return fmt.Errorf("%s of feature %s of model %s: %w", c.metric, c.feature, c.src.model, err)
		}
	}
	return nil
}

// emptyRef marks every span of a group when its reference has no observations.
func (c *driftCalc) emptyRef(g refGroup) {
	for _, i := range g.spans {
		c.cells[i].note = fmt.Sprintf("no observations of %s in the reference window (%s)", c.feature, g.ref)
	}
}

func (c *driftCalc) emptyCur(i int) {
	sp := c.p.spans[i]
	c.cells[i].note = fmt.Sprintf("no observations of %s in the current window (%s)", c.feature, window{from: sp.from, to: sp.to})
}

// binned: PSI or JSD of a numeric feature over the reference's quantile bins. The
// reference is read sorted once for its cut points (QuantileEdges keeps O(bins)
// values) and once in time order for its counts; the current windows are binned in
// one time-ordered pass over their hull, a histogram per span.
func (c *driftCalc) binned(ctx context.Context, g refGroup) error {
	nRef, err := c.src.count(ctx, c.feature, Numeric, g.ref)
	if err != nil {
		return err
	}
	if nRef == 0 {
		c.emptyRef(g)
		return nil
	}
	edges, refCounts, err := c.referenceBins(ctx, g.ref, nRef)
	if err != nil {
		return err
	}
	hists := make(map[int]*drift.Histogram, len(g.spans))
	for _, i := range g.spans {
		hists[i] = drift.NewHistogram(edges.Cuts)
	}
	if err := c.scanSpans(ctx, g, func(i int, v float64, _ string) error { return hists[i].Add(v) }); err != nil {
		return err
	}
	for _, i := range g.spans {
		h := hists[i]
		c.cells[i].refN, c.cells[i].curN = nRef, h.N()
		if h.N() == 0 {
			c.emptyCur(i)
			continue
		}
		var res drift.Result
		if c.metric == PSI {
			res, err = drift.PSIFromCounts(refCounts, h.Counts(), drift.PSIOptions{Bins: c.p.opts.bins, Threshold: c.threshold})
		} else {
			res, err = drift.JSDFromCounts(refCounts, h.Counts(), drift.JSDOptions{Bins: c.p.opts.bins, Threshold: c.threshold})
		}
		if err != nil {
			return err
		}
		if n := edges.Note(); n != "" {
			res.Notes = append(res.Notes, n)
		}
		c.cells[i].result, c.cells[i].ok = res, true
	}
	return nil
}

// referenceBins returns the reference's quantile cut points and counts: stored by a
// snapshot for this number of bins, or computed from the window.
func (c *driftCalc) referenceBins(ctx context.Context, ref window, nRef int64) (drift.Edges, []int64, error) {
	bins := c.p.opts.bins
	if ref.snapshot != "" {
		cuts, counts, ok, err := c.src.snapshotBins(ctx, c.feature, ref.snapshot, bins)
		if err != nil {
			return drift.Edges{}, nil, err
		}
		if ok {
			return drift.Edges{Cuts: cuts, Requested: bins, Collapsed: bins - len(counts)}, counts, nil
		}
	}
	edges, err := c.edges(ctx, ref, nRef)
	if err != nil {
		return drift.Edges{}, nil, err
	}
	var counts []int64
	if ref.snapshot != "" {
		s, err := c.src.sorted(ctx, c.feature, ref)
		if err != nil {
			return drift.Edges{}, nil, err
		}
		defer s.Close()
		counts, err = drift.CountBins("reference", edges.Cuts, s)
		if err != nil {
			return drift.Edges{}, nil, err
		}
	} else {
		h := drift.NewHistogram(edges.Cuts)
		if err := c.src.scan(ctx, c.feature, Numeric, ref.from, ref.to, func(_ int64, v float64, _ string) error { return h.Add(v) }); err != nil {
			return drift.Edges{}, nil, err
		}
		counts = h.Counts()
	}
	return edges, counts, nil
}

// edges reads the reference sorted once; a count changed by a concurrent ingest
// between the count and the read is retried once with a fresh count.
func (c *driftCalc) edges(ctx context.Context, ref window, nRef int64) (drift.Edges, error) {
	for attempt := 0; ; attempt++ {
		s, err := c.src.sorted(ctx, c.feature, ref)
		if err != nil {
			return drift.Edges{}, err
		}
		e, err := drift.QuantileEdges(s, int(nRef), c.p.opts.bins)
		s.Close()
		if errors.Is(err, drift.ErrCount) && attempt == 0 {
			if nRef, err = c.src.count(ctx, c.feature, Numeric, ref); err != nil {
				return drift.Edges{}, err
			}
			if nRef > 0 {
				continue
			}
			return drift.Edges{}, fmt.Errorf("the reference window (%s) emptied while it was read", ref)
		}
		return e, err
	}
}

// scanSpans reads the hull of a group's spans once, in time order, and hands each
// observation to the span that holds it.
func (c *driftCalc) scanSpans(ctx context.Context, g refGroup, fn func(span int, v float64, cat string) error) error {
	from, to := c.p.spans[g.spans[0]].from, c.p.spans[g.spans[len(g.spans)-1]].to
	return c.src.scan(ctx, c.feature, c.kind, from, to, func(at int64, v float64, cat string) error {
		i := c.p.spanOf(at)
		if i < 0 {
			return nil
		}
		return fn(i, v, cat)
	})
}

// sortedPairs: KS or Wasserstein of a numeric feature, from the reference and each
// current window streamed side by side in ascending order (O(1) memory each).
func (c *driftCalc) sortedPairs(ctx context.Context, g refGroup) error {
	nRef, err := c.src.count(ctx, c.feature, Numeric, g.ref)
	if err != nil {
		return err
	}
	if nRef == 0 {
		c.emptyRef(g)
		return nil
	}
	for _, i := range g.spans {
		sp := c.p.spans[i]
		cur := window{from: sp.from, to: sp.to}
		nCur, err := c.src.count(ctx, c.feature, Numeric, cur)
		if err != nil {
			return err
		}
		c.cells[i].refN, c.cells[i].curN = nRef, nCur
		if nCur == 0 {
			c.emptyCur(i)
			continue
		}
		res, err := c.pair(ctx, g.ref, nRef, cur, nCur)
		if errors.Is(err, drift.ErrCount) { // a concurrent ingest changed a window: count again, once
			if nRef, err = c.src.count(ctx, c.feature, Numeric, g.ref); err == nil {
				if nCur, err = c.src.count(ctx, c.feature, Numeric, cur); err == nil && nRef > 0 && nCur > 0 {
					c.cells[i].refN, c.cells[i].curN = nRef, nCur
					res, err = c.pair(ctx, g.ref, nRef, cur, nCur)
				}
			}
		}
		if err != nil {
			return err
		}
		c.cells[i].result, c.cells[i].ok = res, true
	}
	return nil
}

func (c *driftCalc) pair(ctx context.Context, ref window, nRef int64, cur window, nCur int64) (drift.Result, error) {
	rs, err := c.src.sorted(ctx, c.feature, ref)
	if err != nil {
		return drift.Result{}, err
	}
	defer rs.Close()
	cs, err := c.src.sorted(ctx, c.feature, cur)
	if err != nil {
		return drift.Result{}, err
	}
	defer cs.Close()
	if c.metric == KS {
		r, err := drift.KSSorted(rs, int(nRef), cs, int(nCur), drift.KSOptions{Alpha: c.threshold})
		return r.Result, err
	}
	st, err := drift.WassersteinSorted(rs, int(nRef), cs, int(nCur))
	if err != nil {
		return drift.Result{}, err
	}
	if c.metric == WassersteinNormed {
		return st.NormedResult(c.threshold), nil
	}
	r := st.Raw(c.threshold)
	if c.threshold == 0 {
		r.Notes = append(r.Notes, "raw Wasserstein is in the feature's units and has no default threshold: set model.threshold to flag drift, or use wasserstein_normed")
	}
	return r, nil
}

// categorical: PSI, JSD or chi-square over the union of categories, from category
// counts (O(categories) memory).
func (c *driftCalc) categorical(ctx context.Context, g refGroup) error {
	var ref map[string]int64
	var err error
	if g.ref.snapshot != "" {
		ref, err = c.src.snapshotCategories(ctx, c.feature, g.ref.snapshot)
	} else {
		ref = map[string]int64{}
		err = c.src.scan(ctx, c.feature, Categorical, g.ref.from, g.ref.to, func(_ int64, _ float64, cat string) error {
			ref[cat]++
			return nil
		})
	}
	if err != nil {
		return err
	}
	var nRef int64
	for _, n := range ref {
		nRef += n
	}
	if nRef == 0 {
		c.emptyRef(g)
		return nil
	}
	cur := make(map[int]map[string]int64, len(g.spans))
	for _, i := range g.spans {
		cur[i] = map[string]int64{}
	}
	if err := c.scanSpans(ctx, g, func(i int, _ float64, cat string) error {
		cur[i][cat]++
		return nil
	}); err != nil {
		return err
	}
	for _, i := range g.spans {
		var nCur int64
		for _, n := range cur[i] {
			nCur += n
		}
		c.cells[i].refN, c.cells[i].curN = nRef, nCur
		if nCur == 0 {
			c.emptyCur(i)
			continue
		}
		res, err := c.categoryResult(ref, cur[i])
		if err != nil {
			return err
		}
		if added := newCategories(ref, cur[i]); len(added) > 0 {
			res.Notes = append(res.Notes, "categories not in the reference: "+strings.Join(added, ", "))
		}
		c.cells[i].result, c.cells[i].ok = res, true
	}
	return nil
}

func (c *driftCalc) categoryResult(ref, cur map[string]int64) (drift.Result, error) {
	switch c.metric {
	case PSI:
		r, err := drift.PSIFromCategoryCounts(ref, cur, drift.PSIOptions{Threshold: c.threshold})
		return r.Result, err
	case JSD:
		r, err := drift.JSDFromCategoryCounts(ref, cur, drift.JSDOptions{Threshold: c.threshold})
		return r.Result, err
	}
	r, err := drift.ChiSquareFromCounts(ref, cur, drift.ChiSquareOptions{Alpha: c.threshold})
	return r.Result, err
}

// newCategories lists the categories of current that the reference never saw.
func newCategories(ref, cur map[string]int64) []string {
	var out []string
	for k := range cur {
		if ref[k] == 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("and %d more", len(out)-10))
	}
	return out
}
