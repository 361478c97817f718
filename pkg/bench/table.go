package bench

import (
	"fmt"
	"io"
	"strings"
)

// TargetP95Ms is the goal for every dashboard query (docs/benchmarks.md).
const TargetP95Ms = 200

// WriteTable prints the results as a Markdown table, one row per query and store.
func WriteTable(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| query (dashboard / panel / refId) | data set | store | runs | p50 ms | p95 ms | rows in range | peak heap | peak RSS | baseline p50 ms | x baseline | |")
	fmt.Fprintln(w, "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, r := range results {
		if r.Err != "" {
			fmt.Fprintf(w, "| %s | %s | %s | | | | | | | | | error: %s |\n", esc(r.Target), r.Dataset, r.Store, esc(r.Err))
			continue
		}
		mark := "ok"
		if r.P95 > TargetP95Ms {
			mark = fmt.Sprintf("over %d ms", TargetP95Ms)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d | %.1f | %.1f | %d | %s | %s | %.1f | %s | %s |\n",
			esc(r.Target), r.Dataset, r.Store, r.Reps, r.P50, r.P95, r.Rows, bytesText(r.PeakHeap), bytesText(r.PeakRSS), r.BaseP50, ratioText(r.Ratio), mark)
	}
}

// Summary counts the results over the target and the errors.
func Summary(results []Result) (measured, over, failed int) {
	for _, r := range results {
		switch {
		case r.Err != "":
			failed++
		case r.P95 > TargetP95Ms:
			measured++
			over++
		default:
			measured++
		}
	}
	return measured, over, failed
}

func ratioText(r float64) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", r)
}

func bytesText(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}

func esc(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
