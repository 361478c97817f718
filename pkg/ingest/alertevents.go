package ingest

import (
	"strings"
	"time"
)

// Alert statuses, as Alertmanager writes them.
const (
	AlertFiring   = "firing"
	AlertResolved = "resolved"
)

// alertEventKind: DESIGN.md section 2, "alert event": one notification of one alert.
// The episode is (source, fingerprint, starts_at); the key adds received_at and status,
// so each notification of an episode is kept (a repeat_interval notification is a row,
// not a new alert; a firing and a resolved one never replace each other, even in the
// same millisecond) and a payload sent again at the same instant replaces its rows.
func alertEventKind() Kind {
	return Kind{
		Name:  "alert_events",
		Table: "alert_events",
		Key:   []string{"source", "fingerprint", "starts_at", "received_at", "status"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "fingerprint", Type: String, Required: true},
			{Name: "starts_at", Type: Time, Required: true},
			{Name: "received_at", Type: Time, Required: true},
			{Name: "status", Type: Enum, Required: true, Enum: []string{AlertFiring, AlertResolved}},
			{Name: "ends_at", Type: Time},
			{Name: "alertname", Type: String},
			{Name: "service", Type: String},
			{Name: "team", Type: String},
			{Name: "severity", Type: String},
			{Name: "receiver", Type: String},
			{Name: "group_key", Type: String},
			{Name: "labels", Type: Labels},
		},
		Check: checkAlertEvent,
	}
}

// checkAlertEvent: a resolved notification says when the alert ended; a firing one
// does not (Alertmanager's endsAt on a firing alert is only when it expects to
// resolve it unless told again, not an end).
func checkAlertEvent(r Record) *FieldError {
	if strings.TrimSpace(r["fingerprint"].(string)) == "" {
		return &FieldError{Field: "fingerprint", Reason: "is empty; it identifies the alert"}
	}
	starts, _ := r.Time("starts_at")
	ends, hasEnd := r.Time("ends_at")
	switch r["status"] {
	case AlertResolved:
		if !hasEnd {
			return &FieldError{Field: "ends_at", Reason: "is required when status is resolved"}
		}
		if ends < starts {
			return &FieldError{Field: "ends_at", Reason: "ends_at " + fmtMs(ends) + " is before starts_at " + fmtMs(starts)}
		}
	case AlertFiring:
		if hasEnd {
			return &FieldError{Field: "ends_at", Reason: "is only for resolved alerts; leave it out of a firing alert (its endsAt is an expected end, not an end)"}
		}
	}
	return nil
}

// alertEventFields maps one alert of an Alertmanager notification received at
// received to an alert event's raw fields, sharing the incident's reading of the
// alert (its start, service, team, severity, labels and end).
func alertEventFields(p AlertmanagerPayload, a AlertmanagerAlert, incident map[string]any, received time.Time) map[string]any {
	m := map[string]any{
		"source":      AlertmanagerSource,
		"fingerprint": a.Fingerprint,
		"starts_at":   incident["started_at"],
		"received_at": received.UTC().Format(time.RFC3339Nano),
		"status":      strings.ToLower(a.Status),
		"alertname":   a.Labels["alertname"],
		"service":     incident["service"],
		"team":        incident["team"],
		"severity":    incident["severity"],
		"receiver":    p.Receiver,
		"group_key":   p.GroupKey,
		"labels":      incident["labels"],
	}
	if end, ok := incident["resolved_at"]; ok {
		m["ends_at"] = end
	}
	return m
}
