package ingest

import "strings"

// workItemKind: DESIGN.md section 2 (work item). An item belongs to one value stream;
// done_at, when known, is its completion (lead time = done_at − created_at). Items with
// no done_at can also be completed by entering a done stage of their value stream.
func workItemKind() Kind {
	return Kind{
		Name:  "work_items",
		Table: "work_items",
		Key:   []string{"source", "id"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "id", Type: String, Required: true},
			{Name: "value_stream", Type: String},
			{Name: "type", Type: String},
			{Name: "team", Type: String},
			{Name: "title", Type: String},
			{Name: "created_at", Type: Time, Required: true},
			{Name: "done_at", Type: Time},
			{Name: "labels", Type: Labels},
		},
		Check: checkWorkItem,
	}
}

func checkWorkItem(r Record) *FieldError {
	if id, _ := r["id"].(string); strings.TrimSpace(id) == "" {
		return &FieldError{Field: "id", Reason: "is blank"}
	}
	created, _ := r.Time("created_at")
	if done, ok := r.Time("done_at"); ok && done < created {
		return &FieldError{Field: "done_at", Reason: "done_at " + fmtMs(done) + " is before created_at " + fmtMs(created)}
	}
	return nil
}
