package ingest

import (
	"fmt"
	"slices"
	"strings"
)

// maxThemes bounds a postmortem's theme labels.
const maxThemes = 32

// postmortemKind: DESIGN.md section 2, "postmortem": the review of an incident, with
// the theme labels (contributing-factor categories such as dns, capacity, config) that
// repeat incidents are matched on. A postmortem counts from published_at, or from
// created_at when it records no publication.
func postmortemKind() Kind {
	return Kind{
		Name:  "postmortems",
		Table: "postmortems",
		Key:   []string{"source", "id"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "id", Type: String, Required: true},
			// Empty incident_source matches the incident id in any source.
			{Name: "incident_source", Type: String},
			{Name: "incident_id", Type: String},
			{Name: "title", Type: String},
			{Name: "owner", Type: String},
			{Name: "team", Type: String},
			{Name: "created_at", Type: Time, Required: true},
			{Name: "published_at", Type: Time},
			{Name: "themes", Type: String},
			{Name: "labels", Type: Labels},
		},
		Check: checkPostmortem,
	}
}

// checkPostmortem orders the times and stores themes in canonical form (lower case,
// sorted, no repeats, comma-separated), so matching themes is comparing words.
func checkPostmortem(r Record) *FieldError {
	created, _ := r.Time("created_at")
	if published, ok := r.Time("published_at"); ok && published < created {
		return &FieldError{Field: "published_at", Reason: "published_at " + fmtMs(published) + " is before created_at " + fmtMs(created)}
	}
	themes, err := CanonicalThemes(r["themes"].(string))
	if err != nil {
		return &FieldError{Field: "themes", Reason: err.Error()}
	}
	r["themes"] = themes
	return nil
}

// CanonicalThemes reads a comma-separated theme list ("DNS, capacity,dns") into its
// stored form ("capacity,dns").
func CanonicalThemes(s string) (string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > maxThemes {
		return "", fmt.Errorf("has %d themes, more than the %d allowed", len(out), maxThemes)
	}
	slices.Sort(out)
	return strings.Join(out, ","), nil
}

// actionItemKind: DESIGN.md section 2, "action item": a follow-up of a postmortem (by
// its id, in the same source) or of an incident directly. due_at may lie in the
// future; an open item has no done_at.
func actionItemKind() Kind {
	return Kind{
		Name:  "action_items",
		Table: "action_items",
		Key:   []string{"source", "id"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "id", Type: String, Required: true},
			{Name: "postmortem_id", Type: String},
			{Name: "incident_id", Type: String},
			{Name: "title", Type: String},
			{Name: "owner", Type: String},
			{Name: "team", Type: String},
			{Name: "service", Type: String},
			{Name: "created_at", Type: Time},
			{Name: "due_at", Type: Time, Future: true},
			{Name: "done_at", Type: Time},
		},
		Check: checkActionItem,
	}
}

func checkActionItem(r Record) *FieldError {
	if r["postmortem_id"] == "" && r["incident_id"] == "" {
		return &FieldError{Field: "postmortem_id", Reason: "an action item belongs to a postmortem or an incident: give postmortem_id or incident_id"}
	}
	created, ok := r.Time("created_at")
	if !ok {
		return nil
	}
	for _, f := range []string{"due_at", "done_at"} {
		if t, set := r.Time(f); set && t < created {
			return &FieldError{Field: f, Reason: f + " " + fmtMs(t) + " is before created_at " + fmtMs(created)}
		}
	}
	return nil
}
