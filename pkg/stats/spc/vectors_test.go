package spc

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The golden vectors are written by scripts/golden/spc.py; never by tests.
var vectorDir = filepath.Join("..", "..", "..", "testdata", "spc")

// jsonFloat reads a number or the strings "NaN", "Inf", "-Inf".
type jsonFloat float64

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch s {
		case "NaN":
			*f = jsonFloat(math.NaN())
		case "Inf":
			*f = jsonFloat(math.Inf(1))
		case "-Inf":
			*f = jsonFloat(math.Inf(-1))
		default:
			return fmt.Errorf("bad float %q", s)
		}
		return nil
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = jsonFloat(v)
	return err
}

type vectorCase struct {
	Name  string `json:"name"`
	Input struct {
		Values []jsonFloat `json:"values"`
		Sizes  []jsonFloat `json:"sizes"`
		Times  []time.Time `json:"times"`
	} `json:"input"`
	Options  Options         `json:"options"`
	Expected json.RawMessage `json:"expected"`
	Error    *struct {
		Field string `json:"field"`
	} `json:"error"`
}

type vectorFile struct {
	Tolerance struct {
		Relative float64 `json:"relative"`
		Absolute float64 `json:"absolute"`
	} `json:"tolerance"`
	Cases []vectorCase `json:"cases"`
}

func floats(xs []jsonFloat) []float64 {
	if xs == nil {
		return nil
	}
	out := make([]float64, len(xs))
	for i, v := range xs {
		out[i] = float64(v)
	}
	return out
}

func loadVectors(t *testing.T, name string) vectorFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		t.Fatalf("%v (regenerate with python3 scripts/golden/spc.py --write)", err)
	}
	var f vectorFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(f.Cases) == 0 || f.Tolerance.Relative == 0 {
		t.Fatalf("%s: no cases or no tolerance", name)
	}
	return f
}

func TestGoldenVectors(t *testing.T) {
	for _, file := range []string{"rules.json", "xmr.json", "xbar.json", "attributes.json", "ewma.json", "cusum.json", "errors.json"} {
		vf := loadVectors(t, file)
		for _, c := range vf.Cases {
			t.Run(strings.TrimSuffix(file, ".json")+"/"+c.Name, func(t *testing.T) {
				in := Input{Values: floats(c.Input.Values), Sizes: floats(c.Input.Sizes), Times: c.Input.Times}
				res, err := Compute(in, c.Options)
				if c.Error != nil {
					var e *Error
					if !errors.As(err, &e) || e.Field != c.Error.Field {
						t.Fatalf("want error on %q, got %v", c.Error.Field, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got, _ := json.Marshal(res)
				var g, w any
				_ = json.Unmarshal(got, &g)
				_ = json.Unmarshal(c.Expected, &w)
				var diffs []string
				compareJSON("", g, w, vf.Tolerance.Relative, vf.Tolerance.Absolute, &diffs)
				for i, d := range diffs {
					if i == 10 {
						t.Errorf("... %d more", len(diffs)-10)
						break
					}
					t.Error(d)
				}
			})
		}
	}
}

// compareJSON compares decoded JSON trees: numbers within tolerance, RFC 3339
// strings as instants, a missing key as null.
func compareJSON(path string, got, want any, rel, abs float64, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want an object", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			compareJSON(path+"."+k, g[k], w[k], rel, abs, diffs)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
			return
		}
		for i := range w {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], rel, abs, diffs)
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > math.Max(abs, rel*math.Max(math.Abs(g), math.Abs(w))) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	case string:
		g, ok := got.(string)
		if ok && g != w {
			tg, e1 := time.Parse(time.RFC3339, g)
			tw, e2 := time.Parse(time.RFC3339, w)
			ok = e1 == nil && e2 == nil && tg.Equal(tw)
		}
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %q", path, got, w))
		}
	default: // bool, nil
		if got != want {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	}
}
