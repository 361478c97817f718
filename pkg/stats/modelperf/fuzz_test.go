package modelperf

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"
)

// FuzzMetrics scores arbitrary predictions: scores and regression values from
// every float64 bit pattern, labels and segments from arbitrary bytes. Whatever
// the input: no panic; errors wrap ErrEmpty, ErrBadValue or ErrBadOption; rates
// are in [0, 1] or NaN (undefined, never 0 in disguise); MAE is never NaN for a
// non-empty set and RMSE >= MAE (unless the squares underflow).
//
//	go test ./pkg/stats/modelperf -run '^$' -fuzz FuzzMetrics -fuzztime 1m
func FuzzMetrics(f *testing.F) {
	f.Add(floatBytes([]float64{0.9, 0.1, 0.6, 0.4}), []byte{1, 0, 0, 1}, "ab", 0.5, 2)
	f.Add(floatBytes([]float64{math.NaN(), 2, -1, 1e308, -1e308}), []byte{1}, "\xff\x00", 0.0, 0)
	f.Add(floatBytes([]float64{1, 1, 1}), []byte{}, "", 1.0, 1)
	f.Fuzz(func(t *testing.T, scoreBytes, actual []byte, segments string, threshold float64, consecutive int) {
		scores := bytesFloats(scoreBytes)
		pairs := make([]ScorePair, len(scores))
		labels := make([]LabelPair, len(scores))
		regs := make([]RegressionPair, len(scores))
		obs := make([]SegmentOutcome, len(scores))
		drift := make([]Point, len(scores))
		for i, s := range scores {
			a := i < len(actual) && actual[i]&1 == 1
			pairs[i] = ScorePair{Score: s, Actual: a}
			seg := ""
			if len(segments) > 0 {
				seg = segments[i%len(segments) : i%len(segments)+1]
			}
			labels[i] = LabelPair{Predicted: seg, Actual: segments[:min(1, len(segments))]}
			regs[i] = RegressionPair{Predicted: s, Actual: float64(i)}
			obs[i] = SegmentOutcome{Segment: seg, Predicted: s >= 0.5, Actual: a}
			drift[i] = Point{At: time.Unix(int64(i)*60, 0), Value: s}
		}
		if c, err := ClassifyScores(pairs, threshold); ok(t, err) {
			rates(t, c.Accuracy, c.Precision, c.Recall, c.F1, c.MeanConfidence)
		}
		if c, err := ClassifyLabels(labels, segments[:min(1, len(segments))]); ok(t, err) {
			rates(t, c.Accuracy, c.Precision, c.Recall, c.F1)
		}
		if r, err := Regress(regs); ok(t, err) {
			if r.N != int64(len(regs)) || math.IsNaN(r.MAE) || r.MAE < 0 || math.IsNaN(r.RMSE) || (r.MAE > 1e-150 && r.RMSE < r.MAE*(1-1e-12)) { // squares of errors below 1e-154 underflow
				t.Fatalf("regression %+v of %d pairs", r, len(regs))
			}
		}
		if fr, err := FairnessBySegment(obs); ok(t, err) {
			for _, s := range fr.Segments {
				rates(t, s.SelectionRate, s.TruePositiveRate, s.FalsePositiveRate)
			}
			rates(t, fr.DemographicParityDifference, fr.TPRDifference, fr.FPRDifference, fr.EqualizedOddsDifference)
			if r := fr.DisparateImpactRatio; r < 0 || r > 1 {
				t.Fatalf("disparate impact ratio %v", r)
			}
		}
		if _, err := EvaluateRetrainTrigger(drift, drift, TriggerRule{DriftThreshold: threshold, Consecutive: consecutive, PerformanceThreshold: threshold}); err != nil {
			ok(t, err)
		}
	})
}

func ok(t *testing.T, err error) bool {
	t.Helper()
	if err == nil {
		return true
	}
	if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBadValue) && !errors.Is(err, ErrBadOption) {
		t.Fatalf("error %q wraps none of ErrEmpty, ErrBadValue, ErrBadOption", err)
	}
	return false
}

func rates(t *testing.T, vs ...float64) {
	t.Helper()
	for i, v := range vs {
		if !math.IsNaN(v) && (v < 0 || v > 1) {
			t.Fatalf("rate %d = %v, outside [0, 1]", i, v)
		}
	}
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
