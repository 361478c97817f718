package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/kaizenops/suite/pkg/stats/drift"
)

const driftUsage = `kaizen drift --method psi|ks|wasserstein|wasserstein-normed|jsd|chisquare --reference FILE --current FILE [--bins N] [--threshold X]

Has a feature's distribution drifted? Compares a current window with a
reference window and prints one JSON object:
  {"method":..,"statistic":..,"p_value":..,"threshold":..,"drift":true|false}
p_value appears for ks and chisquare only; psi adds "severity"
(none|moderate|significant); "notes" lists facts such as collapsed bins.

  psi                 population stability index over reference-quantile bins
                      (--bins, default 10); drift at >= 0.2, moderate from 0.1
  ks                  two-sample Kolmogorov-Smirnov, p-value as scipy ks_2samp
                      (exact up to 10000 values per side, else asymptotic);
                      drift at p < 0.05
  wasserstein         Wasserstein-1 distance in the feature's units: needs
                      --threshold (no default can fit every unit)
  wasserstein-normed  Wasserstein-1 / reference standard deviation (ddof=0);
                      drift at >= 0.1; a constant reference gives statistic
                      null (infinite) and drift unless current is the same
                      constant
  jsd                 Jensen-Shannon distance, base 2, over the psi bins;
                      drift at >= 0.1
  chisquare           chi-square test over the union of categories (scipy
                      chi2_contingency, Yates only for two categories);
                      drift at p < 0.05

Files hold one value per line: numbers, or category labels for chisquare.
Blank lines and lines starting with # are skipped; - reads standard input
(for one of the two). --threshold replaces the method's default: the drift
threshold for distances, alpha for ks and chisquare.`

func runDrift(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("drift", stderr, driftUsage)
	method := fs.String("method", "", "required: psi, ks, wasserstein, wasserstein-normed, jsd or chisquare")
	refPath := fs.String("reference", "", "required: file of reference values, one per line (- for stdin)")
	curPath := fs.String("current", "", "required: file of current values, one per line (- for stdin)")
	bins := fs.Int("bins", drift.DefaultBins, "reference-quantile bins for psi and jsd (at least 2)")
	threshold := fs.Float64("threshold", 0, "drift threshold (alpha for ks and chisquare); 0 = the method's default")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *method == "" || *refPath == "" || *curPath == "" {
		return usageError(fs, "--method, --reference and --current are required")
	}
	if fs.NArg() != 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *refPath == "-" && *curPath == "-" {
		return usageError(fs, "only one of --reference and --current can read standard input")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	m := drift.Method(*method)
	if err := checkDriftFlags(m, set["bins"], *bins, *threshold); err != nil {
		return usageError(fs, err.Error())
	}
	res, err := driftResult(m, *refPath, *curPath, stdin, *bins, *threshold)
	if err != nil {
		return err
	}
	return writeJSONLine(stdout, driftJSON(res))
}

func checkDriftFlags(m drift.Method, binsSet bool, bins int, threshold float64) error {
	known := false
	for _, k := range drift.Methods() {
		known = known || k == m
	}
	switch {
	case !known:
		return fmt.Errorf("unknown method %q (psi, ks, wasserstein, wasserstein-normed, jsd, chisquare)", m)
	case binsSet && m != drift.MethodPSI && m != drift.MethodJSD:
		return fmt.Errorf("--bins applies to psi and jsd only, not %s", m)
	case bins < 2:
		return fmt.Errorf("--bins %d: need at least 2", bins)
	case threshold < 0 || math.IsNaN(threshold) || math.IsInf(threshold, 0):
		return fmt.Errorf("--threshold %v: must be a positive number", threshold)
	case (m == drift.MethodKS || m == drift.MethodChiSquare) && threshold >= 1:
		return fmt.Errorf("--threshold %v: alpha for %s must be below 1", threshold, m)
	case m == drift.MethodWasserstein && threshold == 0:
		return fmt.Errorf("wasserstein is in the feature's units: give --threshold, or use wasserstein-normed")
	}
	return nil
}

// driftResult reads both files and runs the method.
func driftResult(m drift.Method, refPath, curPath string, stdin io.Reader, bins int, threshold float64) (drift.Result, error) {
	if m == drift.MethodChiSquare {
		ref, err := readCategories("--reference", refPath, stdin)
		if err != nil {
			return drift.Result{}, err
		}
		cur, err := readCategories("--current", curPath, stdin)
		if err != nil {
			return drift.Result{}, err
		}
		r, err := drift.ChiSquare(ref, cur, drift.ChiSquareOptions{Alpha: threshold})
		return r.Result, err
	}
	ref, err := readDriftNumbers("--reference", refPath, stdin)
	if err != nil {
		return drift.Result{}, err
	}
	cur, err := readDriftNumbers("--current", curPath, stdin)
	if err != nil {
		return drift.Result{}, err
	}
	switch m {
	case drift.MethodPSI:
		r, err := drift.PSI(ref, cur, drift.PSIOptions{Bins: bins, Threshold: threshold})
		return r.Result, err
	case drift.MethodJSD:
		r, err := drift.JSD(ref, cur, drift.JSDOptions{Bins: bins, Threshold: threshold})
		return r.Result, err
	case drift.MethodKS:
		r, err := drift.KS(ref, cur, drift.KSOptions{Alpha: threshold})
		return r.Result, err
	case drift.MethodWasserstein:
		return drift.Wasserstein(ref, cur, threshold)
	default:
		return drift.WassersteinNormed(ref, cur, threshold)
	}
}

// readDriftNumbers is readNumbers that also rejects an empty file.
func readDriftNumbers(flagName, path string, stdin io.Reader) ([]float64, error) {
	xs, err := readNumbers(flagName, path, stdin)
	if err == nil && len(xs) == 0 {
		err = fmt.Errorf("%s %s: no values", flagName, path)
	}
	return xs, err
}

// readCategories reads one label per line, trimmed; blank lines and lines
// starting with # are skipped, as for numbers.
func readCategories(flagName, path string, stdin io.Reader) ([]string, error) {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagName, err)
		}
		defer f.Close()
		in = f
	}
	var out []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		out = append(out, text)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flagName, path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s %s: no values", flagName, path)
	}
	return out, nil
}

type driftOut struct {
	Method    string   `json:"method"`
	Statistic *float64 `json:"statistic"` // null only for an infinite normed Wasserstein
	PValue    *float64 `json:"p_value,omitempty"`
	Threshold float64  `json:"threshold"`
	Drift     bool     `json:"drift"`
	Severity  string   `json:"severity,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

func driftJSON(r drift.Result) driftOut {
	out := driftOut{
		Method:    string(r.Method),
		Statistic: finite(r.Statistic),
		Threshold: r.Threshold,
		Drift:     r.Drifted,
		Notes:     r.Notes,
	}
	if r.HasPValue() {
		out.PValue = &r.PValue
	}
	if r.Method == drift.MethodPSI {
		out.Severity = string(r.Severity)
	}
	return out
}
