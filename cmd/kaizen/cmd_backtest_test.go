package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// backtestSeries is 60 one-minute samples at 50 with spikes (see the
// hand-computed history in pkg/stats/backtest): 75 at 3, 20, 40 (noise), 95 at
// 10..14, 80 at 30..32, 92 at 50..54; minute 45 has no data.
func backtestSeries() string {
	var b strings.Builder
	b.WriteString("time,value\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for m := 59; m >= 0; m-- { // reverse order: the reader must sort
		v := "50"
		switch {
		case m == 3 || m == 20 || m == 40:
			v = "75"
		case m >= 10 && m <= 14:
			v = "95"
		case m >= 30 && m <= 32:
			v = "80"
		case m >= 50 && m <= 54:
			v = "92"
		case m == 45:
			v = ""
		}
		fmt.Fprintf(&b, "%s,%s\n", t0.Add(time.Duration(m)*time.Minute).Format(time.RFC3339), v)
	}
	return b.String()
}

const backtestIncidents = `id,started_at,resolved_at
A,2024-01-01T00:10:00Z,2024-01-01T00:15:00Z
B,2024-01-01T00:30:00Z,2024-01-01T00:33:00Z
C,2024-01-01T01:51:00+01:00,2024-01-01T00:55:00Z
`

func TestBacktestCLI(t *testing.T) {
	series := writeTemp(t, "series.csv", backtestSeries())
	incidents := writeTemp(t, "incidents.csv", backtestIncidents)
	cands := `[{"name":"low","type":"threshold","op":"above","value":70},
	           {"name":"high","type":"threshold","op":"above","value":85,"for":"2m"},
	           {"name":"xmr","type":"control","baseline_points":10,"rules":["nelson-1"]}]`
	candFile := writeTemp(t, "cands.json", cands)

	for _, c := range []string{cands, candFile} {
		code, out, errOut := statsCLI(t, "", "backtest", "--series", series, "--incidents", incidents, "--candidates", c, "--lead", "2m")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got backtestOut
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if got.SeriesPoints != 60 || got.Incidents != 3 || got.LeadSeconds != 120 || len(got.Rows) != 3 {
			t.Fatalf("header %+v", got)
		}
		low, high := got.Rows[0], got.Rows[1]
		if low.Candidate != "low" || low.Alerts != 6 || low.AlertMinutes != 16 || low.IncidentsCaught != 3 ||
			*low.Precision != 0.5 || *low.Recall != 1 || *low.MedianDetectionDelay != 0 {
			t.Errorf("low row %+v", low)
		}
		if high.Alerts != 2 || high.IncidentsMissed != 1 || *high.MedianDetectionDelay != 90 || high.ForSeconds != 120 {
			t.Errorf("high row %+v", high)
		}
		// Baseline minutes 0..9 (one 75 among 50s): centre 52.5, mean moving
		// range 50/9, UCL ≈ 67.3, so nelson-1 flags what "above 70" flags.
		if xmr := got.Rows[2]; xmr.Alerts != 6 || xmr.IncidentsCaught != 3 || *xmr.Precision != 0.5 || xmr.Condition != "xmr nelson-1 (baseline 10)" {
			t.Errorf("xmr row %+v", xmr)
		}
	}

	t.Run("undefined ratios are null", func(t *testing.T) {
		none := writeTemp(t, "none.csv", "id,started_at,resolved_at\n")
		code, out, errOut := statsCLI(t, "", "backtest", "--series", series, "--incidents", none,
			"--candidates", `[{"type":"threshold","op":"above","value":1000}]`)
		if code != 0 || !strings.Contains(out, `"precision":null,"recall":null`) || !strings.Contains(out, `"median_detection_delay_seconds":null`) {
			t.Errorf("exit %d: %s %s", code, out, errOut)
		}
	})

	badSeries := writeTemp(t, "bad_series.csv", "time,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,abc\n")
	badTime := writeTemp(t, "bad_time.csv", "2024-01-01 00:00:00,1\n")
	badCols := writeTemp(t, "bad_cols.csv", "2024-01-01T00:00:00Z,1,2\n")
	badInc := writeTemp(t, "bad_inc.csv", "id,started_at,resolved_at\nX,2024-01-01T00:10:00Z,2024-01-01T00:05:00Z\n")
	dupInc := writeTemp(t, "dup_inc.csv", "X,2024-01-01T00:10:00Z,\nX,2024-01-01T00:20:00Z,\n")
	noZone := writeTemp(t, "nozone_inc.csv", "X,2024-01-01T00:10:00,\n")
	empty := writeTemp(t, "empty.csv", "time,value\n")
	ok := `[{"type":"threshold","op":"above","value":1}]`
	errCases := []struct {
		name                    string
		series, inc, cand, lead string
		code                    int
		inStderr                []string
	}{
		{"bad value", badSeries, incidents, ok, "0s", 1, []string{"bad_series.csv line 3", `field "value"`, `"abc"`}},
		{"bad time", badTime, incidents, ok, "0s", 1, []string{"bad_time.csv line 1", `field "time"`}},
		{"wrong columns", badCols, incidents, ok, "0s", 1, []string{"bad_cols.csv line 1", "3 fields, want 2"}},
		{"resolved before started", series, badInc, ok, "0s", 1, []string{"bad_inc.csv line 2", `field "resolved_at"`}},
		{"duplicate id", series, dupInc, ok, "0s", 1, []string{"dup_inc.csv line 2", `"X" repeats line 1`}},
		{"time without zone", series, noZone, ok, "0s", 1, []string{"nozone_inc.csv line 1", `field "started_at"`}},
		{"empty series", empty, incidents, ok, "0s", 1, []string{"no samples"}},
		{"bad candidate", series, incidents, `[{"type":"threshold","op":"above"}]`, "0s", 1, []string{"--candidates", `candidates[0]`, `"value": missing`}},
		{"missing candidates file", series, incidents, "nope.json", "0s", 1, []string{"--candidates", "nope.json"}},
		{"bad lead", series, incidents, ok, "soon", 2, []string{"--lead"}},
		{"negative lead", series, incidents, ok, "-5m", 2, []string{"--lead"}},
		{"missing flag", series, "", ok, "0s", 2, []string{"required"}},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"backtest", "--series", tt.series, "--candidates", tt.cand, "--lead", tt.lead}
			if tt.inc != "" {
				args = append(args, "--incidents", tt.inc)
			}
			code, out, errOut := statsCLI(t, "", args...)
			if code != tt.code || out != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q", code, tt.code, out, errOut)
			}
			for _, want := range tt.inStderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr %q does not mention %q", errOut, want)
				}
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("error is not one line: %q", errOut)
			}
		})
	}
}

// TestBacktestCLIExample runs the documented example in testdata/backtest and
// compares with its hand-worked expected.json (never rewritten by the test).
func TestBacktestCLIExample(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "backtest")
	code, out, errOut := statsCLI(t, "", "backtest", "--series", filepath.Join(dir, "series.csv"),
		"--incidents", filepath.Join(dir, "incidents.csv"), "--candidates", filepath.Join(dir, "candidates.json"), "--lead", "2m")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantBytes, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(wantBytes, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("output differs from testdata/backtest/expected.json:\n%s", out)
	}
}
