package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// driftRun calls the CLI's run in-process, as main does.
func driftRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"drift"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func driftFile(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// spread returns n evenly spaced values starting at from.
func spread(n int, from, step float64) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(from + float64(i)*step)
	}
	return out
}

func TestDriftCLI(t *testing.T) {
	dir := t.TempDir()
	ref := driftFile(t, dir, "ref.txt", append([]string{"# reference window"}, spread(200, 0, 0.05)...)...)
	same := driftFile(t, dir, "same.txt", spread(200, 0, 0.05)...)
	shifted := driftFile(t, dir, "shifted.txt", spread(150, 20, 0.05)...) // wholly above ref
	constant := driftFile(t, dir, "constant.txt", "5", "5", "5")
	refCats := driftFile(t, dir, "ref_cats.txt", append(strings.Split(strings.Repeat("red,blue,", 40), ",")[:80], "green")...)
	curCats := driftFile(t, dir, "cur_cats.txt", append(strings.Split(strings.Repeat("red,", 50), ",")[:50], "purple", "purple")...)

	tests := []struct {
		name      string
		args      []string
		drift     bool
		pValue    bool
		threshold float64
		check     func(t *testing.T, out map[string]any)
	}{
		{"psi shifted", []string{"--method", "psi", "--reference", ref, "--current", shifted}, true, false, 0.2,
			func(t *testing.T, out map[string]any) {
				if out["severity"] != "significant" {
					t.Errorf("severity %v", out["severity"])
				}
			}},
		{"psi identical", []string{"--method", "psi", "--reference", ref, "--current", same, "--bins", "5"}, false, false, 0.2,
			func(t *testing.T, out map[string]any) {
				if out["statistic"] != 0.0 || out["severity"] != "none" {
					t.Errorf("%v", out)
				}
			}},
		{"ks shifted", []string{"--method", "ks", "--reference", ref, "--current", shifted}, true, true, 0.05, nil},
		{"ks identical", []string{"--method", "ks", "--reference", ref, "--current", same}, false, true, 0.05,
			func(t *testing.T, out map[string]any) {
				if out["p_value"] != 1.0 {
					t.Errorf("p %v", out["p_value"])
				}
			}},
		{"ks custom alpha", []string{"--method", "ks", "--reference", ref, "--current", same, "--threshold", "0.01"}, false, true, 0.01, nil},
		{"wasserstein raw", []string{"--method", "wasserstein", "--reference", ref, "--current", shifted, "--threshold", "2"}, true, false, 2, nil},
		{"wasserstein normed", []string{"--method", "wasserstein-normed", "--reference", ref, "--current", shifted}, true, false, 0.1, nil},
		{"wasserstein normed constant reference", []string{"--method", "wasserstein-normed", "--reference", constant, "--current", same}, true, false, 0.1,
			func(t *testing.T, out map[string]any) {
				if v, ok := out["statistic"]; !ok || v != nil {
					t.Errorf("an infinite statistic must print as null: %v", out)
				}
			}},
		{"jsd", []string{"--method", "jsd", "--reference", ref, "--current", shifted}, true, false, 0.1,
			func(t *testing.T, out map[string]any) {
				// Current lies wholly in the top reference decile [e9, +Inf):
				// p = 0.1 per bin, q = (0,...,0,1), m = (0.05 x 9, 0.55).
				kl := 9*0.1*math.Log(2) + 0.1*math.Log(0.1/0.55) + math.Log(1/0.55)
				if s, want := out["statistic"].(float64), math.Sqrt(kl/math.Ln2/2); math.Abs(s-want) > 1e-12 {
					t.Errorf("JSD %v, want %v", s, want)
				}
			}},
		{"chisquare new category", []string{"--method", "chisquare", "--reference", refCats, "--current", curCats}, true, true, 0.05, nil},
		{"stdin current", []string{"--method", "ks", "--reference", ref, "--current", "-"}, false, true, 0.05, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdin := ""
			if tc.args[len(tc.args)-1] == "-" {
				stdin = strings.Join(spread(200, 0, 0.05), "\n")
			}
			code, stdout, stderr := driftRun(t, stdin, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var out map[string]any
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			_, hasP := out["p_value"]
			if out["method"] != tc.args[1] || out["drift"] != tc.drift || hasP != tc.pValue || out["threshold"] != tc.threshold {
				t.Fatalf("got %s", stdout)
			}
			if tc.check != nil {
				tc.check(t, out)
			}
		})
	}
}

func TestDriftCLIErrors(t *testing.T) {
	dir := t.TempDir()
	good := driftFile(t, dir, "good.txt", "1", "2", "3")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"non-numeric line", []string{"--method", "ks", "--reference", good, "--current",
			driftFile(t, dir, "bad.txt", "1", "2", "abc")}, 1, "line 3"},
		{"NaN", []string{"--method", "psi", "--reference", driftFile(t, dir, "nan.txt", "1", "NaN"), "--current", good}, 1, "line 2"},
		{"Inf", []string{"--method", "jsd", "--reference", good, "--current", driftFile(t, dir, "inf.txt", "+Inf")}, 1, "line 1"},
		{"empty file", []string{"--method", "wasserstein-normed", "--reference", good, "--current",
			driftFile(t, dir, "empty.txt", "# nothing here")}, 1, "no values"},
		{"empty categories", []string{"--method", "chisquare", "--reference", good, "--current", driftFile(t, dir, "empty2.txt", "")}, 1, "no values"},
		{"missing file", []string{"--method", "ks", "--reference", filepath.Join(dir, "nope.txt"), "--current", good}, 1, "--reference"},
		{"unknown method", []string{"--method", "energy", "--reference", good, "--current", good}, 2, "unknown method"},
		{"missing flags", []string{"--method", "ks"}, 2, "required"},
		{"raw wasserstein needs a threshold", []string{"--method", "wasserstein", "--reference", good, "--current", good}, 2, "--threshold"},
		{"bins for ks", []string{"--method", "ks", "--bins", "5", "--reference", good, "--current", good}, 2, "--bins"},
		{"one bin", []string{"--method", "psi", "--bins", "1", "--reference", good, "--current", good}, 2, "--bins"},
		{"alpha of 1", []string{"--method", "chisquare", "--threshold", "1", "--reference", good, "--current", good}, 2, "alpha"},
		{"both stdin", []string{"--method", "ks", "--reference", "-", "--current", "-"}, 2, "standard input"},
		{"bad flag", []string{"--method", "ks", "--frobnicate"}, 2, "frobnicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := driftRun(t, "", tc.args...)
			if code != tc.code || stdout != "" {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %s", code, tc.code, stdout, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "kaizen drift: ") || !strings.Contains(last, tc.want) {
				t.Fatalf("last stderr line %q should be a one-line error naming %q", last, tc.want)
			}
			if tc.code == 1 && len(lines) != 1 {
				t.Fatalf("data errors print one line, got %q", stderr)
			}
		})
	}
}

func TestDriftCLIHelp(t *testing.T) {
	code, _, stderr := driftRun(t, "", "-h")
	if code != 0 || !strings.Contains(stderr, "wasserstein-normed") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
