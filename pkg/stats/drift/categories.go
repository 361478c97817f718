package drift

import (
	"fmt"
	"maps"
	"slices"
)

// BinnedResult is a result over shared bins, with the bins and counts used
// (numeric bins as cut points, categorical bins as labels).
type BinnedResult struct {
	Result
	Cuts       []float64 // numeric forms: interior cut points (see Edges)
	Categories []string  // category forms: labels, sorted
	Reference  []int64   // counts per bin
	Current    []int64
}

// CountCategories counts each distinct value. Memory is O(categories).
func CountCategories(values []string) map[string]int64 {
	m := make(map[string]int64)
	for _, v := range values {
		m[v]++
	}
	return m
}

// alignCategories lays both windows' counts over the sorted union of their
// categories: a category seen only in one window gets a zero in the other,
// so a category new in current counts against the reference.
func alignCategories(ref, cur map[string]int64) (cats []string, r, c []int64, err error) {
	if err := checkCategoryCounts("reference", ref); err != nil {
		return nil, nil, nil, err
	}
	if err := checkCategoryCounts("current", cur); err != nil {
		return nil, nil, nil, err
	}
	union := maps.Clone(ref)
	for k := range cur {
		union[k] += 0
	}
	cats = slices.Sorted(maps.Keys(union))
	r = make([]int64, len(cats))
	c = make([]int64, len(cats))
	for i, k := range cats {
		r[i], c[i] = ref[k], cur[k]
	}
	return cats, r, c, nil
}

func checkCategoryCounts(window string, m map[string]int64) error {
	var total int64
	for k, v := range m {
		if v < 0 {
			return fmt.Errorf("%s window, category %q: negative count %d: %w", window, k, v, ErrBadOption)
		}
		total += v
	}
	if total == 0 {
		return fmt.Errorf("%s window: %w", window, ErrEmpty)
	}
	return nil
}
