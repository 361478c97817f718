package ingest

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// headcountKind: the eligible headcount of a team (the denominator of adoption rates)
// from effective_at until the team's next row. A department's headcount is the sum of
// its teams'. Re-sending a team's row for the same date replaces it.
func headcountKind() Kind {
	return Kind{
		Name:  "headcount",
		Table: "headcounts",
		Key:   []string{"team", "effective_at"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "team", Type: String, Required: true},
			{Name: "department", Type: String},
			// A date (2024-05-01, meaning 00:00 UTC) or an RFC 3339 time: HR exports
			// carry dates. String here, parsed by checkHeadcount.
			{Name: "effective_at", Type: String, Required: true},
			{Name: "headcount", Type: Number, Required: true},
		},
		Check: checkHeadcount,
	}
}

func checkHeadcount(r Record) *FieldError {
	if s, _ := r["team"].(string); isBlank(s) {
		return &FieldError{Field: "team", Reason: "is empty"}
	}
	text, _ := r["effective_at"].(string)
	ms, err := parseEffectiveDate(text)
	if err != nil {
		return &FieldError{Field: "effective_at", Reason: err.Error()}
	}
	r["effective_at"] = ms
	n, _ := r["headcount"].(float64)
	if n < 0 {
		return &FieldError{Field: "headcount", Reason: fmt.Sprintf("%v is negative", n)}
	}
	if n != math.Trunc(n) {
		return &FieldError{Field: "headcount", Reason: fmt.Sprintf("%v is not a whole number of people", n)}
	}
	return nil
}

// parseEffectiveDate accepts YYYY-MM-DD (midnight UTC) or RFC 3339 with a zone.
// Planned headcounts may lie in the future.
func parseEffectiveDate(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if d.Before(earliest) {
			return 0, fmt.Errorf("date %q is before 1970", s)
		}
		if d.After(latestFuture) {
			return 0, fmt.Errorf("date %q is too far in the future (after %s)", s, latestFuture.Format(time.DateOnly))
		}
		return d.UnixMilli(), nil
	}
	ms, err := parseTime(s, time.Time{}, true)
	if err != nil {
		return 0, fmt.Errorf("%v; a date such as 2024-05-01 also works", err)
	}
	return ms, nil
}
