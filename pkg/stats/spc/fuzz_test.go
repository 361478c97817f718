package spc

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// FuzzCompute feeds Compute arbitrary values (every float64 bit pattern: NaN,
// ±Inf, 1e308, subnormals), sizes, times and options (JSON, as the query's spc
// object carries them). Whatever the input: no panic; an error is an *Error that
// names its field; a chart has one entry per plotted point in every column,
// violations that point inside it, limits that are finite and ordered, and its
// allocations stay proportional to the number of points.
//
//	go test ./pkg/stats/spc -run '^$' -fuzz FuzzCompute -fuzztime 2m
func FuzzCompute(f *testing.F) {
	for _, file := range []string{"xmr.json", "xbar.json", "attributes.json", "ewma.json", "cusum.json", "rules.json", "errors.json"} {
		for _, c := range fuzzSeeds(f, file) {
			opts, err := json.Marshal(c.Options)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(floatBytes(floats(c.Input.Values)), floatBytes(floats(c.Input.Sizes)), timeBytes(c.Input.Times), opts)
		}
	}
	// Values at the edges of float64, each chart.
	edge := floatBytes([]float64{1e308, -1e308, math.SmallestNonzeroFloat64, 0, math.MaxFloat64, 1e-300, 5, 5})
	counts := floatBytes([]float64{1e308, 0, math.SmallestNonzeroFloat64, 3, 1e300, 1e-300, 5, 5})
	for _, chart := range Charts {
		opts := `{"chart":"` + string(chart) + `"`
		if chart.subgrouped() {
			opts += `,"subgroup":2`
		}
		if !chart.individual() || chart == XmR {
			opts += `,"rules":["nelson","westernelectric"]`
		}
		var sizes []byte
		if chart.sized() {
			sizes = counts
		}
		f.Add(edge, sizes, []byte(nil), []byte(opts+`}`))
		f.Add(counts, sizes, []byte{1, 0, 2, 0}, []byte(opts+`}`))
	}
	f.Fuzz(func(t *testing.T, valueBytes, sizeBytes, timeDeltas, optJSON []byte) {
		var opt Options
		if json.Unmarshal(optJSON, &opt) != nil {
			return
		}
		in := Input{Values: bytesFloats(valueBytes), Sizes: bytesFloats(sizeBytes), Times: bytesTimes(timeDeltas, len(valueBytes)/8)}
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		res, err := Compute(in, opt)
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Field == "" || e.Msg == "" {
				t.Fatalf("error %v (%T) does not name its field", err, err)
			}
			return
		}
		checkChart(t, in, opt, res)
		// Each point costs its columns and at most a violation per rule with the
		// points that make it (15 at most); 4 KiB per point is far above that.
		if grew, bound := after.TotalAlloc-before.TotalAlloc, uint64(1<<20+4096*len(in.Values)); grew > bound {
			t.Fatalf("%d values allocated %d bytes, more than %d", len(in.Values), grew, bound)
		}
	})
}

func checkChart(t *testing.T, in Input, opt Options, res *Result) {
	t.Helper()
	m := len(in.Values)
	if opt.Chart.subgrouped() {
		m /= opt.Subgroup
	}
	p := res.Points
	for name, n := range map[string]int{"value": len(p.Value), "center": len(p.Center), "ucl": len(p.UCL), "lcl": len(p.LCL),
		"sigma": len(p.Sigma), "baseline": len(p.Baseline), "violations": len(p.Violations)} {
		if n != m {
			t.Fatalf("%s has %d entries for %d points", name, n, m)
		}
	}
	if in.Times != nil && len(p.Time) != m {
		t.Fatalf("%d times for %d points", len(p.Time), m)
	}
	for i := 0; i < m; i++ {
		c, u, l, s := p.Center[i], p.UCL[i], p.LCL[i], p.Sigma[i]
		if !finite3(c, u, l) || math.IsNaN(s) || math.IsInf(s, 0) {
			t.Fatalf("point %d: center %v, limits %v..%v, sigma %v are not all finite (values %v)", i, c, l, u, s, in.Values)
		}
		if l > c || c > u || s < 0 {
			t.Fatalf("point %d: limits out of order: lcl %v, center %v, ucl %v, sigma %v", i, l, c, u, s)
		}
	}
	if b := res.Baseline; b != nil && (b.First < 0 || b.Last >= m || b.First > b.Last) {
		t.Fatalf("baseline %d..%d outside %d points", b.First, b.Last, m)
	}
	for _, v := range res.Violations {
		if v.Index < 0 || v.Index >= m || len(v.Points) == 0 || !p.Violations[v.Index].Has(v.Rule) {
			t.Fatalf("violation %+v does not match the points (%d, flags %v)", v, m, p.Violations)
		}
		for j, q := range v.Points {
			if q < 0 || q > v.Index || (j > 0 && q <= v.Points[j-1]) {
				t.Fatalf("violation %+v lists points out of order or after its index", v)
			}
		}
	}
}

func finite3(a, b, c float64) bool {
	for _, v := range []float64{a, b, c} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// fuzzSeeds reads a golden vector file for the seed corpus.
func fuzzSeeds(f *testing.F, name string) []vectorCase {
	b, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		f.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(b, &vf); err != nil {
		f.Fatalf("%s: %v", name, err)
	}
	return vf.Cases
}

// floatBytes and bytesFloats map float64s to their bits, so the fuzzer reaches
// every value, NaN and infinities included.
func floatBytes(xs []float64) []byte {
	out := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(x))
	}
	return out
}

func bytesFloats(b []byte) []float64 {
	if len(b) < 8 {
		return nil
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

// timeBytes and bytesTimes carry times as signed minute steps from 2024-01-01, so
// the fuzzer can make them decrease; no bytes means no times.
var fuzzEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func timeBytes(ts []time.Time) []byte {
	if len(ts) == 0 {
		return nil
	}
	out := make([]byte, 2*len(ts))
	prev := fuzzEpoch
	for i, tm := range ts {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(int16(tm.Sub(prev)/time.Minute)))
		prev = tm
	}
	return out
}

func bytesTimes(b []byte, n int) []time.Time {
	if len(b) == 0 || n == 0 {
		return nil
	}
	out := make([]time.Time, 0, n)
	tm := fuzzEpoch
	for i := 0; i < n; i++ {
		var step int16 = 1
		if 2*i+1 < len(b) {
			step = int16(binary.LittleEndian.Uint16(b[2*i:]))
		}
		tm = tm.Add(time.Duration(step) * time.Minute)
		out = append(out, tm)
	}
	return out
}
