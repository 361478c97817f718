package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// NotFoundError refuses a change to a KPI that is not defined.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("KPI %q is not defined; create it first (POST kpis)", e.ID)
}

// ConflictError refuses a change that contradicts the stored definitions.
type ConflictError struct{ Reason string }

func (e *ConflictError) Error() string { return e.Reason }

const definitionColumns = "id, version, name, unit, direction, target, warning, critical, indicator, owner, description, " +
	"cost_per_unit, currency, service, status, effective_from, created_at, changed_by"

// loadHistories reads every version of the KPIs named (all KPIs when ids is empty).
func loadHistories(ctx context.Context, q store.Querier, ids ...string) (map[string]history, error) {
	w := &query.Where{}
	if err := w.Filters(query.Dimensions{"id": "id"}, map[string][]string{"id": ids}); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+definitionColumns+" FROM kpi_definitions"+w.SQL()+" ORDER BY id, version", w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("reading KPI definitions: %w", err)
	}
	defer rows.Close()
	out := map[string]history{}
	for rows.Next() {
		var d Definition
		var warning, critical, cost sql.NullFloat64
		var effective, created int64
		if err := rows.Scan(&d.ID, &d.Version, &d.Name, &d.Unit, &d.Direction, &d.Target, &warning, &critical, &d.Indicator,
			&d.Owner, &d.Description, &cost, &d.Currency, &d.Service, &d.Status, &effective, &created, &d.ChangedBy); err != nil {
			return nil, fmt.Errorf("reading KPI definitions: %w", err)
		}
		d.Warning, d.Critical, d.CostPerUnit = nullable(warning), nullable(critical), nullable(cost)
		d.EffectiveFrom, d.CreatedAt = time.UnixMilli(effective).UTC(), time.UnixMilli(created).UTC()
		out[d.ID] = append(out[d.ID], d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading KPI definitions: %w", err)
	}
	return out, nil
}

func nullable(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

func insertVersion(ctx context.Context, tx store.Tx, d Definition) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO kpi_definitions ("+definitionColumns+
		") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
		d.ID, d.Version, d.Name, d.Unit, d.Direction, d.Target, d.Warning, d.Critical, d.Indicator, d.Owner, d.Description,
		d.CostPerUnit, d.Currency, d.Service, d.Status, d.EffectiveFrom.UnixMilli(), d.CreatedAt.UnixMilli(), d.ChangedBy)
	if err != nil {
		return fmt.Errorf("storing KPI %q version %d: %w", d.ID, d.Version, err)
	}
	return nil
}

// Writer records who changes definitions and when.
type Writer struct {
	// By is the Grafana login (or "import", "ingest token") written to changed_by.
	By  string
	Now time.Time
}

// Outcome says what a write did.
type Outcome string

const (
	Created   Outcome = "created"
	Versioned Outcome = "versioned"
	Unchanged Outcome = "unchanged"
)

// Create stores version 1 of a new KPI.
func Create(ctx context.Context, st store.Store, rec ingest.Record, w Writer) (Definition, error) {
	var out Definition
	err := st.WithTx(ctx, func(tx store.Tx) error {
		hs, err := loadHistories(ctx, tx, rec["id"].(string))
		if err != nil {
			return err
		}
		if h, ok := hs[rec["id"].(string)]; ok {
			return &ConflictError{Reason: fmt.Sprintf("KPI %q already exists (version %d); change it with PUT kpis/%s", h.current().ID, h.current().Version, h.current().ID)}
		}
		out, err = create(ctx, tx, rec, w)
		return err
	})
	return out, err
}

// Update stores a new version of a KPI, unless the record changes nothing.
func Update(ctx context.Context, st store.Store, rec ingest.Record, w Writer) (Definition, Outcome, error) {
	var out Definition
	var outcome Outcome
	err := st.WithTx(ctx, func(tx store.Tx) error {
		hs, err := loadHistories(ctx, tx, rec["id"].(string))
		if err != nil {
			return err
		}
		h, ok := hs[rec["id"].(string)]
		if !ok {
			return &NotFoundError{ID: rec["id"].(string)}
		}
		out, outcome, err = update(ctx, tx, h, rec, w)
		return err
	})
	return out, outcome, err
}

// Retire marks a KPI retired with a new version; its samples and history stay.
func Retire(ctx context.Context, st store.Store, id string, w Writer) (Definition, error) {
	var out Definition
	err := st.WithTx(ctx, func(tx store.Tx) error {
		hs, err := loadHistories(ctx, tx, id)
		if err != nil {
			return err
		}
		h, ok := hs[id]
		if !ok {
			return &NotFoundError{ID: id}
		}
		cur := h.current()
		if cur.Status == Retired {
			return &ConflictError{Reason: fmt.Sprintf("KPI %q is already retired (version %d)", id, cur.Version)}
		}
		out = cur
		out.Version++
		out.Status = Retired
		out.EffectiveFrom = later(w.Now, cur.EffectiveFrom)
		out.CreatedAt, out.ChangedBy = w.Now.UTC(), w.By
		return insertVersion(ctx, tx, out)
	})
	return out, err
}

// List returns the current version of every KPI, by id.
func List(ctx context.Context, st store.Querier) ([]Definition, error) {
	hs, err := loadHistories(ctx, st)
	if err != nil {
		return nil, err
	}
	out := make([]Definition, 0, len(hs))
	for _, id := range sortedIDs(hs) {
		out = append(out, hs[id].current())
	}
	return out, nil
}

// Versions returns every version of one KPI, oldest first.
func Versions(ctx context.Context, st store.Querier, id string) ([]Definition, error) {
	hs, err := loadHistories(ctx, st, id)
	if err != nil {
		return nil, err
	}
	h, ok := hs[id]
	if !ok {
		return nil, &NotFoundError{ID: id}
	}
	return h, nil
}

// Apply creates the KPI a record names, or versions it when the record changes it: what
// an import of kpi-definitions does with each record.
func Apply(ctx context.Context, tx store.Tx, rec ingest.Record, w Writer) (Definition, Outcome, error) {
	hs, err := loadHistories(ctx, tx, rec["id"].(string))
	if err != nil {
		return Definition{}, "", err
	}
	if h, ok := hs[rec["id"].(string)]; ok {
		return update(ctx, tx, h, rec, w)
	}
	d, err := create(ctx, tx, rec, w)
	if err != nil {
		return Definition{}, "", err
	}
	return d, Created, nil
}

func create(ctx context.Context, tx store.Tx, rec ingest.Record, w Writer) (Definition, error) {
	if v, ok := rec["base_version"].(float64); ok {
		return Definition{}, &ingest.FieldError{Field: "base_version", Reason: fmt.Sprintf("is %v, but KPI %q does not exist yet", v, rec["id"])}
	}
	d := fromRecord(rec)
	d.Version = 1
	if d.Status == "" {
		d.Status = Active
	}
	// Version 1 judges every sample before version 2, so by default it is in force from
	// the start: a later version may then take effect at any past time.
	d.EffectiveFrom = time.UnixMilli(0).UTC()
	if ms, ok := rec.Time("effective_from"); ok {
		d.EffectiveFrom = time.UnixMilli(ms).UTC()
	}
	d.CreatedAt, d.ChangedBy = w.Now.UTC(), w.By
	if err := checkServiceFree(ctx, tx, d); err != nil {
		return Definition{}, err
	}
	return d, insertVersion(ctx, tx, d)
}

func update(ctx context.Context, tx store.Tx, h history, rec ingest.Record, w Writer) (Definition, Outcome, error) {
	cur := h.current()
	if v, ok := rec["base_version"].(float64); ok && int(v) != cur.Version {
		return Definition{}, "", &ConflictError{Reason: fmt.Sprintf("KPI %q is at version %d, not %d: it changed since you read it; reload and edit again", cur.ID, cur.Version, int(v))}
	}
	d := fromRecord(rec)
	if d.Status == "" {
		d.Status = cur.Status
	}
	if sameContent(d, cur) {
		return cur, Unchanged, nil
	}
	d.Version = cur.Version + 1
	d.EffectiveFrom = later(w.Now, cur.EffectiveFrom)
	if ms, ok := rec.Time("effective_from"); ok {
		d.EffectiveFrom = time.UnixMilli(ms).UTC()
		if d.EffectiveFrom.Before(cur.EffectiveFrom) {
			return Definition{}, "", &ingest.FieldError{Field: "effective_from", Reason: fmt.Sprintf("%s is before version %d's %s; versions take effect in order",
				d.EffectiveFrom.Format(time.RFC3339), cur.Version, cur.EffectiveFrom.Format(time.RFC3339))}
		}
	}
	d.CreatedAt, d.ChangedBy = w.Now.UTC(), w.By
	if err := checkServiceFree(ctx, tx, d); err != nil {
		return Definition{}, "", err
	}
	if err := insertVersion(ctx, tx, d); err != nil {
		return Definition{}, "", err
	}
	return d, Versioned, nil
}

// checkServiceFree keeps one active price per service: incident_cost must know which
// KPI's cost per minute applies to a service's incidents.
func checkServiceFree(ctx context.Context, tx store.Tx, d Definition) error {
	if d.Service == "" || d.Status != Active {
		return nil
	}
	hs, err := loadHistories(ctx, tx)
	if err != nil {
		return err
	}
	for _, id := range sortedIDs(hs) {
		other := hs[id].current()
		if id != d.ID && other.Service == d.Service && other.Status == Active {
			return &ingest.FieldError{Field: "service", Reason: fmt.Sprintf("%q is already priced by KPI %q; a service takes its cost per minute from one active KPI", d.Service, id)}
		}
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a.UTC()
	}
	return b.UTC()
}
