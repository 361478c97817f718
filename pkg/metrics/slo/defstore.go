package slo

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// NotFoundError refuses a change to an SLO that is not defined.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("SLO %q is not defined; create it first (POST slos)", e.ID)
}

// ConflictError refuses a change that contradicts what is stored.
type ConflictError struct{ Reason string }

func (e *ConflictError) Error() string { return e.Reason }

const defColumns = "id, name, service, team, description, objective, window_ms, calendar, sli, incident_severities, incident_end, " +
	"sla_period, penalty_tiers, contract_value, currency, penalty_per_breach, labels, created_at, updated_at, retired_at"

// Selection picks definitions: query filters on slo, service and team, and
// whether retired SLOs are included.
type Selection struct {
	Filters        map[string][]string
	IncludeRetired bool
}

// LoadDefinitions returns the selected definitions sorted by id.
func LoadDefinitions(ctx context.Context, q store.Querier, sel Selection) ([]*Definition, error) {
	w := &query.Where{}
	if err := w.Filters(dimensions, sel.Filters); err != nil {
		return nil, err
	}
	if !sel.IncludeRetired {
		w.Add("retired_at IS NULL")
	}
	rows, err := q.QueryContext(ctx, "SELECT "+defColumns+" FROM slo_definitions"+w.SQL()+" ORDER BY id", w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("reading SLO definitions: %w", err)
	}
	defer rows.Close()
	var out []*Definition
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading SLO definitions: %w", err)
	}
	return out, nil
}

// GetDefinition returns one definition, retired or not.
func GetDefinition(ctx context.Context, q store.Querier, id string) (*Definition, error) {
	defs, err := LoadDefinitions(ctx, q, Selection{Filters: map[string][]string{"slo": {id}}, IncludeRetired: true})
	if err != nil {
		return nil, err
	}
	if len(defs) == 0 {
		return nil, &NotFoundError{ID: id}
	}
	return defs[0], nil
}

func scanDefinition(rows *sql.Rows) (*Definition, error) {
	var d Definition
	var windowMs, created, updated int64
	var severities, end, period, tiers, currency, labels string
	var contract sql.NullFloat64
	var perBreach float64
	var retired sql.NullInt64
	if err := rows.Scan(&d.ID, &d.Name, &d.Service, &d.Team, &d.Description, &d.Objective, &windowMs, &d.Calendar, &d.SLI,
		&severities, &end, &period, &tiers, &contract, &currency, &perBreach, &labels, &created, &updated, &retired); err != nil {
		return nil, fmt.Errorf("reading SLO definitions: %w", err)
	}
	if d.Calendar == "" {
		d.window = time.Duration(windowMs) * time.Millisecond
		d.Window = FormatWindow(d.window)
	}
	if d.SLI == SourceIncidents {
		d.Incidents = &IncidentSLI{End: end}
		if err := json.Unmarshal([]byte(severities), &d.Incidents.Severities); err != nil {
			return nil, fmt.Errorf("SLO %q: stored incident severities: %w", d.ID, err)
		}
	}
	if period != "" {
		d.SLA = &SLA{Period: period, ContractValue: contract.Float64, Currency: currency, PenaltyPerBreach: perBreach}
		if err := json.Unmarshal([]byte(tiers), &d.SLA.Tiers); err != nil {
			return nil, fmt.Errorf("SLO %q: stored penalty tiers: %w", d.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(labels), &d.Labels); err != nil {
		return nil, fmt.Errorf("SLO %q: stored labels: %w", d.ID, err)
	}
	if len(d.Labels) == 0 {
		d.Labels = nil
	}
	c, u := time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	d.CreatedAt, d.UpdatedAt = &c, &u
	if retired.Valid {
		r := time.UnixMilli(retired.Int64).UTC()
		d.RetiredAt = &r
	}
	return &d, nil
}

// CreateDefinition stores a new SLO; an existing id (even retired) is a conflict.
func CreateDefinition(ctx context.Context, st store.Store, d Definition, now time.Time) (*Definition, error) {
	if err := d.Normalize(); err != nil {
		return nil, err
	}
	var out *Definition
	err := st.WithTx(ctx, func(tx store.Tx) error {
		old, err := GetDefinition(ctx, tx, d.ID)
		var nf *NotFoundError
		switch {
		case err == nil && old.RetiredAt != nil:
			return &ConflictError{Reason: fmt.Sprintf("SLO %q exists and is retired; restore it (POST slos/%s/restore) or choose another id", d.ID, d.ID)}
		case err == nil:
			return &ConflictError{Reason: fmt.Sprintf("SLO %q exists; change it with PUT slos/%s", d.ID, d.ID)}
		case !errors.As(err, &nf):
			return err
		}
		if err := writeDefinition(ctx, tx, &d, now, now, nil); err != nil {
			return err
		}
		out, err = GetDefinition(ctx, tx, d.ID)
		return err
	})
	return out, err
}

// PutDefinition creates or replaces an SLO, keeping its creation and retirement times.
func PutDefinition(ctx context.Context, st store.Store, d Definition, now time.Time) (out *Definition, created bool, err error) {
	if err := d.Normalize(); err != nil {
		return nil, false, err
	}
	err = st.WithTx(ctx, func(tx store.Tx) error {
		createdAt := now
		var retired *time.Time
		old, err := GetDefinition(ctx, tx, d.ID)
		var nf *NotFoundError
		switch {
		case err == nil:
			createdAt, retired = *old.CreatedAt, old.RetiredAt
		case errors.As(err, &nf):
			created = true
		default:
			return err
		}
		if err := writeDefinition(ctx, tx, &d, createdAt, now, retired); err != nil {
			return err
		}
		out, err = GetDefinition(ctx, tx, d.ID)
		return err
	})
	return out, created, err
}

func writeDefinition(ctx context.Context, tx store.Tx, d *Definition, created, updated time.Time, retired *time.Time) error {
	severities, end := "[]", "resolved"
	if d.Incidents != nil {
		b, _ := json.Marshal(nonNil(d.Incidents.Severities))
		severities, end = string(b), d.Incidents.End
	}
	period, tiers, currency := "", "[]", ""
	var contract *float64
	perBreach := 0.0
	if d.SLA != nil {
		b, _ := json.Marshal(d.SLA.Tiers)
		if d.SLA.Tiers == nil {
			b = []byte("[]")
		}
		period, tiers, currency, perBreach = d.SLA.Period, string(b), d.SLA.Currency, d.SLA.PenaltyPerBreach
		cv := d.SLA.ContractValue
		contract = &cv
	}
	labels := []byte("{}")
	if len(d.Labels) > 0 {
		labels, _ = json.Marshal(d.Labels)
	}
	var retiredMs *int64
	if retired != nil {
		ms := retired.UnixMilli()
		retiredMs = &ms
	}
	marks := make([]string, 20)
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO slo_definitions ("+defColumns+") VALUES ("+strings.Join(marks, ", ")+`)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, service = excluded.service, team = excluded.team,
		description = excluded.description, objective = excluded.objective, window_ms = excluded.window_ms,
		calendar = excluded.calendar, sli = excluded.sli, incident_severities = excluded.incident_severities,
		incident_end = excluded.incident_end, sla_period = excluded.sla_period, penalty_tiers = excluded.penalty_tiers,
		contract_value = excluded.contract_value, currency = excluded.currency, penalty_per_breach = excluded.penalty_per_breach,
		labels = excluded.labels, updated_at = excluded.updated_at`,
		d.ID, d.Name, d.Service, d.Team, d.Description, d.Objective, d.window.Milliseconds(), d.Calendar, d.SLI,
		severities, end, period, tiers, contract, currency, perBreach, string(labels),
		created.UnixMilli(), updated.UnixMilli(), retiredMs)
	if err != nil {
		return fmt.Errorf("storing SLO %q: %w", d.ID, err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RetireDefinition hides an SLO from queries; its definition and samples stay.
func RetireDefinition(ctx context.Context, st store.Store, id string, now time.Time) (*Definition, error) {
	return setRetired(ctx, st, id, &now)
}

// RestoreDefinition brings a retired SLO back.
func RestoreDefinition(ctx context.Context, st store.Store, id string) (*Definition, error) {
	return setRetired(ctx, st, id, nil)
}

func setRetired(ctx context.Context, st store.Store, id string, at *time.Time) (*Definition, error) {
	var out *Definition
	err := st.WithTx(ctx, func(tx store.Tx) error {
		old, err := GetDefinition(ctx, tx, id)
		if err != nil {
			return err
		}
		if at != nil && old.RetiredAt != nil {
			out = old // retiring twice keeps the first time
			return nil
		}
		var ms *int64
		if at != nil {
			v := at.UnixMilli()
			ms = &v
		}
		if _, err := tx.ExecContext(ctx, `UPDATE slo_definitions SET retired_at = $1 WHERE id = $2`, ms, id); err != nil {
			return fmt.Errorf("updating SLO %q: %w", id, err)
		}
		out, err = GetDefinition(ctx, tx, id)
		return err
	})
	return out, err
}

// PurgeDefinition deletes a retired SLO's definition. Its samples stay: they are
// events, and an SLO created again with the same id finds them.
func PurgeDefinition(ctx context.Context, st store.Store, id string) error {
	return st.WithTx(ctx, func(tx store.Tx) error {
		old, err := GetDefinition(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.RetiredAt == nil {
			return &ConflictError{Reason: fmt.Sprintf("SLO %q is active; retire it first (POST slos/%s/retire), then delete it", id, id)}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM slo_definitions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("deleting SLO %q: %w", id, err)
		}
		return nil
	})
}

// AttachLastSamples sets LastSampleAt on counts SLOs: one index lookup each.
func AttachLastSamples(ctx context.Context, q store.Querier, defs []*Definition) error {
	for _, d := range defs {
		if d.SLI != SourceCounts {
			continue
		}
		var last sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT MAX(at) FROM sli_samples WHERE slo = $1`, d.ID).Scan(&last); err != nil {
			return fmt.Errorf("reading the newest sample of SLO %q: %w", d.ID, err)
		}
		if last.Valid {
			t := time.UnixMilli(last.Int64).UTC()
			d.LastSampleAt = &t
		}
	}
	return nil
}
