package drift

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// FuzzNumeric runs every numeric statistic on arbitrary windows (every float64
// bit pattern, or small integers with many ties) and options. Whatever the input:
// no panic; an error wraps one of the package's sentinel errors; a result lies in
// its statistic's range (PSI >= 0, KS D and p in [0, 1], JSD in [0, 1],
// Wasserstein >= 0 and finite); and allocations stay proportional to the windows
// and the bins asked for.
//
//	go test ./pkg/stats/drift -run '^$' -fuzz FuzzNumeric -fuzztime 2m
func FuzzNumeric(f *testing.F) {
	var ks struct {
		Cases []struct {
			Reference []jnum `json:"reference"`
			Current   []jnum `json:"current"`
		} `json:"cases"`
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "drift", "ks.json"))
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &ks); err != nil {
		f.Fatal(err)
	}
	for i, c := range ks.Cases {
		if i == 6 {
			break
		}
		// The vectors' shapes (ties, constants, shifts), cut to 64 values: short
		// inputs keep the fuzzer's executions and minimization fast.
		ref, cur := jnums(c.Reference), jnums(c.Current)
		f.Add(byte(0), floatBytes(ref[:min(64, len(ref))]), floatBytes(cur[:min(64, len(cur))]), 10, 0.0, 0.0)
	}
	f.Add(byte(0), floatBytes([]float64{1e308, -1e308, 0}), floatBytes([]float64{math.MaxFloat64, -math.MaxFloat64}), 3, 0.0, 0.0)
	f.Add(byte(0), floatBytes([]float64{math.NaN(), 1}), floatBytes([]float64{math.Inf(1)}), 10, 0.0, 0.0)
	f.Add(byte(1), []byte{1, 1, 1, 1, 2, 3}, []byte{1, 1, 9, 9}, 4, 0.2, 1e-4)
	f.Add(byte(1), []byte{7}, []byte{7, 7, 8}, 2, 0.1, 0.5)
	f.Add(byte(2), []byte{0, 1, 0, 2, 0, 3}, []byte{0, 4}, 1<<20, -1.0, math.NaN())
	f.Fuzz(func(t *testing.T, mode byte, refBytes, curBytes []byte, bins int, threshold, epsilon float64) {
		defer watchdog(10 * time.Second)()
		ref, cur := decodeWindow(mode, refBytes), decodeWindow(mode, curBytes)
		n := len(ref) + len(cur)
		var before runtime.MemStats
		runtime.ReadMemStats(&before)

		if r, err := PSI(ref, cur, PSIOptions{Bins: bins, Epsilon: epsilon, Threshold: threshold}); checkErr(t, "psi", err) {
			inRange(t, "psi", r.Statistic, 0, math.MaxFloat64)
		}
		if r, err := JSD(ref, cur, JSDOptions{Bins: bins, Threshold: threshold}); checkErr(t, "jsd", err) {
			inRange(t, "jsd", r.Statistic, 0, 1+1e-12)
		}
		for _, m := range []KSMode{KSAuto, KSExact, KSAsymp} {
			if len(ref)*len(cur) > 1<<16 && m == KSExact {
				continue // exact is O(n1*n2); the fuzzer's windows are small, its long runs need not be
			}
			start := time.Now()
			r, err := KS(ref, cur, KSOptions{Mode: m, Alpha: threshold})
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("ks %s of %d and %d values took %s", m, len(ref), len(cur), d)
			}
			if checkErr(t, "ks", err) {
				inRange(t, "ks D", r.Statistic, 0, 1)
				if !(math.IsNaN(r.PValue) && r.Mode == KSAsymp && len(ref) == 1 && len(cur) == 1) { // scipy's NaN too
					inRange(t, "ks p", r.PValue, 0, 1)
				}
			}
		}
		if s, err := WassersteinOf(ref, cur); checkErr(t, "wasserstein", err) {
			inRange(t, "wasserstein", s.Distance, 0, math.MaxFloat64)
			inRange(t, "reference std", s.ReferenceStd, 0, math.MaxFloat64)
			// +Inf for a constant reference, or when distance/std overflows (a
			// reference spread of 1e-67 against a distance of 1e250): "more standard
			// deviations than float64 holds" is still the right verdict, drifted.
			if math.IsNaN(s.Normed) || s.Normed < 0 || (s.ReferenceStd == 0 && s.Distance > 0 && !math.IsInf(s.Normed, 1)) {
				t.Fatalf("normed wasserstein %v with reference std %v", s.Normed, s.ReferenceStd)
			}
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		// Sorted copies and edges: a few words per value and per bin asked for (an
		// option nobody bounded would show up here as gigabytes).
		if grew, bound := after.TotalAlloc-before.TotalAlloc, uint64(1<<20+256*n+64*max(bins, 0)); grew > bound {
			t.Fatalf("%d values and %d bins allocated %d bytes, more than %d", n, bins, grew, bound)
		}
	})
}

// FuzzCategorical runs chi-square, PSI and JSD over categories: any strings,
// invalid UTF-8 included.
func FuzzCategorical(f *testing.F) {
	f.Add("a,b,b,c", "a,a,d", 0.05, false)
	f.Add("x", "x", 0.0, true)
	f.Add("", "a", 0.0, false)
	f.Add("\xff,\x00,é", "\xff", 1.5, false)
	f.Fuzz(func(t *testing.T, refText, curText string, alpha float64, noYates bool) {
		ref, cur := splitCats(refText), splitCats(curText)
		if r, err := ChiSquare(ref, cur, ChiSquareOptions{Alpha: alpha, NoYates: noYates}); checkErr(t, "chisquare", err) {
			inRange(t, "chi-square", r.Statistic, 0, math.MaxFloat64)
			inRange(t, "chi-square p", r.PValue, 0, 1)
			if r.DOF != len(r.Categories)-1 {
				t.Fatalf("%d degrees of freedom for %d categories", r.DOF, len(r.Categories))
			}
		}
		if r, err := PSICategories(ref, cur, PSIOptions{}); checkErr(t, "psi", err) {
			inRange(t, "psi", r.Statistic, 0, math.MaxFloat64)
		}
		if r, err := JSDFromCategoryCounts(CountCategories(ref), CountCategories(cur), JSDOptions{}); checkErr(t, "jsd", err) {
			inRange(t, "jsd", r.Statistic, 0, 1+1e-12)
		}
	})
}

// FuzzCheckCuts: caller-given bin edges are accepted only strictly ascending and
// finite, and PSI over them then works.
func FuzzCheckCuts(f *testing.F) {
	f.Add(floatBytes([]float64{math.Inf(-1), 0, 1, math.Inf(1)}), floatBytes([]float64{0.5, 2, -3}))
	f.Add(floatBytes([]float64{1, 1}), floatBytes([]float64{1}))
	f.Add(floatBytes([]float64{math.NaN()}), floatBytes([]float64{1}))
	f.Fuzz(func(t *testing.T, cutBytes, valueBytes []byte) {
		cuts, values := bytesFloats(cutBytes), bytesFloats(valueBytes)
		got, err := CheckCuts(cuts)
		if !checkErr(t, "cuts", err) {
			return
		}
		for i, c := range got {
			if math.IsNaN(c) || math.IsInf(c, 0) || (i > 0 && c <= got[i-1]) {
				t.Fatalf("CheckCuts(%v) = %v: not finite and ascending", cuts, got)
			}
		}
		if r, err := PSIWithEdges(values, values, got, PSIOptions{}); checkErr(t, "psi with edges", err) && r.Statistic != 0 {
			t.Fatalf("PSI of a window against itself is %v", r.Statistic)
		}
	})
}

// watchdog crashes the fuzz worker, with every goroutine's stack, when one input
// runs longer than limit: the fuzzer then keeps the input as a crasher. Start it
// with defer watchdog(limit)().
func watchdog(limit time.Duration) (stop func()) {
	timer := time.AfterFunc(limit, func() {
		debug.SetTraceback("all")
		panic(fmt.Sprintf("one input ran longer than %s", limit))
	})
	return func() { timer.Stop() }
}

// checkErr reports whether err is nil, failing when it wraps none of the sentinels.
func checkErr(t *testing.T, what string, err error) bool {
	t.Helper()
	if err == nil {
		return true
	}
	for _, s := range []error{ErrEmpty, ErrNonFinite, ErrUnsorted, ErrCount, ErrBadOption} {
		if errors.Is(err, s) {
			return false
		}
	}
	t.Fatalf("%s: error %q wraps no sentinel error", what, err)
	return false
}

func inRange(t *testing.T, what string, v, lo, hi float64) {
	t.Helper()
	if math.IsNaN(v) || v < lo || v > hi {
		t.Fatalf("%s = %v, want within [%v, %v]", what, v, lo, hi)
	}
}

func jnums(xs []jnum) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// decodeWindow reads a window: mode 0 as float64 bits (any value), mode 1 as
// bytes (small integers, many ties), mode 2 as int16 hundredths.
func decodeWindow(mode byte, b []byte) []float64 {
	switch mode % 3 {
	case 1:
		out := make([]float64, len(b))
		for i, c := range b {
			out[i] = float64(c)
		}
		return out
	case 2:
		out := make([]float64, len(b)/2)
		for i := range out {
			out[i] = float64(int16(binary.LittleEndian.Uint16(b[2*i:]))) / 100
		}
		return out
	}
	return bytesFloats(b)
}

func floatBytes(xs []float64) []byte {
	out := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(x))
	}
	return out
}

func bytesFloats(b []byte) []float64 {
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func splitCats(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
