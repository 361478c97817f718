package promql

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// interpolate replaces Grafana's interval and range variables, as Grafana's
// Prometheus data source does in its backend (alert rules never pass through the
// browser, so the backend must): $__interval is the step, $__rate_interval is
// max(step + scrape interval, 4 × scrape interval), $__range the time range
// rounded to whole seconds. Longer names come first so $__interval_ms is not read
// as $__interval followed by "_ms".
func interpolate(expr string, step, scrape, span time.Duration) string {
	rangeS := int64(math.Round(span.Seconds()))
	rate := max(step+scrape, 4*scrape)
	ms := func(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }
	pairs := []string{
		"__rate_interval_ms", ms(rate),
		"__rate_interval", formatDuration(rate),
		"__interval_ms", ms(step),
		"__interval", formatDuration(step),
		"__range_ms", strconv.FormatInt(span.Milliseconds(), 10),
		"__range_s", strconv.FormatInt(rangeS, 10),
		"__range", strconv.FormatInt(rangeS, 10) + "s",
	}
	var args []string
	for i := 0; i < len(pairs); i += 2 {
		args = append(args, "${"+pairs[i]+"}", pairs[i+1])
	}
	for i := 0; i < len(pairs); i += 2 {
		args = append(args, "$"+pairs[i], pairs[i+1])
	}
	return strings.NewReplacer(args...).Replace(expr)
}

var legendVar = regexp.MustCompile(`\{\{\s*(.+?)\s*\}\}`)

// autoLegend is the legend format that means "the default name".
const autoLegend = "__auto"

// legendName renders a legend format such as "{{service}} p95" for a series'
// labels; a label the series lacks renders empty, as in Grafana.
func legendName(format string, labels map[string]string) string {
	return legendVar.ReplaceAllStringFunc(format, func(m string) string {
		return labels[legendVar.FindStringSubmatch(m)[1]]
	})
}

// defaultName is how Prometheus prints a series: name{label="value", ...}; a
// series without labels (a scalar, a sum over everything) is named by the expression.
func defaultName(labels map[string]string, expr string) string {
	names := make([]string, 0, len(labels))
	for k := range labels {
		if k != "__name__" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + strconv.Quote(labels[k])
	}
	name := labels["__name__"]
	switch {
	case len(parts) > 0:
		return name + "{" + strings.Join(parts, ", ") + "}"
	case name != "":
		return name
	}
	return shortExpr(expr)
}

// shortExpr is the expression on one line, cut to 80 characters for legends.
func shortExpr(expr string) string {
	s := strings.Join(strings.Fields(expr), " ")
	if r := []rune(s); len(r) > 80 {
		return string(r[:79]) + "…"
	}
	return s
}
