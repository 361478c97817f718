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

func spcRun(t *testing.T, stdin string, args ...string) (int, map[string]any, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"spc"}, args...), strings.NewReader(stdin), &out, &errOut)
	var res map[string]any
	if code == 0 {
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
	}
	return code, res, errOut.String()
}

func lines(vals ...float64) string {
	var b strings.Builder
	for _, v := range vals {
		fmt.Fprintln(&b, v)
	}
	return b.String()
}

func num(t *testing.T, v any) float64 {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v is not a number", v)
	}
	return f
}

func violations(res map[string]any) [][2]any {
	var out [][2]any
	for _, v := range res["violations"].([]any) {
		m := v.(map[string]any)
		out = append(out, [2]any{m["rule"], m["index"]})
	}
	return out
}

func TestSPCCommand(t *testing.T) {
	ten := lines(-1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)
	csvP := "time,value,n\n" +
		"2024-03-01T00:00:00Z,2,50\n2024-03-01T01:00:00Z,3,60\n# comment\n2024-03-01T02:00:00Z,1,40\n" +
		"2024-03-01T03:00:00Z,2,50\n2024-03-01T04:00:00Z,25,50\n"
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		check func(t *testing.T, res map[string]any)
	}{
		{"xmr: limits, points and the mR chart", lines(1, 3, 2, 4), []string{"--chart", "xmr"}, func(t *testing.T, res map[string]any) {
			sigma := 5.0 / 3 / 1.128
			if res["chart"] != "xmr" || math.Abs(num(t, res["center"])-2.5) > 1e-12 || math.Abs(num(t, res["lcl"])-(2.5-3*sigma)) > 1e-12 {
				t.Errorf("limits %v %v %v", res["chart"], res["center"], res["lcl"])
			}
			pts := res["points"].([]any)
			if len(pts) != 4 || num(t, pts[3].(map[string]any)["value"]) != 4 || num(t, pts[3].(map[string]any)["ucl"]) != num(t, res["ucl"]) {
				t.Errorf("points %v", pts)
			}
			if res["dispersion"].(map[string]any)["chart"] != "mr" {
				t.Errorf("dispersion %v", res["dispersion"])
			}
		}},
		{"nelson-2 with frozen limits, 0-based and sliding", ten, []string{"--chart", "xmr", "--rules", "nelson-2", "--center", "0", "--sigma", "1"}, func(t *testing.T, res map[string]any) {
			if got := fmt.Sprint(violations(res)); got != "[[nelson-2 9] [nelson-2 10]]" {
				t.Errorf("violations %s", got)
			}
			v := res["violations"].([]any)[0].(map[string]any)
			if fmt.Sprint(v["points"]) != "[1 2 3 4 5 6 7 8 9]" || res["baseline"] != nil {
				t.Errorf("points %v, baseline %v", v["points"], res["baseline"])
			}
		}},
		{"rules none", ten, []string{"--chart", "xmr", "--rules", "none", "--center", "0", "--sigma", "1"}, func(t *testing.T, res map[string]any) {
			if len(violations(res)) != 0 {
				t.Errorf("violations %v", violations(res))
			}
		}},
		{"p chart from CSV with times and n", csvP, []string{"--chart", "p", "--rules", "nelson-1", "--baseline", "4"}, func(t *testing.T, res map[string]any) {
			v := res["violations"].([]any)
			if len(v) != 1 || v[0].(map[string]any)["index"] != 4.0 || v[0].(map[string]any)["time"] != "2024-03-01T04:00:00Z" {
				t.Errorf("violations %v", v)
			}
			if res["ucl"] != nil || num(t, res["center"]) != 8.0/200 {
				t.Errorf("ucl %v center %v (n varies, so per point)", res["ucl"], res["center"])
			}
			p1 := res["points"].([]any)[1].(map[string]any)
			if p1["n"] != 60.0 || num(t, p1["value"]) != 0.05 {
				t.Errorf("point 1 %v", p1)
			}
		}},
		{"np with --n", lines(2, 3, 1, 2), []string{"--chart", "np", "--n", "50"}, func(t *testing.T, res map[string]any) {
			if num(t, res["center"]) != 2 || num(t, res["lcl"]) != 0 {
				t.Errorf("center %v lcl %v", res["center"], res["lcl"])
			}
		}},
		{"xbar-r subgroups of 2", lines(1, 3, 2, 2, 4, 6), []string{"--chart", "xbar-r", "--subgroup", "2"}, func(t *testing.T, res map[string]any) {
			if len(res["points"].([]any)) != 3 || num(t, res["center"]) != 3 || res["params"].(map[string]any)["subgroup"] != 2.0 {
				t.Errorf("%v", res)
			}
		}},
		{"ewma defaults: no run rules", lines(10, 10.5, 9.5, 10, 13, 13, 13), []string{"--chart", "ewma", "--center", "10", "--sigma", "1", "--lambda", "0.5"}, func(t *testing.T, res map[string]any) {
			params := res["params"].(map[string]any)
			if params["lambda"] != 0.5 || params["L"] != 3.0 || params["ewmaLimits"] != "exact" {
				t.Errorf("params %v", params)
			}
			for _, v := range violations(res) {
				if v[0] != "ewma-limit" {
					t.Errorf("violation %v", v)
				}
			}
			if len(violations(res)) == 0 {
				t.Error("no ewma-limit violation")
			}
		}},
		{"cusum reports C+ and C-", lines(1, 1, 1, -3), []string{"--chart", "cusum", "--center", "0", "--sigma", "1", "--h", "1"}, func(t *testing.T, res map[string]any) {
			p := res["points"].([]any)
			if p[2].(map[string]any)["cplus"] != 1.5 || p[3].(map[string]any)["cminus"] != 2.5 {
				t.Errorf("points %v", p)
			}
			if got := fmt.Sprint(violations(res)); got != "[[cusum-upper 2] [cusum-lower 3]]" {
				t.Errorf("violations %s", got)
			}
		}},
		{"single value column header", "value\n1\n2\n3\n", []string{"--chart", "c"}, func(t *testing.T, res map[string]any) {
			if num(t, res["center"]) != 2 {
				t.Errorf("center %v", res["center"])
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, res, stderr := spcRun(t, c.stdin, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			c.check(t, res)
		})
	}
}

func TestSPCCommandFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in.txt")
	if err := os.WriteFile(p, []byte(lines(5, 6, 5, 7, 30)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, res, stderr := spcRun(t, "", "--chart", "xmr", "--rules", "westernelectric", "--baseline", "4", "--input", p)
	if code != 0 {
		t.Fatal(stderr)
	}
	if got := fmt.Sprint(violations(res)); got != "[[we-1 4]]" {
		t.Errorf("violations %s", got)
	}
	if b := res["baseline"].(map[string]any); b["first"] != 0.0 || b["last"] != 3.0 {
		t.Errorf("baseline %v", b)
	}
}

func TestSPCCommandErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"non-numeric line", "1\n2\nabc\n", []string{"--chart", "xmr"}, 1, `standard input line 3: value "abc" is not a finite number`},
		{"NaN line", "1\n\nNaN\n", []string{"--chart", "xmr"}, 1, "line 3"},
		{"empty", "\n# nothing\n", []string{"--chart", "xmr"}, 1, "standard input: no values"},
		{"too few points", "4\n", []string{"--chart", "xmr"}, 1, "needs at least 2 points"},
		{"subgroup 1", lines(1, 2, 3), []string{"--chart", "xbar-r", "--subgroup", "1"}, 2, "subgroup"},
		{"subgroup missing", lines(1, 2, 3), []string{"--chart", "xbar-s"}, 2, "subgroup size between 2 and 25"},
		{"ragged subgroups", lines(1, 2, 3), []string{"--chart", "xbar-r", "--subgroup", "2"}, 1, "do not split into subgroups"},
		{"unknown rule", lines(1, 2), []string{"--chart", "xmr", "--rules", "nelson-9"}, 2, `unknown rule "nelson-9"`},
		{"unknown chart", lines(1, 2), []string{"--chart", "pareto"}, 2, "unknown chart"},
		{"no chart", lines(1, 2), nil, 2, "--chart is required"},
		{"bad lambda", lines(1, 2), []string{"--chart", "ewma", "--lambda", "2"}, 2, "lambda: must be in (0, 1]"},
		{"bad h", lines(1, 2), []string{"--chart", "cusum", "--h", "0"}, 2, "h: must be > 0"},
		{"k on xmr", lines(1, 2), []string{"--chart", "xmr", "--k", "1"}, 2, "only the cusum chart takes k"},
		{"defectives exceed n", "value,n\n1,10\n12,10\n", []string{"--chart", "p"}, 1, "line 3: 12 defectives exceed the sample size 10"},
		{"n zero", "value,n\n1,0\n", []string{"--chart", "p"}, 1, "line 2: sample size must be > 0"},
		{"p without n", lines(1, 2), []string{"--chart", "p"}, 1, "needs a sample size per value"},
		{"np varying n", "value,n\n1,10\n1,12\n", []string{"--chart", "np"}, 1, "constant sample size"},
		{"bad time", "time,value\nyesterday,1\n", []string{"--chart", "xmr"}, 1, `line 2: time "yesterday" is not RFC 3339`},
		{"ragged csv", "time,value\n2024-03-01T00:00:00Z,1,3\n", []string{"--chart", "xmr"}, 1, "line 2: 3 fields, the header has 2"},
		{"unknown column", "when,value\n", []string{"--chart", "xmr"}, 1, `unknown column "when"`},
		{"baseline too long", lines(1, 2, 3), []string{"--chart", "xmr", "--baseline", "5"}, 2, "points must be between 1 and 3"},
		{"baseline zero", lines(1, 2, 3), []string{"--chart", "xmr", "--baseline", "0"}, 2, "--baseline 0"},
		{"frozen sigma on c", lines(1, 2), []string{"--chart", "c", "--center", "1", "--sigma", "1"}, 2, "frozen.sigma"},
		{"missing file", "", []string{"--chart", "xmr", "--input", "/nonexistent/x"}, 1, "no such file"},
		{"stray argument", "", []string{"--chart", "xmr", "extra"}, 2, `unexpected argument "extra"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := spcRun(t, c.stdin, c.args...)
			last := strings.TrimSpace(stderr)
			if i := strings.LastIndex(last, "\n"); i >= 0 {
				last = last[i+1:] // usage text may precede the error line
			}
			if code != c.code || !strings.HasPrefix(last, "kaizen spc: ") || !strings.Contains(last, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and one line containing %q", code, stderr, c.code, c.want)
			}
		})
	}
}
