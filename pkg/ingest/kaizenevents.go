package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// KaizenEventsKind names importable kaizen events. They are not an event kind: each
// record creates or edits an event (pkg/metrics/kaizen), whose target query is checked
// against the engine before it is stored.
const KaizenEventsKind = "kaizen-events"

// Kaizen event statuses. Whether the event worked is not a status: the impact query
// answers it from the data.
var KaizenStatuses = []string{"proposed", "in-progress", "deployed", "abandoned"}

// Bounds on an event's windows and reviews: ten years is longer than any review cycle.
const (
	maxKaizenDays    = 3650
	maxKaizenReviews = 20
)

var kaizenIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// CheckKaizenID validates a kaizen event id: it appears in URLs and alert labels.
func CheckKaizenID(id string) error {
	if !kaizenIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not a kaizen event id: use 1 to 100 letters, digits, '_', '-' or '.', starting with a letter or digit", id)
	}
	return nil
}

// KaizenEventKind is the record a kaizen event is written as, in POST and PUT bodies
// and in imports. target is a data source query: a JSON object in JSON bodies, its
// JSON text in CSV. review_days is a list of days after deployed_at: a JSON array,
// or "30,60,90" in CSV; "none" (or []) for no reviews; missing: 30, 60 and 90.
func KaizenEventKind() Kind {
	return Kind{
		Name: KaizenEventsKind,
		Fields: []Field{
			{Name: "id", Type: String, Required: true},
			{Name: "name", Type: String, Required: true},
			{Name: "owner", Type: String},
			{Name: "description", Type: String},
			{Name: "hypothesis", Type: String},
			{Name: "target", Type: String, Required: true},
			{Name: "expected_direction", Type: Enum, Enum: []string{"higher", "lower"}},
			{Name: "expected_change_pct", Type: Number},
			{Name: "proposed_at", Type: Time},
			{Name: "deployed_at", Type: Time},
			{Name: "review_days", Type: String},
			{Name: "baseline_days", Type: Number},
			{Name: "after_days", Type: Number},
			{Name: "settling_days", Type: Number},
			// An absent status is deployed when deployed_at is set, else proposed.
			{Name: "status", Type: Enum, Enum: KaizenStatuses},
			// The revision an edit was based on; a different stored revision refuses the edit.
			{Name: "base_revision", Type: Number},
		},
		Check: checkKaizenEvent,
	}
}

func checkKaizenEvent(r Record) *FieldError {
	if err := CheckKaizenID(r["id"].(string)); err != nil {
		return &FieldError{Field: "id", Reason: err.Error()}
	}
	if strings.TrimSpace(r["name"].(string)) == "" {
		return &FieldError{Field: "name", Reason: "is empty"}
	}
	if fe := checkKaizenTarget(r["target"].(string)); fe != nil {
		return fe
	}
	if v, ok := r["expected_change_pct"].(float64); ok && !(v > 0 && v <= 1000) {
		return &FieldError{Field: "expected_change_pct", Reason: fmt.Sprintf("%s is not a size between 0 and 1000: give the expected change in percent of the baseline median (20 for 20 %%); expected_direction says which way", num(v))}
	}
	if _, err := ParseReviewDays(r["review_days"].(string)); err != nil {
		return &FieldError{Field: "review_days", Reason: err.Error()}
	}
	for _, w := range []struct {
		name    string
		zeroOK  bool
		meaning string
	}{{"baseline_days", false, "the baseline window before deployed_at"}, {"after_days", false, "the window after the deployment"}, {"settling_days", true, "the settling period skipped after the deployment"}} {
		v, ok := r[w.name].(float64)
		if !ok {
			continue
		}
		if v < 0 || (v == 0 && !w.zeroOK) || v > maxKaizenDays {
			low := "more than 0"
			if w.zeroOK {
				low = "0 or more"
			}
			return &FieldError{Field: w.name, Reason: fmt.Sprintf("%s days: %s must be %s and at most %d days", num(v), w.meaning, low, maxKaizenDays)}
		}
	}
	proposed, hasProposed := r.Time("proposed_at")
	deployed, hasDeployed := r.Time("deployed_at")
	if hasProposed && hasDeployed && deployed < proposed {
		return &FieldError{Field: "deployed_at", Reason: "deployed_at " + fmtMs(deployed) + " is before proposed_at " + fmtMs(proposed)}
	}
	switch status := r["status"].(string); {
	case status == "deployed" && !hasDeployed:
		return &FieldError{Field: "deployed_at", Reason: "is required when status is deployed: it is when the change went live, where the before and after windows meet"}
	case (status == "proposed" || status == "in-progress") && hasDeployed:
		return &FieldError{Field: "status", Reason: fmt.Sprintf("is %s but deployed_at is set; set status deployed (or abandoned for a change rolled back), or remove deployed_at", status)}
	}
	if v, ok := r["base_revision"].(float64); ok && (v < 1 || v != float64(int64(v))) {
		return &FieldError{Field: "base_revision", Reason: fmt.Sprintf("%s is not a revision number (1, 2, ...)", num(v))}
	}
	return nil
}

// checkKaizenTarget checks the target is a query object naming its type and metric;
// pkg/metrics/kaizen then runs it, so every other mistake is named by the engine.
func checkKaizenTarget(text string) *FieldError {
	var q map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&q); err != nil || q == nil {
		return &FieldError{Field: "target", Reason: `is not a JSON object: give the data source query of the metric, e.g. {"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d","filters":{"service":["checkout"]}}`}
	}
	if dec.More() {
		return &FieldError{Field: "target", Reason: "has data after the query object"}
	}
	for _, k := range []string{"queryType", "metric"} {
		if s, _ := q[k].(string); strings.TrimSpace(s) == "" {
			return &FieldError{Field: "target", Reason: fmt.Sprintf("has no %s: name the metric the event targets, e.g. \"queryType\":\"incidents\",\"metric\":\"mttr\"", k)}
		}
	}
	return nil
}

// DefaultReviewDays are the reviews of an event that names none: 30, 60 and 90 days
// after deployed_at.
var DefaultReviewDays = []int{30, 60, 90}

// ParseReviewDays reads review_days: whole days after deployed_at, ascending, such as
// "30,60,90"; "" gives the default and "none" no reviews.
func ParseReviewDays(text string) ([]int, error) {
	text = strings.TrimSpace(text)
	switch strings.ToLower(text) {
	case "":
		return append([]int(nil), DefaultReviewDays...), nil
	case "none":
		return []int{}, nil
	}
	parts := strings.Split(text, ",")
	if len(parts) > maxKaizenReviews {
		return nil, fmt.Errorf("has %d reviews, more than the %d allowed", len(parts), maxKaizenReviews)
	}
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		d, err := strconv.Atoi(p)
		if err != nil || d < 1 || d > maxKaizenDays {
			return nil, fmt.Errorf("%q is not a whole number of days from 1 to %d (use a list such as 30,60,90, or none)", p, maxKaizenDays)
		}
		if len(out) > 0 && d <= out[len(out)-1] {
			return nil, fmt.Errorf("%d comes after %d: list review days in ascending order, each once", d, out[len(out)-1])
		}
		out = append(out, d)
	}
	return out, nil
}

// FormatReviewDays writes review days as review_days text ("30,60,90", or "none").
func FormatReviewDays(days []int) string {
	if len(days) == 0 {
		return "none"
	}
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// flattenKaizenRecord turns a JSON record's structured fields into the text the kind
// reads: the target object into its JSON, a review_days array into "30,60,90".
func flattenKaizenRecord(raw rawRecord) *FieldError {
	if raw.fromText || raw.fields == nil {
		return nil
	}
	if t, ok := raw.fields["target"].(map[string]any); ok {
		b, err := json.Marshal(t)
		if err != nil {
			return &FieldError{Field: "target", Reason: fmt.Sprintf("cannot be read: %v", err)}
		}
		raw.fields["target"] = string(b)
	}
	if list, ok := raw.fields["review_days"].([]any); ok {
		parts := make([]string, len(list))
		for i, v := range list {
			n, isNum := v.(json.Number)
			if !isNum {
				return &FieldError{Field: "review_days", Reason: fmt.Sprintf("item %d is %s: want whole numbers of days, e.g. [30, 60, 90]", i+1, jsonType(v))}
			}
			parts[i] = n.String()
		}
		raw.fields["review_days"] = strings.Join(parts, ",")
		if len(list) == 0 {
			raw.fields["review_days"] = "none"
		}
	}
	return nil
}

// ParseKaizenEvent reads one event record from a JSON object (a POST or PUT body).
// It returns the record and the names of fields it does not know.
func ParseKaizenEvent(body []byte, now time.Time) (Record, []string, error) {
	d := jsonRecord(1, bytes.TrimSpace(body))
	if d.err != nil {
		return nil, nil, &PayloadError{Reason: "kaizen event: " + d.err.Reason}
	}
	if fe := flattenKaizenRecord(d.raw); fe != nil {
		return nil, nil, fe
	}
	unknown := map[string]bool{}
	rec, fe := KaizenEventKind().convert(d.raw, now, unknown)
	if fe != nil {
		return nil, nil, fe
	}
	return rec, sortedKeys(unknown), nil
}

// ApplyKaizenEvents reads event records (JSON, NDJSON or CSV) and applies each valid
// one in order, all in one transaction, reporting rejected records as Ingest does.
func ApplyKaizenEvents(ctx context.Context, st store.Store, format Format, r io.Reader, opts Options, apply RecordApplier) (Result, error) {
	return applyRecords(ctx, st, KaizenEventKind(), flattenKaizenRecord, format, r, opts, apply)
}
