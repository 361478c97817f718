package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/stats/spc"
)

const spcUsage = `kaizen spc --chart xmr|xbar-r|xbar-s|p|np|u|c|ewma|cusum [--rules nelson,westernelectric|nelson-1,we-2,...|none]
       [--baseline N | --baseline-from T --baseline-to T] [--subgroup N] [--n N]
       [--lambda X --L X --ewma-limits exact|asymptotic] [--k X --h X]
       [--center X] [--sigma X] [--ucl X --lcl X] [--input FILE|-]

Control chart of a series: center, limits, sigma per point and run-rule
violations (pkg/stats/spc). Input: one value per line, or CSV with a header
naming time, value and n (any order; value required; no quoted fields). Blank
lines and lines starting with # are skipped. Times are RFC 3339 with zone.
For p and np, value is the defectives and n the sample size; for u, value is
the defect count and n the inspection units (--n sets a constant n).
X-bar charts take consecutive groups of --subgroup values; --baseline counts
plotted points (subgroups for X-bar charts). Limits come from the baseline, or
from all points, unless frozen with --center/--sigma or --center/--ucl/--lcl.
Rules default to nelson (none for ewma and cusum, which report ewma-limit,
cusum-upper and cusum-lower). A violation fires at every point that completes
a pattern: a run of 10 on one side fires nelson-2 at its 9th and 10th points.
Output: one JSON object; indices are 0-based.`

func runSPC(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("spc", stderr, spcUsage)
	chart := fs.String("chart", "", "required: xmr, xbar-r, xbar-s, p, np, u, c, ewma or cusum")
	rules := fs.String("rules", "", "comma-separated rule ids or groups (nelson, westernelectric), or none")
	baseline := fs.Int("baseline", 0, "phase I: the first N plotted points (default: all points)")
	from := fs.String("baseline-from", "", "phase I: points at or after this RFC 3339 time")
	to := fs.String("baseline-to", "", "phase I: points at or before this RFC 3339 time")
	subgroup := fs.Int("subgroup", 0, "subgroup size for xbar-r and xbar-s (2..25)")
	n := fs.Float64("n", 0, "constant sample size for p, np and u (instead of an n column)")
	input := fs.String("input", "-", "input file, - for standard input")
	mode := fs.String("ewma-limits", "", "exact (default, time-varying) or asymptotic")
	nums := map[string]*float64{}
	for name, help := range map[string]string{
		"lambda": "EWMA weight in (0, 1] (default 0.2)", "L": "EWMA limit width in sigmas (default 3)",
		"k": "CUSUM allowance in sigmas (default 0.5)", "h": "CUSUM decision interval in sigmas (default 5)",
		"center": "frozen center line", "sigma": "frozen sigma of individual observations",
		"ucl": "frozen upper control limit (with --center and --lcl)", "lcl": "frozen lower control limit",
	} {
		nums[name] = fs.Float64(name, 0, help)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *chart == "" {
		return usageError(fs, "--chart is required")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	opt := spcOptions(spc.Chart(*chart), set, nums, *rules, *subgroup, *mode)
	if set["baseline"] && *baseline < 1 {
		return fmt.Errorf("%w: --baseline %d: must be at least 1", errUsage, *baseline)
	}
	if set["baseline"] {
		opt.Baseline.Points = baseline
	}
	for _, b := range []struct {
		name, val string
		dst       **time.Time
	}{{"--baseline-from", *from, &opt.Baseline.From}, {"--baseline-to", *to, &opt.Baseline.To}} {
		if b.val != "" {
			t, err := time.Parse(time.RFC3339Nano, b.val)
			if err != nil {
				return fmt.Errorf("%w: %s %q: not an RFC 3339 time with zone", errUsage, b.name, b.val)
			}
			*b.dst = &t
		}
	}
	if set["n"] && !(*n > 0) {
		return fmt.Errorf("%w: --n %v: must be > 0", errUsage, *n)
	}
	name, rd := "standard input", stdin
	if *input != "-" {
		f, err := os.Open(*input)
		if err != nil {
			return err
		}
		defer f.Close()
		name, rd = *input, f
	}
	data, err := readSPCInput(rd, name)
	if err != nil {
		return err
	}
	if err := data.applyN(*n, set["n"], opt.Chart); err != nil {
		return err
	}
	res, err := spc.Compute(data.in, opt)
	if err != nil {
		return data.explain(err)
	}
	return writeJSONLine(stdout, spcJSON(res))
}

// spcOptions maps flags to engine options; only flags given on the command line are passed on.
func spcOptions(chart spc.Chart, set map[string]bool, nums map[string]*float64, rules string, subgroup int, mode string) spc.Options {
	opt := spc.Options{Chart: chart, Subgroup: subgroup, EWMALimits: mode}
	given := func(name string) *float64 {
		if set[name] {
			return nums[name]
		}
		return nil
	}
	opt.Lambda, opt.L, opt.K, opt.H = given("lambda"), given("L"), given("k"), given("h")
	opt.Frozen = spc.Frozen{Center: given("center"), Sigma: given("sigma"), UCL: given("ucl"), LCL: given("lcl")}
	switch {
	case !set["rules"]:
		if chart != spc.EWMA && chart != spc.CUSUM {
			opt.Rules = []string{"nelson"}
		}
	case rules == "" || strings.EqualFold(rules, "none"):
	default:
		opt.Rules = strings.Split(rules, ",")
	}
	return opt
}

// spcData is the parsed input with the line each value came from.
type spcData struct {
	name  string
	in    spc.Input
	lines []int
	hasN  bool
}

// readSPCInput reads plain values or a CSV with a header (time, value, n).
func readSPCInput(r io.Reader, name string) (*spcData, error) {
	d := &spcData{name: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	cols := map[string]int{}
	width := 0
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, ",")
		if width == 0 && len(d.lines) == 0 && (len(fields) > 1 || strings.EqualFold(text, "value")) {
			if err := d.header(fields, cols, line); err != nil {
				return nil, err
			}
			width = len(fields)
			continue
		}
		if width == 0 {
			width, cols["value"] = 1, 0
		}
		if len(fields) != width {
			return nil, fmt.Errorf("%s line %d: %d fields, the header has %d", name, line, len(fields), width)
		}
		if err := d.row(fields, cols, line); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(d.lines) == 0 {
		return nil, fmt.Errorf("%s: no values", name)
	}
	return d, nil
}

func (d *spcData) header(fields []string, cols map[string]int, line int) error {
	for i, f := range fields {
		c := strings.ToLower(strings.TrimSpace(f))
		if c != "time" && c != "value" && c != "n" {
			return fmt.Errorf("%s line %d: unknown column %q (the header names time, value and n)", d.name, line, f)
		}
		if _, dup := cols[c]; dup {
			return fmt.Errorf("%s line %d: column %q twice", d.name, line, c)
		}
		cols[c] = i
	}
	if _, ok := cols["value"]; !ok {
		return fmt.Errorf("%s line %d: the header has no value column", d.name, line)
	}
	_, d.hasN = cols["n"]
	return nil
}

func (d *spcData) row(fields []string, cols map[string]int, line int) error {
	num := func(col string) (float64, error) {
		s := strings.TrimSpace(fields[cols[col]])
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%s line %d: %s %q is not a finite number", d.name, line, col, s)
		}
		return v, nil
	}
	v, err := num("value")
	if err != nil {
		return err
	}
	d.in.Values = append(d.in.Values, v)
	if d.hasN {
		n, err := num("n")
		if err != nil {
			return err
		}
		d.in.Sizes = append(d.in.Sizes, n)
	}
	if i, ok := cols["time"]; ok {
		s := strings.TrimSpace(fields[i])
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("%s line %d: time %q is not RFC 3339 with zone", d.name, line, s)
		}
		d.in.Times = append(d.in.Times, t)
	}
	d.lines = append(d.lines, line)
	return nil
}

func (d *spcData) applyN(n float64, given bool, chart spc.Chart) error {
	switch {
	case given && d.hasN:
		return fmt.Errorf("%w: --n and an n column both give sample sizes", errUsage)
	case given:
		d.in.Sizes = make([]float64, len(d.in.Values))
		for i := range d.in.Sizes {
			d.in.Sizes[i] = n
		}
	case d.hasN && chart != spc.P && chart != spc.NP && chart != spc.U:
		return fmt.Errorf("%w: the n column is for p, np and u charts, not %s", errUsage, chart)
	}
	return nil
}

// explain turns engine errors into input line numbers (values[3] -> line 5)
// and marks option errors as usage errors (exit status 2).
func (d *spcData) explain(err error) error {
	var e *spc.Error
	if !errors.As(err, &e) {
		return err
	}
	if !e.InData() {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if open := strings.IndexByte(e.Field, '['); open > 0 {
		if i, perr := strconv.Atoi(strings.TrimSuffix(e.Field[open+1:], "]")); perr == nil && i < len(d.lines) {
			return fmt.Errorf("%s line %d: %s", d.name, d.lines[i], e.Msg)
		}
	}
	return fmt.Errorf("%s: %v", d.name, err)
}

// spcOut is the CLI's JSON: the engine's result with points as rows.
type spcOut struct {
	Chart        spc.Chart          `json:"chart"`
	Center       float64            `json:"center"`
	UCL          *float64           `json:"ucl"`
	LCL          *float64           `json:"lcl"`
	Sigma        *float64           `json:"sigma"`
	ProcessSigma *float64           `json:"processSigma,omitempty"`
	Target       *float64           `json:"target,omitempty"`
	Params       spc.Params         `json:"params"`
	Baseline     *spc.BaselineRange `json:"baseline"`
	Points       []spcPoint         `json:"points"`
	Violations   []spc.Violation    `json:"violations"`
	Dispersion   *spc.Dispersion    `json:"dispersion,omitempty"`
}

type spcPoint struct {
	Index       int         `json:"index"`
	Time        *time.Time  `json:"time,omitempty"`
	Value       float64     `json:"value"`
	Center      float64     `json:"center"`
	UCL         float64     `json:"ucl"`
	LCL         float64     `json:"lcl"`
	Sigma       float64     `json:"sigma"`
	N           *float64    `json:"n,omitempty"`
	Observation *float64    `json:"observation,omitempty"`
	CPlus       *float64    `json:"cplus,omitempty"`
	CMinus      *float64    `json:"cminus,omitempty"`
	Baseline    bool        `json:"baseline"`
	Violations  spc.RuleSet `json:"violations"`
}

func spcJSON(r *spc.Result) spcOut {
	out := spcOut{Chart: r.Chart, Center: r.Center, UCL: r.UCL, LCL: r.LCL, Sigma: r.Sigma,
		ProcessSigma: r.ProcessSigma, Target: r.Target, Params: r.Params, Baseline: r.Baseline,
		Points: make([]spcPoint, r.Len()), Violations: r.Violations, Dispersion: r.Dispersion}
	col := func(xs []float64, i int) *float64 {
		if xs == nil {
			return nil
		}
		return &xs[i]
	}
	p := &r.Points
	for i := range out.Points {
		pt := r.At(i)
		out.Points[i] = spcPoint{Index: i, Time: pt.Time, Value: pt.Value, Center: pt.Center, UCL: pt.UCL,
			LCL: pt.LCL, Sigma: pt.Sigma, N: col(p.N, i), Observation: col(p.Observation, i),
			CPlus: col(p.CPlus, i), CMinus: col(p.CMinus, i), Baseline: pt.Baseline, Violations: pt.Violations}
	}
	return out
}
