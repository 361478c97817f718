package drift

import (
	"fmt"

	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSquareOptions configures ChiSquare. Zero values take the defaults.
type ChiSquareOptions struct {
	Alpha float64 // drift when p < Alpha; default 0.05
	// NoYates turns off Yates' continuity correction (scipy's
	// correction=False). By default, as in scipy, it applies only when the
	// table has one degree of freedom, i.e. exactly two categories.
	NoYates bool
}

// ChiSquareResult adds the degrees of freedom (categories - 1).
type ChiSquareResult struct {
	BinnedResult
	DOF int
}

// ChiSquareFromCounts runs Pearson's chi-square test of homogeneity on the
// 2 x K table (reference, current) x (union of categories), matching
// scipy.stats.chi2_contingency(table) with its default correction=True:
// expected = row total * column total / grand total; with one degree of
// freedom each observed count moves up to 0.5 toward its expectation
// (Yates); with zero degrees of freedom (a single category) the statistic
// is 0 and p is 1. A category present only in current is a column with a
// zero reference count, so it counts. Memory O(categories).
func ChiSquareFromCounts(ref, cur map[string]int64, opt ChiSquareOptions) (ChiSquareResult, error) {
	alpha := orDefault(opt.Alpha, DefaultAlpha)
	cats, r, c, err := alignCategories(ref, cur)
	if err != nil {
		return ChiSquareResult{}, fmt.Errorf("chisquare: %w", err)
	}
	var rt, ct int64
	for k := range cats {
		rt += r[k]
		ct += c[k]
	}
	dof := len(cats) - 1
	stat, p := 0.0, 1.0
	var notes []string
	if dof > 0 {
		total := float64(rt + ct)
		yates := dof == 1 && !opt.NoYates
		if yates {
			notes = append(notes, "Yates continuity correction applied (one degree of freedom)")
		}
		for _, row := range []struct {
			obs   []int64
			total int64
		}{{r, rt}, {c, ct}} {
			for k := range cats {
				e := float64(row.total) * float64(r[k]+c[k]) / total
				o := float64(row.obs[k])
				if yates {
					o += min(0.5, abs(e-o)) * sign(e-o)
				}
				stat += (o - e) * (o - e) / e
			}
		}
		p = distuv.ChiSquared{K: float64(dof)}.Survival(stat)
	}
	res := testResult(MethodChiSquare, stat, p, alpha)
	res.Notes = notes
	return ChiSquareResult{
		BinnedResult: BinnedResult{Result: res, Categories: cats, Reference: r, Current: c},
		DOF:          dof,
	}, nil
}

// ChiSquare is ChiSquareFromCounts over raw category values.
func ChiSquare(reference, current []string, opt ChiSquareOptions) (ChiSquareResult, error) {
	return ChiSquareFromCounts(CountCategories(reference), CountCategories(current), opt)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
