package ingest

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits guard the store against absurd values.
const (
	maxStringBytes = 8 << 10
	maxLabels      = 64
	// clockSkew is how far in the future an event time may lie.
	clockSkew = 24 * time.Hour
)

// earliest is the first time accepted: anything before 1970 is a unit mistake.
var earliest = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// latestFuture bounds times that may lie in the future, such as due dates.
var latestFuture = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// rawRecord is a decoded record before validation: JSON values, or CSV text.
type rawRecord struct {
	fields map[string]any
	// fromText marks CSV records: every value is a string and "" means absent.
	fromText bool
}

// convert validates raw against the kind and returns the typed record.
// unknown collects field names the kind does not have.
func (k Kind) convert(raw rawRecord, now time.Time, unknown map[string]bool) (Record, *FieldError) {
	rec := Record{}
	for name := range raw.fields {
		if _, ok := k.field(name); !ok {
			unknown[name] = true
		}
	}
	for _, f := range k.Fields {
		v, present := raw.fields[f.Name]
		if raw.fromText {
			if s, _ := v.(string); s == "" {
				present = false
			}
		}
		if !present || v == nil {
			if f.Required {
				return nil, &FieldError{Field: f.Name, Reason: "is required"}
			}
			rec[f.Name] = defaultFor(f)
			continue
		}
		val, err := parseField(f, v, now)
		if err != nil {
			return nil, &FieldError{Field: f.Name, Reason: err.Error()}
		}
		rec[f.Name] = val
	}
	if k.Check != nil {
		if fe := k.Check(rec); fe != nil {
			return nil, fe
		}
	}
	return rec, nil
}

func defaultFor(f Field) any {
	switch f.Type {
	case String, Enum:
		return f.Default
	case Labels:
		return "{}"
	}
	return nil
}

func parseField(f Field, v any, now time.Time) (any, error) {
	switch f.Type {
	case String:
		return parseString(v)
	case Enum:
		s, err := parseString(v)
		if err != nil {
			return nil, err
		}
		s = strings.ToLower(strings.TrimSpace(s))
		if !slices.Contains(f.Enum, s) {
			return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(f.Enum, ", "))
		}
		return s, nil
	case Time:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want an RFC 3339 timestamp string, got %s", jsonType(v))
		}
		return parseTime(s, now, f.Future)
	case Number:
		return parseNumber(v)
	case Labels:
		return parseLabels(v)
	}
	return nil, fmt.Errorf("unsupported field type")
}

func parseString(v any) (string, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String() // ids are often numeric in exports
	default:
		return "", fmt.Errorf("want a string, got %s", jsonType(v))
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("is not valid UTF-8")
	}
	if len(s) > maxStringBytes {
		return "", fmt.Errorf("is %d bytes, more than the %d allowed", len(s), maxStringBytes)
	}
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("contains a NUL character")
	}
	return s, nil
}

// parseTime accepts RFC 3339 with a zone (Z or an offset) and nothing else:
// a time without a zone is ambiguous and would silently shift by hours.
func parseTime(s string, now time.Time, future bool) (int64, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if _, errLocal := time.Parse("2006-01-02T15:04:05.999999999", s); errLocal == nil {
			return 0, fmt.Errorf("timestamp %q has no time zone; add Z or an offset such as +02:00 (RFC 3339)", s)
		}
		if _, errSpace := time.Parse("2006-01-02 15:04:05Z07:00", s); errSpace == nil {
			return 0, fmt.Errorf("timestamp %q separates date and time with a space; use T (RFC 3339)", s)
		}
		return 0, fmt.Errorf("timestamp %q is not RFC 3339 (e.g. 2024-05-01T09:30:00Z)", s)
	}
	if t.Before(earliest) {
		return 0, fmt.Errorf("timestamp %q is before 1970", s)
	}
	limit := now.Add(clockSkew)
	if future {
		limit = latestFuture
	}
	if t.After(limit) {
		return 0, fmt.Errorf("timestamp %q is too far in the future (after %s)", s, limit.Format(time.RFC3339))
	}
	return t.UnixMilli(), nil
}

func parseNumber(v any) (float64, error) {
	var f float64
	switch t := v.(type) {
	case json.Number:
		x, err := strconv.ParseFloat(t.String(), 64)
		if err != nil {
			return 0, fmt.Errorf("number %s is out of range", t)
		}
		f = x
	case string:
		x, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", t)
		}
		f = x
	default:
		return 0, fmt.Errorf("want a number, got %s", jsonType(v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("must be a finite number, got %v", f)
	}
	return f, nil
}

// parseLabels accepts a flat object of strings (from CSV: its JSON text) and
// stores it as canonical JSON with sorted keys.
func parseLabels(v any) (string, error) {
	if s, ok := v.(string); ok {
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return "", fmt.Errorf("want a JSON object of strings: %v", err)
		}
		v = m
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("want an object of string values, got %s", jsonType(v))
	}
	if len(m) > maxLabels {
		return "", fmt.Errorf("has %d labels, more than the %d allowed", len(m), maxLabels)
	}
	for k, lv := range m {
		s, err := parseString(lv)
		if err != nil {
			return "", fmt.Errorf("label %q: %v", k, err)
		}
		if !utf8.ValidString(k) {
			return "", fmt.Errorf("a label name is not valid UTF-8")
		}
		m[k] = s
	}
	out, err := json.Marshal(m) // encoding/json sorts map keys
	if err != nil {
		return "", fmt.Errorf("encoding labels: %v", err)
	}
	return string(out), nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}
