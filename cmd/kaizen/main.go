// Command kaizen scripts the Kaizen Ops engine: imports, queries, backfills and the
// statistics behind the panels, on the same store code the data source uses.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand. run returns errUsage (wrapped) for bad usage.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var errUsage = errors.New("usage")

// errHelp means -h was asked for: usage was printed and the command succeeds.
var errHelp = errors.New("help requested")

// commands lists the subcommands; each lives in its own cmd_<name>.go file.
func commands() map[string]command {
	return map[string]command{
		"import":   {summary: "load events from JSON, NDJSON or CSV into a store", run: runImport},
		"query":    {summary: "run a data source query against a store and print its frames as JSON", run: runQuery},
		"impact":   {summary: "did a change work? before/after medians, Mann-Whitney U, bootstrap CI, verdict", run: runImpact},
		"backtest": {summary: "replay candidate alert conditions over a series and score them against incidents", run: runBacktest},
		"drift":    {summary: "has a feature drifted? PSI, KS, Wasserstein, JSD or chi-square, current vs reference", run: runDrift},
		"spc":      {summary: "control chart of a series: limits, zones, Nelson/Western Electric rule violations", run: runSPC},
		"streams":  {summary: "define value streams (ordered stages, kinds, WIP limits) for flow metrics; rebuild flow rollups", run: runStreams},
		"demo":     {summary: "write the demo data set (months of incidents, deployments, SLOs, flow, drift, adoption...) into a new store", run: runDemo},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kaizen: unknown command %q (run 'kaizen help')\n", args[0])
		return 2
	}
	if err := cmd.run(args[1:], stdin, stdout, stderr); err != nil {
		if errors.Is(err, errHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "kaizen %s: %s\n", args[0], oneLine(err))
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func printUsage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: kaizen <command> [options]  (kaizen <command> -h for its options)")
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
}

// oneLine keeps error output to one line, as scripts expect.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
