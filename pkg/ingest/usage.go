package ingest

// usageKind: one use of a tool (and optionally one of its features) by one user.
// The column is user_id because "user" is a reserved word in PostgreSQL.
func usageKind() Kind {
	return Kind{
		Name:  "usage",
		Table: "usage_events",
		// Re-sending the same use replaces it; a sender needs no event ids.
		Key: []string{"at", "user_id", "tool", "feature", "source"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "user_id", Type: String, Required: true},
			{Name: "team", Type: String},
			{Name: "department", Type: String},
			{Name: "tool", Type: String, Required: true},
			{Name: "feature", Type: String},
			{Name: "at", Type: Time, Required: true},
		},
		Check: checkUsage,
	}
}

func checkUsage(r Record) *FieldError {
	for _, name := range []string{"user_id", "tool"} {
		if s, _ := r[name].(string); isBlank(s) {
			return &FieldError{Field: name, Reason: "is empty"}
		}
	}
	return nil
}

func isBlank(s string) bool {
	for _, c := range s {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}
