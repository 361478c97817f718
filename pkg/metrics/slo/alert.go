package slo

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// AlertRule is one multiwindow burn-rate condition: it holds when the burn rate
// over Long and over Short are both above Factor (the short window makes the
// alert reset soon after the burn stops).
type AlertRule struct {
	Severity    string
	Long, Short time.Duration
	Factor      float64
}

// Alert severities, least to most urgent, and their numeric levels for alert rules.
const (
	AlertOK     = "ok"
	AlertTicket = "ticket"
	AlertPage   = "page"
)

var alertLevels = map[string]int{AlertOK: 0, AlertTicket: 1, AlertPage: 2}

// WorkbookRules are the multiwindow, multi-burn-rate alerts of the Google SRE
// workbook (ch. 5, "Alerting on SLOs", table 5-8), stated for a 30-day SLO:
// page when 1h and 5m burn above 14.4 (2% of the budget in an hour) or 6h and 30m
// above 6 (5% in six hours); ticket when 3d and 6h burn above 1 (10% in three days).
var WorkbookRules = []AlertRule{
	{Severity: AlertPage, Long: time.Hour, Short: 5 * time.Minute, Factor: 14.4},
	{Severity: AlertPage, Long: 6 * time.Hour, Short: 30 * time.Minute, Factor: 6},
	{Severity: AlertTicket, Long: 3 * 24 * time.Hour, Short: 6 * time.Hour, Factor: 1},
}

// WorkbookWindows are the windows the workbook's rules read, shortest first.
func WorkbookWindows() []time.Duration {
	return []time.Duration{5 * time.Minute, 30 * time.Minute, time.Hour, 6 * time.Hour, 3 * 24 * time.Hour}
}

// alertState returns the most urgent rule that holds, given burn rates by window.
// A window without traffic burns 0 and never holds.
func alertState(burn func(time.Duration) float64) string {
	state := AlertOK
	for _, r := range WorkbookRules {
		if burn(r.Long) > r.Factor && burn(r.Short) > r.Factor && alertLevels[r.Severity] > alertLevels[state] {
			state = r.Severity
		}
	}
	return state
}

// thresholdsFor lists, for one window, the factors of the rules that read it:
// the page and ticket thresholds a burn-rate view draws.
func thresholdsFor(w time.Duration) (page, ticket *float64) {
	for _, r := range WorkbookRules {
		if r.Long != w && r.Short != w {
			continue
		}
		f := r.Factor
		if r.Severity == AlertPage && page == nil {
			page = &f
		}
		if r.Severity == AlertTicket && ticket == nil {
			ticket = &f
		}
	}
	return page, ticket
}

// parseWindows reads burn-rate windows ("5m", "1h", "3d"); none given: the workbook's.
func parseWindows(texts []string) ([]time.Duration, error) {
	if len(texts) == 0 {
		return WorkbookWindows(), nil
	}
	if len(texts) > 12 {
		return nil, fmt.Errorf("slo.windows: %d windows, more than the 12 allowed", len(texts))
	}
	seen := map[time.Duration]bool{}
	out := make([]time.Duration, 0, len(texts))
	for _, t := range texts {
		w, err := query.ParseDuration(t)
		if err != nil {
			return nil, fmt.Errorf("slo.windows: %w", err)
		}
		if w < time.Minute || w%time.Minute != 0 || w > maxWindow {
			return nil, fmt.Errorf("slo.windows: %q: give whole minutes from 1m to 366d", strings.TrimSpace(t))
		}
		if seen[w] {
			return nil, fmt.Errorf("slo.windows: %q given twice", strings.TrimSpace(t))
		}
		seen[w] = true
		out = append(out, w)
	}
	return out, nil
}
