package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// statsCLI runs the kaizen CLI in-process, as main does.
func statsCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeTemp writes content to a file in a per-test directory and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImpactCLI(t *testing.T) {
	before := writeTemp(t, "before.txt", "# MTTR minutes before\n30\n32\n29\n35\n31\n33\n30\n34\n\n36\n31\n")
	after := writeTemp(t, "after.txt", "22\n24\n21\n25\n23\n20\n24\n22\n26\n23\n")
	short := writeTemp(t, "short.txt", "22\n24\n21\n")
	bad := writeTemp(t, "bad.txt", "22\n24\nabc\n")

	t.Run("improved", func(t *testing.T) {
		code, out, errOut := statsCLI(t, "", "impact", "--before", before, "--after", after, "--better", "lower", "--seed", "7")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if got["verdict"] != "improved" || got["change"].(float64) != 23-31.5 {
			t.Errorf("verdict %v change %v\n%s", got["verdict"], got["change"], out)
		}
		b := got["before"].(map[string]any)
		if b["n"].(float64) != 10 || b["median"].(float64) != 31.5 {
			t.Errorf("before %v", b)
		}
		ci := got["ci95"].([]any)
		if lo, hi := ci[0].(float64), ci[1].(float64); !(lo <= -8.5 && -8.5 <= hi && hi < 0) {
			t.Errorf("ci95 %v", ci)
		}
		if got["u"].(float64) != 0 || got["p_value"].(float64) >= 0.001 {
			t.Errorf("u %v p %v", got["u"], got["p_value"])
		}
		spc := got["spc"].(map[string]any)
		if spc["sustained_shift"] != true {
			t.Errorf("spc %v", spc)
		}
		// Same seed, same output.
		if _, again, _ := statsCLI(t, "", "impact", "--before", before, "--after", after, "--better", "lower", "--seed", "7"); again != out {
			t.Errorf("not reproducible:\n%s\n%s", out, again)
		}
	})

	t.Run("higher is better reads the same data as worsened", func(t *testing.T) {
		code, out, _ := statsCLI(t, "", "impact", "--before", before, "--after", after, "--better", "higher")
		if code != 0 || !strings.Contains(out, `"verdict":"worsened"`) {
			t.Errorf("exit %d: %s", code, out)
		}
	})

	t.Run("insufficient data from stdin", func(t *testing.T) {
		code, out, errOut := statsCLI(t, "1\n2\n3\n", "impact", "--before", "-", "--after", short, "--better", "lower", "--min-n", "5")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{`"verdict":"insufficient-data"`, `"needed":{"before":2,"after":2}`, `"p_value":null`, `"ci95":null`} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %s:\n%s", want, out)
			}
		}
	})

	errCases := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"better missing", []string{"--before", before, "--after", after}, 2, "--better are required"},
		{"better unknown", []string{"--before", before, "--after", after, "--better", "up"}, 2, "--better"},
		{"bad alpha", []string{"--before", before, "--after", after, "--better", "lower", "--alpha", "2"}, 2, "--alpha"},
		{"bad min-n", []string{"--before", before, "--after", after, "--better", "lower", "--min-n", "1"}, 2, "--min-n"},
		{"unknown flag", []string{"--before", before, "--after", after, "--better", "lower", "--beta", "1"}, 2, "beta"},
		{"both stdin", []string{"--before", "-", "--after", "-", "--better", "lower"}, 2, "standard input"},
		{"bad number", []string{"--before", before, "--after", bad, "--better", "lower"}, 1, `line 3: "abc" is not a finite number`},
		{"missing file", []string{"--before", before, "--after", before + ".nope", "--better", "lower"}, 1, "--after"},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := statsCLI(t, "", append([]string{"impact"}, tt.args...)...)
			if code != tt.code || out != "" || !strings.Contains(errOut, tt.inStderr) {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q (want it to mention %q)", code, tt.code, out, errOut, tt.inStderr)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("error is not one line: %q", errOut)
			}
		})
	}

	if code, _, errOut := statsCLI(t, "", "impact", "-h"); code != 0 || !strings.Contains(errOut, "--better is required") {
		t.Errorf("-h: exit %d, %q", code, errOut)
	}
}
