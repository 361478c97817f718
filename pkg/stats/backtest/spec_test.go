package backtest

import (
	"strings"
	"testing"
	"time"
)

func TestParseCandidates(t *testing.T) {
	good := `[
	  {"name": "cpu>90 5m", "type": "threshold", "op": "above", "value": 90, "for": "5m"},
	  {"type": "threshold", "op": "below", "value": 0},
	  {"name": "slow burn", "type": "burn_rate", "objective": 99.9, "long": "3d", "short": "6h", "factor": 1},
	  {"name": "xmr", "type": "control", "baseline_points": 1440, "rules": ["nelson-1", "westernelectric"], "for": "2m"}
	]`
	cs, err := ParseCandidates([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 4 || cs[0].For != 5*time.Minute || cs[0].Condition != (Threshold{Op: Above, Value: 90}) {
		t.Fatalf("parsed %+v", cs)
	}
	if cs[1].Name != "#2 below 0" {
		t.Errorf("default name %q", cs[1].Name)
	}
	if br := cs[2].Condition.(BurnRate); br.Long != 72*time.Hour || br.Short != 6*time.Hour {
		t.Errorf("burn rate %+v", br)
	}
	if cl := cs[3].Condition.(ControlLimits); cl.BaselinePoints != 1440 || len(cl.Rules) != 2 || cs[3].For != 2*time.Minute {
		t.Errorf("control %+v", cs[3])
	}

	bad := []struct{ json, wantInErr string }{
		{`{}`, "cannot unmarshal"},
		{`[]`, "empty"},
		{`[{"type": "threshold", "op": "above"}]`, `"value": missing`},
		{`[{"type": "threshold", "op": "over", "value": 1}]`, `"op"`},
		{`[{"type": "threshold", "op": "above", "value": 1, "for": "5 minutes"}]`, `"for"`},
		{`[{"type": "threshold", "op": "above", "value": 1, "for": "-5m"}]`, `negative`},
		{`[{"type": "threshold", "op": "above", "value": 1, "treshold": 2}]`, `unknown field`},
		{`[{"op": "above", "value": 1}]`, `"type": missing`},
		{`[{"type": "anomaly"}]`, `"type": "anomaly"`},
		{`[{"type": "burn_rate", "objective": 99.9, "long": "1h", "factor": 14.4}]`, `"short"`},
		{`[{"type": "burn_rate", "objective": 0.999, "long": "1h", "short": "5m", "factor": 14.4}]`, `percentage`},
		{`[{"type": "control", "rules": ["nelson-1"]}]`, `"baseline_points": missing`},
		{`[{"type": "control", "baseline_points": 10}]`, `choose at least one`},
		{`[{"type": "control", "baseline_points": 10, "rules": ["rule-9"]}]`, `unknown rule`},
		{`[{"name": "a", "type": "threshold", "op": "above", "value": 1}, {"name": "a", "type": "threshold", "op": "above", "value": 2}]`, `already used`},
	}
	for _, b := range bad {
		_, err := ParseCandidates([]byte(b.json))
		if err == nil || !strings.Contains(err.Error(), b.wantInErr) {
			t.Errorf("%s: err = %v, want it to mention %q", b.json, err, b.wantInErr)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"5m", 5 * time.Minute, true},
		{"3d", 72 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"", 0, false},
		{"3days", 0, false},
		{"d", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseDuration(%q) = %v, %v", tt.in, got, err)
		}
	}
}
