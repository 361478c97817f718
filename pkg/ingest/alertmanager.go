package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// AlertmanagerPayload is Prometheus Alertmanager's webhook body (version 4).
type AlertmanagerPayload struct {
	Version           string              `json:"version"`
	GroupKey          string              `json:"groupKey"`
	Status            string              `json:"status"`
	Receiver          string              `json:"receiver"`
	GroupLabels       map[string]string   `json:"groupLabels"`
	CommonLabels      map[string]string   `json:"commonLabels"`
	CommonAnnotations map[string]string   `json:"commonAnnotations"`
	ExternalURL       string              `json:"externalURL"`
	Alerts            []AlertmanagerAlert `json:"alerts"`
}

// AlertmanagerAlert is one alert of a notification.
type AlertmanagerAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// AlertmanagerSource is the source of incidents opened by Alertmanager.
const AlertmanagerSource = "alertmanager"

// ParseAlertmanager decodes a webhook body; malformed JSON rejects the payload.
func ParseAlertmanager(r io.Reader) (AlertmanagerPayload, error) {
	var p AlertmanagerPayload
	dec := json.NewDecoder(r)
	if err := dec.Decode(&p); err != nil {
		return p, &PayloadError{Reason: fmt.Sprintf("malformed Alertmanager webhook JSON: %v", err)}
	}
	if p.Alerts == nil {
		return p, &PayloadError{Reason: "Alertmanager webhook has no alerts array"}
	}
	return p, nil
}

// IngestAlertmanager maps each alert to an incident and upserts it:
// firing opens it (started and detected at startsAt, detected by monitoring);
// resolved closes it at endsAt. Each alert's own status counts, not the group's:
// a group notification can be firing while some of its alerts are resolved.
//
// The incident id is the alert fingerprint plus its startsAt: the fingerprint names
// the alert's label set, which fires again in later episodes, and each episode is
// its own incident. Times a notification does not carry (acknowledged, mitigated)
// keep what is stored, so a firing re-sent after the resolution never reopens it.
//
// Every alert of the notification is also stored as an alert event (received at
// now) in the same transaction, for alert-quality metrics: an alert is stored as
// both or, when rejected, as neither. Stored counts the incidents written.
func IngestAlertmanager(ctx context.Context, st store.Store, p AlertmanagerPayload, now time.Time) (Result, error) {
	kind, events := incidentKind(), alertEventKind()
	res := Result{Kind: kind.Name, Rejected: []Rejected{}}
	up := store.Upsert{
		Table: kind.Table, Columns: kind.Columns(), Key: kind.Key,
		KeepWhenNull: []string{"detected_at", "resolved_at"},
		// The sender never knows these; someone else may have recorded them.
		KeepOnConflict: []string{"acknowledged_at", "mitigated_at", "customer_impact", "caused_by_deployment"},
	}
	upEvents := store.Upsert{Table: events.Table, Columns: events.Columns(), Key: events.Key}
	var rows, eventRows [][]any
	seen := map[string]int{}
	for i, a := range p.Alerts {
		raw, err := alertToIncident(a)
		pos := i + 1
		if err != nil {
			res.Rejected = append(res.Rejected, Rejected{Position: pos, ID: a.Fingerprint, Field: err.Field, Reason: err.Error()})
			continue
		}
		ev, fe := events.convert(rawRecord{fields: alertEventFields(p, a, raw, now)}, now, map[string]bool{})
		if fe != nil {
			res.Rejected = append(res.Rejected, Rejected{Position: pos, ID: a.Fingerprint, Field: fe.Field, Reason: fe.Error()})
			continue
		}
		rec, fe := kind.convert(rawRecord{fields: raw}, now, map[string]bool{})
		if fe != nil {
			res.Rejected = append(res.Rejected, Rejected{Position: pos, ID: a.Fingerprint, Field: fe.Field, Reason: fe.Error()})
			continue
		}
		row, eventRow := recordRow(kind, rec, now), recordRow(events, ev, now)
		// One alert appears once per notification; if a sender repeats it, the
		// later copy wins for both rows (they share the episode and the instant).
		key := rec["id"].(string)
		if j, dup := seen[key]; dup {
			rows[j], eventRows[j] = row, eventRow
			res.Superseded++
			continue
		}
		seen[key] = len(rows)
		rows, eventRows = append(rows, row), append(eventRows, eventRow)
	}
	err := st.WithTx(ctx, func(tx store.Tx) error {
		if err := up.Exec(ctx, tx, st.Dialect(), rows); err != nil {
			return err
		}
		return upEvents.Exec(ctx, tx, st.Dialect(), eventRows)
	})
	if err != nil {
		return Result{}, err
	}
	res.Stored = len(rows)
	return res, nil
}

// recordRow lays a converted record out in the kind's column order, ending with
// ingested_at.
func recordRow(k Kind, rec Record, now time.Time) []any {
	row := make([]any, 0, len(k.Fields)+1)
	for _, f := range k.Fields {
		row = append(row, rec[f.Name])
	}
	return append(row, now.UnixMilli())
}

func alertToIncident(a AlertmanagerAlert) (map[string]any, *FieldError) {
	if strings.TrimSpace(a.Fingerprint) == "" {
		return nil, &FieldError{Field: "fingerprint", Reason: "is required to identify the alert"}
	}
	status := strings.ToLower(a.Status)
	if status != "firing" && status != "resolved" {
		return nil, &FieldError{Field: "status", Reason: fmt.Sprintf("%q is not firing or resolved", a.Status)}
	}
	starts, err := time.Parse(time.RFC3339Nano, a.StartsAt)
	if err != nil {
		return nil, &FieldError{Field: "startsAt", Reason: fmt.Sprintf("%q is not RFC 3339", a.StartsAt)}
	}
	startsText := starts.UTC().Format(time.RFC3339Nano)
	labels := map[string]any{}
	for k, v := range a.Labels {
		labels[k] = v
	}
	title := a.Annotations["summary"]
	if title == "" {
		title = a.Labels["alertname"]
	}
	m := map[string]any{
		"source":      AlertmanagerSource,
		"id":          a.Fingerprint + "@" + startsText,
		"service":     firstLabel(a.Labels, "service", "job", "app"),
		"team":        firstLabel(a.Labels, "team"),
		"severity":    firstLabel(a.Labels, "severity"),
		"title":       title,
		"started_at":  startsText,
		"detected_at": startsText,
		"detected_by": "monitoring",
		"labels":      labels,
	}
	if status == "resolved" {
		if a.EndsAt == "" || strings.HasPrefix(a.EndsAt, "0001-01-01") {
			return nil, &FieldError{Field: "endsAt", Reason: "a resolved alert needs its endsAt"}
		}
		m["resolved_at"] = a.EndsAt
	}
	return m, nil
}

func firstLabel(labels map[string]string, names ...string) string {
	for _, n := range names {
		if v := labels[n]; v != "" {
			return v
		}
	}
	return ""
}
