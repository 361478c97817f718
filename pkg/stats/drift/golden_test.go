package drift

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The vectors in testdata/drift are written by scripts/golden/drift.py from
// SciPy/NumPy; these tests only read them (regenerate on purpose, never on
// failure).

const goldenTol = 1e-9

// jnum reads the script's JSON numbers: null is NaN, "inf"/"-inf" are
// infinities.
type jnum float64

func (j *jnum) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*j = jnum(math.NaN())
		return nil
	case `"inf"`:
		*j = jnum(math.Inf(1))
		return nil
	case `"-inf"`:
		*j = jnum(math.Inf(-1))
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*j = jnum(f)
	return nil
}

func loadGolden(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "drift", name))
	if err != nil {
		t.Fatalf("read golden vectors (run scripts/golden/drift.py): %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
}

// relClose compares to a relative tolerance; NaN matches NaN, infinities
// must match exactly, and an expected 0 must be met exactly.
func relClose(got, want, tol float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0) || want == 0:
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

func checkRel(t *testing.T, what string, got float64, want jnum) {
	t.Helper()
	if !relClose(got, float64(want), goldenTol) {
		t.Errorf("%s = %.17g, want %.17g (rel err %.3g)", what, got, float64(want),
			math.Abs(got-float64(want))/math.Abs(float64(want)))
	}
}

func TestGoldenKS(t *testing.T) {
	var file struct {
		Cases []struct {
			Name      string
			Reference []float64
			Current   []float64
			Expected  map[string]struct {
				Statistic jnum
				PValue    jnum `json:"p_value"`
			}
		}
	}
	loadGolden(t, "ks.json", &file)
	for _, c := range file.Cases {
		for mode, want := range c.Expected {
			t.Run(c.Name+"/"+mode, func(t *testing.T) {
				got, err := KS(c.Reference, c.Current, KSOptions{Mode: KSMode(mode)})
				if err != nil {
					t.Fatal(err)
				}
				checkRel(t, "statistic", got.Statistic, want.Statistic)
				checkRel(t, "p-value", got.PValue, want.PValue)
			})
		}
	}
}

func TestGoldenKolmogorov(t *testing.T) {
	var file struct {
		Cases []struct {
			N        int
			X        float64
			Region   string
			SF       jnum
			CDF      jnum
			CDFExact *jnum `json:"cdf_exact"`
		}
	}
	loadGolden(t, "kstwo.json", &file)
	for _, c := range file.Cases {
		t.Run(c.Region, func(t *testing.T) {
			checkRel(t, "kstwo sf", kstwoSF(c.N, c.X), c.SF)
			// Where scipy's CDF comes from the same exact or asymptotic
			// formula, check it directly: the SF near 1 says little.
			switch c.Region {
			case "durbin", "pomeranz":
				want := c.CDF
				if c.CDFExact != nil { // 40-digit reference: scipy's float64 CDF can lose digits
					want = *c.CDFExact
				}
				checkRel(t, "exact cdf", kolmogorovCDF(c.N, c.X), want)
			case "pelz_good":
				checkRel(t, "pelz-good cdf", pelzGoodCDF(c.N, c.X), c.CDF)
			}
		})
	}
}

type binnedCase struct {
	Name            string
	Reference       []float64
	Current         []float64
	Bins            int
	Given           bool
	Cuts            []float64
	Collapsed       int
	ReferenceCounts []int64 `json:"reference_counts"`
	CurrentCounts   []int64 `json:"current_counts"`
	PSI             jnum
	JSD             jnum
	JSDBaseE        jnum `json:"jsd_base_e"`
}

func TestGoldenBinned(t *testing.T) {
	var file struct{ Cases []binnedCase }
	loadGolden(t, "binned.json", &file)
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			// With the script's edges: PSI and JSD to 1e-9.
			psi, err := PSIWithEdges(c.Reference, c.Current, c.Cuts, PSIOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "psi", psi.Statistic, c.PSI)
			checkCounts(t, psi.Reference, c.ReferenceCounts, psi.Current, c.CurrentCounts)
			jsd, err := JSDWithEdges(c.Reference, c.Current, c.Cuts, JSDOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "jsd", jsd.Statistic, c.JSD)
			jsdE, err := JSDWithEdges(c.Reference, c.Current, c.Cuts, JSDOptions{Base: math.E})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "jsd base e", jsdE.Statistic, c.JSDBaseE)
			if c.Given {
				return
			}
			// With our own quantile edges: same cuts as numpy.quantile.
			own, err := PSI(c.Reference, c.Current, PSIOptions{Bins: c.Bins})
			if err != nil {
				t.Fatal(err)
			}
			if len(own.Cuts) != len(c.Cuts) {
				t.Fatalf("cuts %v, want %v", own.Cuts, c.Cuts)
			}
			for i := range own.Cuts {
				if !relClose(own.Cuts[i], c.Cuts[i], 1e-15) && math.Abs(own.Cuts[i]-c.Cuts[i]) > 1e-300 {
					t.Errorf("cut %d = %.17g, want %.17g", i, own.Cuts[i], c.Cuts[i])
				}
			}
			checkRel(t, "psi (own edges)", own.Statistic, c.PSI)
			if (c.Collapsed > 0) != (len(own.Notes) > 0) {
				t.Errorf("collapsed %d but notes %q", c.Collapsed, own.Notes)
			}
		})
	}
}

func checkCounts(t *testing.T, gotRef, wantRef, gotCur, wantCur []int64) {
	t.Helper()
	if len(gotRef) != len(wantRef) || len(gotCur) != len(wantCur) {
		t.Fatalf("bins: got %d/%d, want %d/%d", len(gotRef), len(gotCur), len(wantRef), len(wantCur))
	}
	for i := range gotRef {
		if gotRef[i] != wantRef[i] || gotCur[i] != wantCur[i] {
			t.Fatalf("counts ref %v cur %v, want %v %v", gotRef, gotCur, wantRef, wantCur)
		}
	}
}

func TestGoldenWasserstein(t *testing.T) {
	var file struct {
		Cases []struct {
			Name         string
			Reference    []float64
			Current      []float64
			Distance     jnum
			ReferenceStd jnum `json:"reference_std"`
			Normed       jnum
		}
	}
	loadGolden(t, "wasserstein.json", &file)
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			got, err := WassersteinOf(c.Reference, c.Current)
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "distance", got.Distance, c.Distance)
			checkRel(t, "reference std", got.ReferenceStd, c.ReferenceStd)
			checkRel(t, "normed", got.Normed, c.Normed)
		})
	}
}

func TestGoldenCategorical(t *testing.T) {
	var file struct {
		Cases []struct {
			Name            string
			Reference       []string
			Current         []string
			Categories      []string
			ReferenceCounts []int64 `json:"reference_counts"`
			CurrentCounts   []int64 `json:"current_counts"`
			Chi2            jnum
			PValue          jnum `json:"p_value"`
			DOF             int
			PSI             jnum
			JSD             jnum
		}
	}
	loadGolden(t, "categorical.json", &file)
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			chi, err := ChiSquare(c.Reference, c.Current, ChiSquareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(chi.Categories) != len(c.Categories) {
				t.Fatalf("categories %v, want %v", chi.Categories, c.Categories)
			}
			for i := range c.Categories {
				if chi.Categories[i] != c.Categories[i] {
					t.Fatalf("categories %v, want %v", chi.Categories, c.Categories)
				}
			}
			checkCounts(t, chi.Reference, c.ReferenceCounts, chi.Current, c.CurrentCounts)
			if chi.DOF != c.DOF {
				t.Errorf("dof %d, want %d", chi.DOF, c.DOF)
			}
			checkRel(t, "chi2", chi.Statistic, c.Chi2)
			checkRel(t, "p-value", chi.PValue, c.PValue)
			psi, err := PSICategories(c.Reference, c.Current, PSIOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "psi", psi.Statistic, c.PSI)
			jsd, err := JSDFromCategoryCounts(CountCategories(c.Reference), CountCategories(c.Current), JSDOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "jsd", jsd.Statistic, c.JSD)
		})
	}
}
