package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// KPIDefinitionsKind names the importable KPI definitions. They are not an event kind:
// definitions are versioned (pkg/metrics/kpi), so importing one creates or bumps a version
// instead of upserting a row.
const KPIDefinitionsKind = "kpi-definitions"

// maxKPILabelBytes bounds a sample's labels: they are part of the sample's key, and an
// index entry must stay small on every store (PostgreSQL refuses btree rows over ~2.7 kB).
const maxKPILabelBytes = 1024

var kpiIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// CheckKPIID validates a KPI id: it appears in URLs and alert labels.
func CheckKPIID(id string) error {
	if !kpiIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not a KPI id: use 1 to 100 letters, digits, '_', '-' or '.', starting with a letter or digit", id)
	}
	return nil
}

// kpiSampleKind: DESIGN.md section 2, "KPI sample: kpi, at, value, labels". The key is
// the KPI, the time and the canonical labels: a re-sent measurement replaces the stored one.
func kpiSampleKind() Kind {
	return Kind{
		Name:  "kpi-samples",
		Table: "kpi_samples",
		Key:   []string{"kpi", "at", "labels"},
		Fields: []Field{
			{Name: "kpi", Type: String, Required: true},
			{Name: "at", Type: Time, Required: true},
			{Name: "value", Type: Number, Required: true},
			{Name: "labels", Type: Labels},
			{Name: "source", Type: String, Default: "api"},
		},
		Check: checkKPISample,
	}
}

func checkKPISample(r Record) *FieldError {
	if err := CheckKPIID(r["kpi"].(string)); err != nil {
		return &FieldError{Field: "kpi", Reason: err.Error()}
	}
	if l := r["labels"].(string); len(l) > maxKPILabelBytes {
		return &FieldError{Field: "labels", Reason: fmt.Sprintf("are %d bytes of JSON, more than the %d allowed (labels are part of a sample's key)", len(l), maxKPILabelBytes)}
	}
	return nil
}

// KPIDefinitionKind is the record a KPI definition is written as, in POST and PUT bodies
// and in imports. It has no table: pkg/metrics/kpi stores definitions as versions.
func KPIDefinitionKind() Kind {
	return Kind{
		Name: KPIDefinitionsKind,
		Fields: []Field{
			{Name: "id", Type: String, Required: true},
			{Name: "name", Type: String, Required: true},
			{Name: "unit", Type: String},
			{Name: "direction", Type: Enum, Enum: []string{"higher", "lower"}, Required: true},
			{Name: "target", Type: Number, Required: true},
			{Name: "warning", Type: Number},
			{Name: "critical", Type: Number},
			{Name: "indicator", Type: Enum, Enum: []string{"leading", "lagging"}},
			{Name: "owner", Type: String},
			{Name: "description", Type: String},
			{Name: "cost_per_unit", Type: Number},
			{Name: "currency", Type: String},
			{Name: "service", Type: String},
			// An absent status keeps the current one (active for a new KPI).
			{Name: "status", Type: Enum, Enum: []string{"active", "retired"}},
			// When the version takes effect (default: when it is written); may lie ahead.
			{Name: "effective_from", Type: Time, Future: true},
			// The version an edit was based on; a different current version refuses the edit.
			{Name: "base_version", Type: Number},
		},
		Check: checkKPIDefinition,
	}
}

var currencyPattern = regexp.MustCompile(`^[A-Za-z]{3}$`)

// checkKPIDefinition: thresholds lie on the bad side of the target, critical beyond
// warning, so "reaching warning" always comes before "reaching critical".
func checkKPIDefinition(r Record) *FieldError {
	if err := CheckKPIID(r["id"].(string)); err != nil {
		return &FieldError{Field: "id", Reason: err.Error()}
	}
	if strings.TrimSpace(r["name"].(string)) == "" {
		return &FieldError{Field: "name", Reason: "is empty"}
	}
	higher := r["direction"] == "higher"
	side := "below"
	if !higher {
		side = "above"
	}
	// worse(a, b): a is on the bad side of b.
	worse := func(a, b float64) bool {
		if higher {
			return a < b
		}
		return a > b
	}
	target := r["target"].(float64)
	warning, hasWarning := r["warning"].(float64)
	critical, hasCritical := r["critical"].(float64)
	if hasWarning && !worse(warning, target) {
		return &FieldError{Field: "warning", Reason: fmt.Sprintf("%s is not %s the target %s: when %s is better, the warning threshold lies %s the target",
			num(warning), side, num(target), r["direction"], side)}
	}
	if hasCritical && !worse(critical, target) {
		return &FieldError{Field: "critical", Reason: fmt.Sprintf("%s is not %s the target %s: when %s is better, the critical threshold lies %s the target",
			num(critical), side, num(target), r["direction"], side)}
	}
	if hasWarning && hasCritical && !worse(critical, warning) {
		return &FieldError{Field: "critical", Reason: fmt.Sprintf("%s is not %s the warning threshold %s: when %s is better, critical lies %s warning",
			num(critical), side, num(warning), r["direction"], side)}
	}
	cost, hasCost := r["cost_per_unit"].(float64)
	if hasCost && cost < 0 {
		return &FieldError{Field: "cost_per_unit", Reason: fmt.Sprintf("%s is negative; a cost per unit is zero or more", num(cost))}
	}
	if c := r["currency"].(string); c != "" && !currencyPattern.MatchString(c) {
		return &FieldError{Field: "currency", Reason: fmt.Sprintf("%q is not an ISO 4217 code such as USD or EUR", c)}
	}
	if r["service"].(string) != "" {
		// A KPI that names a service prices its incidents' customer-impact minutes.
		if r["unit"] != "m" {
			return &FieldError{Field: "unit", Reason: fmt.Sprintf("is %q; a KPI that names a service counts its downtime minutes: use unit \"m\"", r["unit"])}
		}
		if !hasCost {
			return &FieldError{Field: "cost_per_unit", Reason: "is required when service is set: it is the service's cost per minute of customer impact"}
		}
	}
	if v, ok := r["base_version"].(float64); ok && (v < 1 || v != float64(int64(v))) {
		return &FieldError{Field: "base_version", Reason: fmt.Sprintf("%s is not a version number (1, 2, ...)", num(v))}
	}
	return nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ParseKPIDefinition reads one definition record from a JSON object (a POST or PUT body).
// It returns the record and the names of fields it does not know.
func ParseKPIDefinition(body []byte, now time.Time) (Record, []string, error) {
	d := jsonRecord(1, bytes.TrimSpace(body))
	if d.err != nil {
		return nil, nil, &PayloadError{Reason: "KPI definition: " + d.err.Reason}
	}
	unknown := map[string]bool{}
	rec, fe := KPIDefinitionKind().convert(d.raw, now, unknown)
	if fe != nil {
		return nil, nil, fe
	}
	return rec, sortedKeys(unknown), nil
}

// ApplyKPIDefinitions reads definition records (JSON, NDJSON or CSV) and applies each valid
// one in order, all in one transaction, reporting rejected records as Ingest does.
func ApplyKPIDefinitions(ctx context.Context, st store.Store, format Format, r io.Reader, opts Options, apply RecordApplier) (Result, error) {
	return applyRecords(ctx, st, KPIDefinitionKind(), nil, format, r, opts, apply)
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
