package slo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kaizenops/suite/pkg/metrics/slo/rollup"
	"github.com/kaizenops/suite/pkg/store"
)

// cumulative holds, per SLO, the good and total events before each of a set of
// instants, counted from the first instant. Every window a query reads runs
// between two of these instants, so it costs one subtraction.
type cumulative struct {
	instants []int64
	byID     map[string][]Counts
}

// span returns the counts of samples starting in [a, b); a and b must be instants.
func (c *cumulative) span(id string, a, b int64) Counts {
	cs := c.byID[id]
	if cs == nil || b <= a {
		return Counts{}
	}
	return cs[c.index(b)].Minus(cs[c.index(a)])
}

func (c *cumulative) index(x int64) int {
	i, ok := slices.BinarySearch(c.instants, x)
	if !ok {
		panic(fmt.Sprintf("slo: instant %d was not planned", x)) // a bug in this package, not bad input
	}
	return i
}

// reader loads counts from the store.
type reader struct {
	st store.Store
	// now ends incident downtime that is still open, and the time incident SLIs count.
	now int64
	// noRollups reads samples only: the benchmark's "before rollups" figure.
	noRollups bool
}

// levels are the cell widths read, coarsest first; 1 ms stands for the samples.
func (r reader) levels() []int64 {
	if r.noRollups {
		return []int64{1}
	}
	ws := rollup.Widths()
	out := make([]int64, 0, len(ws)+1)
	for i := len(ws) - 1; i >= 0; i-- {
		out = append(out, ws[i])
	}
	return append(out, 1)
}

// load computes the cumulative counts of the SLOs at the instants.
func (r reader) load(ctx context.Context, defs []*Definition, instants []int64) (*cumulative, error) {
	xs := slices.Clone(instants)
	slices.Sort(xs)
	xs = slices.Compact(xs)
	c := &cumulative{instants: xs, byID: map[string][]Counts{}}
	if len(xs) == 0 {
		return c, nil
	}
	var counted []string
	for _, d := range defs {
		if d.SLI == SourceIncidents {
			cs, err := r.incidentCumulative(ctx, d, xs)
			if err != nil {
				return nil, err
			}
			c.byID[d.ID] = cs
			continue
		}
		counted = append(counted, d.ID)
	}
	if len(counted) > 0 {
		if err := rollup.CatchUp(ctx, r.st); err != nil {
			return nil, err
		}
		if err := r.countsCumulative(ctx, counted, xs, c.byID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// countsCumulative sums samples before each instant x as whole days up to x's
// day, whole hours up to x's hour, then the samples of x's last partial hour:
// Q(x) = days[G0, ⌊x⌋d) + hours[⌊x⌋d, ⌊x⌋h) + samples[⌊x⌋h, x). Each level is
// one aggregate query (sumLevel); the result is counted from the first instant.
func (r reader) countsCumulative(ctx context.Context, ids []string, xs []int64, out map[string][]Counts) error {
	lv := r.levels()
	origin := floorTo(xs[0], lv[0])
	for _, id := range ids {
		out[id] = make([]Counts, len(xs))
	}
	for li, w := range lv {
		ivs := make([][2]int64, len(xs))
		for i, x := range xs {
			lo := origin
			if li > 0 {
				lo = floorTo(x, lv[li-1])
			}
			ivs[i] = [2]int64{lo, floorTo(x, w)}
		}
		err := r.sumLevel(ctx, ids, w, ivs, func(id string, i int, c Counts) {
			if cs, ok := out[id]; ok {
				cs[i] = cs[i].Plus(c)
			}
		})
		if err != nil {
			return err
		}
	}
	for _, cs := range out {
		base := cs[0]
		for i := range cs {
			cs[i] = cs[i].Minus(base)
		}
	}
	return nil
}

// maxSQLBins bounds the CASE that bins rows in SQL; beyond it rows are binned here.
const maxSQLBins = 64

// idChunk bounds the SLO ids of one query (well under both stores' parameter limits).
const idChunk = 1000

// sumLevel adds, for each instant i, the cells of width w (1: the samples) that
// start in ivs[i]. The cell starts are cut into bins at every interval end; rows
// are summed per SLO and bin (in SQL when the bins are few), and each instant
// takes the bins its interval covers. Each query names its SLOs and one range,
// so it reads every SLO's rows from the primary key (slo, at).
func (r reader) sumLevel(ctx context.Context, ids []string, w int64, ivs [][2]int64, add func(id string, i int, c Counts)) error {
	var edges []int64
	var spans [][2]int64
	for _, iv := range ivs {
		if iv[0] < iv[1] {
			edges = append(edges, iv[0], iv[1])
			spans = append(spans, iv)
		}
	}
	if len(spans) == 0 {
		return nil
	}
	slices.Sort(edges)
	edges = slices.Compact(edges)
	nbins := len(edges) - 1
	binsByID := map[string][]Counts{}
	for lo := 0; lo < len(ids); lo += idChunk {
		chunk := ids[lo:min(lo+idChunk, len(ids))]
		for _, s := range mergeSpans(spans) {
			if err := r.sumSpan(ctx, chunk, w, s, edges, binsByID); err != nil {
				return err
			}
		}
	}
	for id, bins := range binsByID {
		prefix := make([]Counts, nbins+1)
		for j, b := range bins {
			prefix[j+1] = prefix[j].Plus(b)
		}
		for i, iv := range ivs {
			if iv[0] >= iv[1] {
				continue
			}
			lo, _ := slices.BinarySearch(edges, iv[0])
			hi, _ := slices.BinarySearch(edges, iv[1])
			add(id, i, prefix[hi].Minus(prefix[lo]))
		}
	}
	return nil
}

// sumSpan sums the cells of width w starting in span s per SLO and bin.
func (r reader) sumSpan(ctx context.Context, ids []string, w int64, s [2]int64, edges []int64, binsByID map[string][]Counts) error {
	nbins := len(edges) - 1
	// Only the edges inside the span cut it.
	first := sort.Search(len(edges), func(k int) bool { return edges[k] > s[0] }) - 1
	last := sort.Search(len(edges), func(k int) bool { return edges[k] >= s[1] })
	table, col := "sli_rollups", "start"
	if w == 1 {
		table, col = "sli_samples", "at"
	}
	var a sqlArgs
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = a.p(id)
	}
	where := []string{"slo IN (" + strings.Join(marks, ", ") + ")"}
	if w > 1 {
		where = append(where, "width_ms = "+a.p(w))
	}
	where = append(where, fmt.Sprintf("%s >= %s AND %s < %s", col, a.p(s[0]), col, a.p(s[1])))
	sqlBins := last-first <= maxSQLBins
	var sqlText string
	if sqlBins {
		var bin strings.Builder
		if last-first == 1 {
			fmt.Fprintf(&bin, "%d", first)
		} else {
			bin.WriteString("CASE")
			for j := first + 1; j < last; j++ {
				fmt.Fprintf(&bin, " WHEN %s < %s THEN %d", col, a.p(edges[j]), j-1)
			}
			fmt.Fprintf(&bin, " ELSE %d END", last-1)
		}
		sqlText = fmt.Sprintf("SELECT slo, %s, SUM(good), SUM(total) FROM %s WHERE %s GROUP BY 1, 2",
			bin.String(), table, strings.Join(where, " AND "))
	} else {
		sqlText = fmt.Sprintf("SELECT slo, %s, good, total FROM %s WHERE %s", col, table, strings.Join(where, " AND "))
	}
	rows, err := r.st.QueryContext(ctx, sqlText, a.args...)
	if err != nil {
		return fmt.Errorf("reading SLI samples: %w", err)
	}
	defer rows.Close()
	var id string
	var key int64
	var c Counts
	for rows.Next() {
		if err := rows.Scan(&id, &key, &c.Good, &c.Total); err != nil {
			return fmt.Errorf("reading SLI samples: %w", err)
		}
		j := int(key)
		if !sqlBins {
			j = sort.Search(len(edges), func(k int) bool { return edges[k] > key }) - 1
		}
		bins := binsByID[id]
		if bins == nil {
			bins = make([]Counts, nbins)
			binsByID[id] = bins
		}
		bins[j] = bins[j].Plus(c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading SLI samples: %w", err)
	}
	return nil
}

// sqlArgs numbers placeholders in the order values are added.
type sqlArgs struct{ args []any }

func (a *sqlArgs) p(v any) string {
	a.args = append(a.args, v)
	return fmt.Sprintf("$%d", len(a.args))
}

// mergeSpans unions half-open spans into sorted, disjoint ones.
func mergeSpans(spans [][2]int64) [][2]int64 {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b [2]int64) int { return cmpInt(a[0], b[0]) })
	out := [][2]int64{s[0]}
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x[0] <= last[1] {
			last[1] = max(last[1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// floorTo rounds x down to a multiple of w (w ≥ 1; x ≥ 0 for stored times).
func floorTo(x, w int64) int64 {
	q := x / w
	if x < 0 && x%w != 0 {
		q--
	}
	return q * w
}
