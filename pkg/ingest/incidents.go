package ingest

import "time"

// incidentKind: DESIGN.md section 2. Timestamps must follow the life of an incident:
// started <= detected <= acknowledged, and started <= mitigated <= resolved.
func incidentKind() Kind {
	return Kind{
		Name:  "incidents",
		Table: "incidents",
		Key:   []string{"source", "id"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "id", Type: String, Required: true},
			{Name: "service", Type: String},
			{Name: "team", Type: String},
			{Name: "severity", Type: String},
			{Name: "title", Type: String},
			{Name: "started_at", Type: Time, Required: true},
			{Name: "detected_at", Type: Time},
			{Name: "acknowledged_at", Type: Time},
			{Name: "mitigated_at", Type: Time},
			{Name: "resolved_at", Type: Time},
			{Name: "detected_by", Type: Enum, Enum: []string{"monitoring", "customer", "staff", "synthetic"}},
			{Name: "caused_by_deployment", Type: String},
			{Name: "customer_impact", Type: Number},
			{Name: "labels", Type: Labels},
		},
		Check: checkIncidentTimes,
	}
}

func checkIncidentTimes(r Record) *FieldError {
	order := [][2]string{
		{"started_at", "detected_at"},
		{"detected_at", "acknowledged_at"},
		{"started_at", "acknowledged_at"},
		{"started_at", "mitigated_at"},
		{"mitigated_at", "resolved_at"},
		{"started_at", "resolved_at"},
	}
	for _, pair := range order {
		a, okA := r.Time(pair[0])
		b, okB := r.Time(pair[1])
		if okA && okB && b < a {
			return &FieldError{Field: pair[1], Reason: pair[1] + " " + fmtMs(b) + " is before " + pair[0] + " " + fmtMs(a)}
		}
	}
	if v, ok := r["customer_impact"].(float64); ok && v < 0 {
		return &FieldError{Field: "customer_impact", Reason: "customer impact minutes cannot be negative"}
	}
	return nil
}

func fmtMs(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }
