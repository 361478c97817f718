// Package tally accumulates events per time bucket and group into query.Result
// series: counts, ratios and summarized durations. The improvement families
// (postmortems, alertquality) classify their events in Go (episodes, themes,
// deadlines) and count them here, so empty buckets and empty groups read the same
// in every metric: 0 for counts, no value (null) for ratios and durations. Distinct
// lists their dimensions' values for editor pickers.
package tally

import (
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/summary"
)

// Tally holds per-group, per-bucket numerators, denominators and values.
type Tally struct {
	buckets query.Buckets
	from    time.Time
	to      time.Time
	starts  []time.Time // bucket starts; nil when unbucketed
	groupBy []string
	groups  map[string]*group
}

type group struct {
	key      []string
	num, den []float64
	values   [][]float64
}

// New prepares a tally over [from, to) in the given buckets (Width 0: one value
// for the range), for series grouped by groupBy.
func New(b query.Buckets, from, to time.Time, groupBy []string) *Tally {
	t := &Tally{buckets: b, from: from, to: to, groupBy: groupBy, groups: map[string]*group{}}
	if b.Width > 0 {
		t.starts = b.Range(from, to)
	}
	return t
}

// Len is the number of buckets (1 when unbucketed).
func (t *Tally) Len() int {
	if t.starts == nil {
		return 1
	}
	return len(t.starts)
}

// Index returns the bucket holding the instant ms (Unix milliseconds), and false
// when it lies outside [from, to).
func (t *Tally) Index(ms int64) (int, bool) {
	if ms < t.from.UnixMilli() || ms >= t.to.UnixMilli() {
		return 0, false
	}
	if t.starts == nil {
		return 0, true
	}
	first := t.starts[0].UnixMilli()
	return int((ms - first) / t.buckets.Width.Milliseconds()), true
}

// Bucket returns the index of the bucket starting at start (Unix ms), as SQL
// computes bucket starts (query.Buckets.SQL); 0 when unbucketed.
func (t *Tally) Bucket(start int64) int {
	if t.starts == nil {
		return 0
	}
	return int((start - t.starts[0].UnixMilli()) / t.buckets.Width.Milliseconds())
}

// Ends returns the instant each bucket is measured at by point-in-time metrics:
// its end, or the range's end when that comes first.
func (t *Tally) Ends() []time.Time {
	if t.starts == nil {
		return []time.Time{t.to}
	}
	ends := make([]time.Time, len(t.starts))
	for i, s := range t.starts {
		ends[i] = s.Add(t.buckets.Width)
		if ends[i].After(t.to) {
			ends[i] = t.to
		}
	}
	return ends
}

func (t *Tally) group(key []string) *group {
	k := strings.Join(key, "\x00")
	g, ok := t.groups[k]
	if !ok {
		n := t.Len()
		g = &group{key: append([]string(nil), key...), num: make([]float64, n), den: make([]float64, n), values: make([][]float64, n)}
		t.groups[k] = g
	}
	return g
}

// Touch makes a group's series exist even when nothing is counted in it.
func (t *Tally) Touch(key []string) { t.group(key) }

// Add adds to a group's numerator and denominator in bucket i.
func (t *Tally) Add(key []string, i int, num, den float64) {
	g := t.group(key)
	g.num[i] += num
	g.den[i] += den
}

// AddValue records a value (a duration) in a group's bucket i.
func (t *Tally) AddValue(key []string, i int, v float64) {
	g := t.group(key)
	g.values[i] = append(g.values[i], v)
}

// Counts renders the numerators: 0 where nothing was counted.
func (t *Tally) Counts(name, field, unit string) query.Result {
	return t.result(name, field, unit, func(g *group, i int) *float64 {
		v := g.num[i]
		return &v
	})
}

// Ratios renders numerator ÷ denominator: no value where the denominator is 0.
func (t *Tally) Ratios(name, field string) query.Result {
	return t.result(name, field, "percentunit", func(g *group, i int) *float64 {
		if g.den[i] == 0 {
			return nil
		}
		v := g.num[i] / g.den[i]
		return &v
	})
}

// Stats renders each bucket's values summarized by stat: no value where there
// are none (count: 0).
func (t *Tally) Stats(stat summary.Stat, name, field, unit string) query.Result {
	if stat == summary.Count {
		unit = "short"
	}
	return t.result(name, field, unit, func(g *group, i int) *float64 {
		v, ok := summary.Of(g.values[i], stat)
		if !ok {
			return nil
		}
		return &v
	})
}

// result builds one series per group, sorted by group; an ungrouped query always
// has its one series.
func (t *Tally) result(name, field, unit string, value func(g *group, i int) *float64) query.Result {
	if len(t.groupBy) == 0 {
		t.group([]string{})
	}
	res := query.Result{Name: name, FieldName: field, Unit: unit, GroupBy: t.groupBy, Bucketed: t.starts != nil}
	keys := make([]string, 0, len(t.groups))
	for k := range t.groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := t.groups[k]
		s := query.Series{Group: g.key, Values: make([]*float64, t.Len())}
		if res.Bucketed {
			s.Times = append([]time.Time(nil), t.starts...)
		}
		for i := range s.Values {
			s.Values[i] = value(g, i)
		}
		res.Series = append(res.Series, s)
	}
	return res
}
