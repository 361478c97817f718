package impact

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// FuzzAnalyze compares arbitrary windows (every float64 bit pattern) with
// arbitrary options. Whatever the input: no panic; bad values and options are
// errors; a verdict is one of the four; p-values and intervals are in range; and
// allocations stay proportional to the windows and the resamples allowed
// (MaxResamples bounds what a query may ask for).
//
//	go test ./pkg/stats/impact -run '^$' -fuzz FuzzAnalyze -fuzztime 2m
func FuzzAnalyze(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "impact", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var c struct {
			Better string    `json:"better"`
			Alpha  float64   `json:"alpha"`
			MinN   int       `json:"min_n"`
			Before []float64 `json:"before"`
			After  []float64 `json:"after"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		f.Add(floatBytes(c.Before[:min(48, len(c.Before))]), floatBytes(c.After[:min(48, len(c.After))]), c.Better, c.Alpha, c.MinN, uint64(1), 200)
	}
	f.Add(floatBytes([]float64{1e308, -1e308, 0}), floatBytes([]float64{math.MaxFloat64, 1}), "lower", 0.0, 2, uint64(0), 0)
	f.Add(floatBytes([]float64{math.NaN()}), floatBytes([]float64{1}), "higher", 0.5, 0, uint64(9), 1<<40)
	f.Fuzz(func(t *testing.T, beforeBytes, afterBytes []byte, better string, alpha float64, minN int, seed uint64, resamples int) {
		before, after := bytesFloats(beforeBytes), bytesFloats(afterBytes)
		var m0 runtime.MemStats
		runtime.ReadMemStats(&m0)
		r, err := Analyze(before, after, Options{Better: Direction(better), Alpha: alpha, MinN: minN, Seed: seed, Resamples: resamples})
		var m1 runtime.MemStats
		runtime.ReadMemStats(&m1)
		n := len(before) + len(after)
		if grew, bound := m1.TotalAlloc-m0.TotalAlloc, uint64(1<<20+64*n+8*MaxResamples); grew > bound {
			t.Fatalf("%d values and %d resamples allocated %d bytes, more than %d", n, resamples, grew, bound)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		switch r.Verdict {
		case Improved, Worsened, NoEvidence:
			if r.Test == nil || r.CI95 == nil || math.IsNaN(r.Test.P) || r.Test.P < 0 || r.Test.P > 1 {
				t.Fatalf("verdict %s with test %+v and interval %+v", r.Verdict, r.Test, r.CI95)
			}
			if r.CI95.Lo > r.CI95.Hi {
				t.Fatalf("interval %v..%v is reversed", r.CI95.Lo, r.CI95.Hi)
			}
		case InsufficientData:
			if r.Needed.Before <= 0 && r.Needed.After <= 0 {
				t.Fatalf("insufficient data with nothing needed: %+v", r.Needed)
			}
		default:
			t.Fatalf("verdict %q", r.Verdict)
		}
	})
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
