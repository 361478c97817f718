package backtest

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRun replays the golden candidates (and whatever the fuzzer makes of their
// JSON) over arbitrary series (every float64 bit pattern, times that go back and
// forth) against arbitrary incidents. Whatever the input: no panic; a row per
// candidate whose counts add up (caught + missed = incidents, useful <= alerts)
// and whose precision and recall are in [0, 1] or NaN.
//
//	go test ./pkg/stats/backtest -run '^$' -fuzz FuzzRun -fuzztime 1m
func FuzzRun(f *testing.F) {
	cands, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "backtest", "candidates.json"))
	if err != nil {
		f.Fatal(err)
	}
	vals := make([]byte, 0, 8*40)
	for i := 0; i < 40; i++ {
		vals = binary.LittleEndian.AppendUint64(vals, math.Float64bits(60+float64(i%7)*5))
	}
	f.Add(cands, vals, []byte{1, 2, 1, 1, 1, 1, 1, 1}, []byte{5, 3, 20, 4}, int16(2))
	f.Add([]byte(`[{"type":"burn_rate","objective":99.9,"long":"1h","short":"5m","factor":14.4}]`), vals, []byte{}, []byte{0, 0}, int16(-5))
	f.Add([]byte(`[{"type":"threshold","op":"below","value":-1e308,"for":"1000000h"}]`), vals, []byte{255, 0, 1}, []byte{}, int16(0))
	f.Fuzz(func(t *testing.T, candJSON, valueBytes, steps, incidentBytes []byte, leadMinutes int16) {
		cs, err := ParseCandidates(candJSON)
		if err != nil || len(cs) > 32 {
			return
		}
		n := len(valueBytes) / 8
		times, values := make([]time.Time, n), make([]float64, n)
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			step := int8(1)
			if i < len(steps) {
				step = int8(steps[i])
			}
			at = at.Add(time.Duration(step) * time.Minute)
			times[i], values[i] = at, math.Float64frombits(binary.LittleEndian.Uint64(valueBytes[8*i:]))
		}
		s, err := NewSeries(times, values)
		if err != nil {
			return
		}
		var incs []Incident
		for i := 0; i+1 < len(incidentBytes); i += 2 {
			start := time.Date(2024, 1, 1, 0, int(incidentBytes[i]), 0, 0, time.UTC)
			inc := Incident{ID: string(rune('a' + i/2)), StartedAt: start}
			if d := incidentBytes[i+1]; d != 0 {
				inc.ResolvedAt = start.Add(time.Duration(d) * time.Minute)
			}
			incs = append(incs, inc)
		}
		rows, err := Run(s, incs, cs, Options{Lead: time.Duration(leadMinutes) * time.Minute})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(rows) != len(cs) {
			t.Fatalf("%d rows for %d candidates", len(rows), len(cs))
		}
		for _, r := range rows {
			if r.IncidentsCaught+r.IncidentsMissed != len(incs) || r.UsefulAlerts > r.Alerts || r.Alerts < 0 || r.AlertMinutes < 0 {
				t.Fatalf("row %+v does not add up for %d incidents", r, len(incs))
			}
			for _, v := range []float64{r.Precision, r.Recall} {
				if !math.IsNaN(v) && (v < 0 || v > 1) {
					t.Fatalf("row %+v: rate %v outside [0, 1]", r, v)
				}
			}
		}
	})
}
