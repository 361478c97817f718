package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/kaizenops/suite/pkg/stats/impact"
)

const impactUsage = `kaizen impact --before FILE --after FILE --better lower|higher [--alpha 0.05] [--min-n 8] [--seed 0] [--resamples 10000]
       kaizen impact --db FILE --event ID [--now T] [--alpha 0.05] [--min-n 8] [--seed 0] [--resamples 10000]

Did a change work? Compares a metric's values after a change with the values
before it (skip any settling period yourself): medians and means, the change in
medians, a two-sided Mann-Whitney U test (asymptotic, tie- and
continuity-corrected, as SciPy's mannwhitneyu(after, before)), a seeded
percentile-bootstrap 95% interval of the difference in medians, per-phase XmR
limits, and a verdict:
  improved / worsened   p < alpha and the median moved the better / worse way
  no-evidence           otherwise
  insufficient-data     a side has fewer than --min-n values; "needed" says how
                        many more each side needs (no test is run)

Files hold one number per line; blank lines and lines starting with # are
skipped; - reads standard input (for one of the two). --better is required:
whether lower or higher is better is a property of the metric (MTTR: lower,
deployment frequency: higher), and a default would silently flip verdicts.
With --db and --event, the values come from a stored kaizen event: its target
query's series (one point per bucket) in the baseline window before deployed_at
and in the window after it (its settling period skipped; while the window is
still open it ends at --now, default now), and the better direction of its
metric. The analysis is the impact query's for the event.

Output: one JSON object on standard output, the same in both modes.`

func runImpact(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("impact", stderr, impactUsage)
	beforePath := fs.String("before", "", "file of baseline values, one per line (- for stdin)")
	afterPath := fs.String("after", "", "file of values after the change, one per line (- for stdin)")
	better := fs.String("better", "", "required: lower or higher, the metric's better direction")
	alpha := fs.Float64("alpha", impact.DefaultAlpha, "significance level")
	minN := fs.Int("min-n", impact.DefaultMinN, "fewest values per side for a verdict (at least 2)")
	seed := fs.Uint64("seed", 0, "bootstrap seed (PCG); the same seed gives the same interval")
	resamples := fs.Int("resamples", impact.DefaultResamples, "bootstrap resamples (at least 100)")
	db := fs.String("db", "", "store holding the event (with --event): an SQLite file or a postgres:// URL")
	event := fs.String("event", "", "id of a stored kaizen event (with --db)")
	nowFlag := fs.String("now", "now", "with --db: the instant the event is measured at (RFC 3339 or now-<duration>)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *db != "" || *event != "" {
		return impactOfEvent(fs, eventRequest{db: *db, event: *event, now: *nowFlag, fileFlags: *beforePath != "" || *afterPath != "" || *better != "",
			opts: impact.Options{Alpha: *alpha, MinN: *minN, Seed: *seed, Resamples: *resamples}}, stdout)
	}
	if *beforePath == "" || *afterPath == "" || *better == "" {
		return usageError(fs, "--before, --after and --better are required")
	}
	if fs.NArg() != 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *beforePath == "-" && *afterPath == "-" {
		return usageError(fs, "only one of --before and --after can read standard input")
	}
	dir, err := impact.ParseDirection(*better)
	if err != nil {
		return fmt.Errorf("%w: --better: %v", errUsage, err)
	}
	if !(*alpha > 0 && *alpha < 1) {
		return fmt.Errorf("%w: --alpha %v: must be between 0 and 1", errUsage, *alpha)
	}
	if *minN < 2 {
		return fmt.Errorf("%w: --min-n %d: must be at least 2", errUsage, *minN)
	}
	if *resamples < 100 {
		return fmt.Errorf("%w: --resamples %d: must be at least 100", errUsage, *resamples)
	}
	before, err := readNumbers("--before", *beforePath, stdin)
	if err != nil {
		return err
	}
	after, err := readNumbers("--after", *afterPath, stdin)
	if err != nil {
		return err
	}
	opts := impact.Options{Better: dir, Alpha: *alpha, MinN: *minN, Seed: *seed, Resamples: *resamples}
	res, err := impact.Analyze(before, after, opts)
	if err != nil {
		return err
	}
	return writeJSONLine(stdout, impactJSON(res, opts))
}

// readNumbers reads one finite number per line; errors name the flag, file and line.
func readNumbers(flagName, path string, stdin io.Reader) ([]float64, error) {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagName, err)
		}
		defer f.Close()
		in = f
	}
	var out []float64
	sc := bufio.NewScanner(in)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s %s line %d: %q is not a finite number", flagName, path, line, text)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flagName, path, err)
	}
	return out, nil
}

type impactSide struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	Mean   *float64 `json:"mean"`
}

type impactOut struct {
	Before            impactSide     `json:"before"`
	After             impactSide     `json:"after"`
	Change            *float64       `json:"change"`
	RelativeChange    *float64       `json:"relative_change"`
	InBetterDirection bool           `json:"in_better_direction"`
	U                 *float64       `json:"u"`
	PValue            *float64       `json:"p_value"`
	CI95              *[2]float64    `json:"ci95"`
	Verdict           impact.Verdict `json:"verdict"`
	Needed            *impactNeeded  `json:"needed,omitempty"`
	SPC               *phasesJSON    `json:"spc,omitempty"`
	Options           impactOptsJSON `json:"options"`
}

type impactNeeded struct {
	Before int `json:"before"`
	After  int `json:"after"`
}

type impactOptsJSON struct {
	Better    impact.Direction `json:"better"`
	Alpha     float64          `json:"alpha"`
	MinN      int              `json:"min_n"`
	Seed      uint64           `json:"seed"`
	Resamples int              `json:"resamples"`
	Bootstrap string           `json:"bootstrap"`
}

// finite maps NaN (undefined: no values, or a zero baseline median) to JSON null.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func impactJSON(r impact.Result, o impact.Options) impactOut {
	out := impactOut{
		Before:            impactSide{N: r.Before.N, Median: finite(r.Before.Median), Mean: finite(r.Before.Mean)},
		After:             impactSide{N: r.After.N, Median: finite(r.After.Median), Mean: finite(r.After.Mean)},
		Change:            finite(r.Change),
		RelativeChange:    finite(r.RelativeChange),
		InBetterDirection: r.InBetterDirection,
		Verdict:           r.Verdict,
		Options: impactOptsJSON{Better: o.Better, Alpha: o.Alpha, MinN: o.MinN, Seed: o.Seed, Resamples: o.Resamples,
			Bootstrap: "percentile (2.5%, 97.5%, linear) over PCG-seeded resamples of each side"},
	}
	if r.Verdict == impact.InsufficientData {
		out.Needed = &impactNeeded{Before: r.Needed.Before, After: r.Needed.After}
	}
	if r.Test != nil {
		out.U, out.PValue = finite(r.Test.U), finite(r.Test.P)
	}
	if r.CI95 != nil {
		out.CI95 = &[2]float64{r.CI95.Lo, r.CI95.Hi}
	}
	out.SPC = phasesToJSON(r.Phases)
	return out
}

type limitsJSON struct {
	N      int     `json:"n"`
	Center float64 `json:"center"`
	UCL    float64 `json:"ucl"`
	LCL    float64 `json:"lcl"`
	MRBar  float64 `json:"mr_bar"`
}

type runJSON struct {
	Start  int `json:"start"`
	Length int `json:"length"`
}

type phasesJSON struct {
	Before         limitsJSON `json:"before"`
	After          limitsJSON `json:"after"`
	BetterRun      runJSON    `json:"longest_better_run"`
	WorseRun       runJSON    `json:"longest_worse_run"`
	SustainedShift bool       `json:"sustained_shift"`
	ShiftedWorse   bool       `json:"shifted_worse"`
}

func phasesToJSON(p *impact.Phases) *phasesJSON {
	if p == nil {
		return nil
	}
	lim := func(l impact.Limits) limitsJSON {
		return limitsJSON{N: l.N, Center: l.Center, UCL: l.UCL, LCL: l.LCL, MRBar: l.MRBar}
	}
	return &phasesJSON{
		Before: lim(p.Before), After: lim(p.After),
		BetterRun:      runJSON{Start: p.BetterRun.Start, Length: p.BetterRun.Length},
		WorseRun:       runJSON{Start: p.WorseRun.Start, Length: p.WorseRun.Length},
		SustainedShift: p.SustainedShift, ShiftedWorse: p.ShiftedWorse,
	}
}
