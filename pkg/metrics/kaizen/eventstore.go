package kaizen

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// NotFoundError refuses a change to, or a query of, an event that does not exist.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("kaizen event %q does not exist; GET kaizen/events lists them", e.ID)
}

// ConflictError refuses a change that contradicts the stored event.
type ConflictError struct{ Reason string }

func (e *ConflictError) Error() string { return e.Reason }

// Writer records who changes events and when.
type Writer struct {
	// By is the Grafana login (or "import", "ingest token") written to changed_by.
	By  string
	Now time.Time
}

// Outcome says what a write did.
type Outcome string

const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Archived  Outcome = "archived"
	Restored  Outcome = "restored"
	Deleted   Outcome = "deleted"
)

const eventColumns = "id, name, owner, description, hypothesis, target, better, expected_direction, expected_change_pct, " +
	"proposed_at, deployed_at, review_days, baseline_days, after_days, settling_days, status, archived_at, revision, " +
	"created_at, updated_at, changed_by"

// selection picks events: by id (all when empty), by the dimension filters, archived or not.
type selection struct {
	ids             []string
	filters         map[string][]string
	includeArchived bool
	// deployedFrom and deployedTo, when set, keep events deployed in [from, to).
	deployedFrom, deployedTo *time.Time
}

// loadEvents reads the selected events, newest proposal first.
func loadEvents(ctx context.Context, q store.Querier, sel selection) ([]Event, error) {
	w := &query.Where{}
	if err := w.Filters(query.Dimensions{"id": "id"}, map[string][]string{"id": sel.ids}); err != nil {
		return nil, err
	}
	if err := w.Filters(dimensions, sel.filters); err != nil {
		return nil, err
	}
	if !sel.includeArchived {
		w.Add("archived_at IS NULL")
	}
	if sel.deployedFrom != nil {
		w.Add("deployed_at >= ?", sel.deployedFrom.UnixMilli())
	}
	if sel.deployedTo != nil {
		w.Add("deployed_at < ?", sel.deployedTo.UnixMilli())
	}
	rows, err := q.QueryContext(ctx, "SELECT "+eventColumns+" FROM kaizen_events"+w.SQL()+" ORDER BY proposed_at DESC, id", w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("reading kaizen events: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var target, reviewDays string
		var change sql.NullFloat64
		var proposed, created, updated int64
		var deployed, archived sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Name, &e.Owner, &e.Description, &e.Hypothesis, &target, &e.Better, &e.ExpectedDirection,
			&change, &proposed, &deployed, &reviewDays, &e.BaselineDays, &e.AfterDays, &e.SettlingDays, &e.Status, &archived,
			&e.Revision, &created, &updated, &e.ChangedBy); err != nil {
			return nil, fmt.Errorf("reading kaizen events: %w", err)
		}
		e.Target = []byte(target)
		if change.Valid {
			e.ExpectedChangePct = &change.Float64
		}
		e.ProposedAt, e.CreatedAt, e.UpdatedAt = msTime(proposed), msTime(created), msTime(updated)
		e.DeployedAt, e.ArchivedAt = nullTime(deployed), nullTime(archived)
		if e.ReviewDays, err = ingest.ParseReviewDays(reviewDays); err != nil {
			return nil, fmt.Errorf("kaizen event %q: stored review_days: %w", e.ID, err)
		}
		e.fillReviewDates()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading kaizen events: %w", err)
	}
	return out, nil
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nullTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := msTime(v.Int64)
	return &t
}

func nullMs(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// Get returns one event, archived or not.
func Get(ctx context.Context, q store.Querier, id string) (Event, error) {
	evs, err := loadEvents(ctx, q, selection{ids: []string{id}, includeArchived: true})
	if err != nil {
		return Event{}, err
	}
	if len(evs) == 0 {
		return Event{}, &NotFoundError{ID: id}
	}
	return evs[0], nil
}

// List returns the events, newest proposal first; archived ones only when asked.
func List(ctx context.Context, q store.Querier, includeArchived bool) ([]Event, error) {
	return loadEvents(ctx, q, selection{includeArchived: includeArchived})
}

// prepare builds the event a record describes, with its target checked by running it.
// It reads other families' data only, so it runs before the write's transaction.
func (d Deps) prepare(ctx context.Context, st store.Store, rec ingest.Record, w Writer) (Event, error) {
	e := fromRecord(rec, w.Now)
	t, err := d.checkTarget(ctx, st, rec["target"].(string), e.ExpectedDirection, w.Now)
	if err != nil {
		return Event{}, err
	}
	e.Target, e.Better = t.json, t.better
	if e.ExpectedDirection == "" {
		e.ExpectedDirection = e.Better
	}
	return e, nil
}

// Create stores a new event (revision 1).
func (d Deps) Create(ctx context.Context, st store.Store, rec ingest.Record, w Writer) (Event, error) {
	e, err := d.prepare(ctx, st, rec, w)
	if err != nil {
		return Event{}, err
	}
	var out Event
	err = st.WithTx(ctx, func(tx store.Tx) error {
		out, err = create(ctx, tx, e, rec, w)
		return err
	})
	return out, err
}

func create(ctx context.Context, tx store.Tx, e Event, rec ingest.Record, w Writer) (Event, error) {
	if v, ok := rec["base_revision"].(float64); ok {
		return Event{}, &ingest.FieldError{Field: "base_revision", Reason: fmt.Sprintf("is %v, but kaizen event %q does not exist yet", v, e.ID)}
	}
	existing, err := loadEvents(ctx, tx, selection{ids: []string{e.ID}, includeArchived: true})
	if err != nil {
		return Event{}, err
	}
	if len(existing) > 0 {
		cur := existing[0]
		if cur.ArchivedAt != nil {
			return Event{}, &ConflictError{Reason: fmt.Sprintf("kaizen event %q already exists, archived; restore it (POST kaizen/events/%s/restore) or choose another id", e.ID, e.ID)}
		}
		return Event{}, &ConflictError{Reason: fmt.Sprintf("kaizen event %q already exists (revision %d); change it with PUT kaizen/events/%s", e.ID, cur.Revision, e.ID)}
	}
	e.Revision = 1
	e.CreatedAt, e.UpdatedAt, e.ChangedBy = w.Now.UTC(), w.Now.UTC(), w.By
	_, err = tx.ExecContext(ctx, "INSERT INTO kaizen_events ("+eventColumns+") VALUES "+
		"($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
		e.ID, e.Name, e.Owner, e.Description, e.Hypothesis, string(e.Target), e.Better, e.ExpectedDirection, e.ExpectedChangePct,
		e.ProposedAt.UnixMilli(), nullMs(e.DeployedAt), ingest.FormatReviewDays(e.ReviewDays), e.BaselineDays, e.AfterDays,
		e.SettlingDays, e.Status, nil, e.Revision, e.CreatedAt.UnixMilli(), e.UpdatedAt.UnixMilli(), e.ChangedBy)
	if err != nil {
		return Event{}, fmt.Errorf("storing kaizen event %q: %w", e.ID, err)
	}
	e.fillReviewDates()
	return e, nil
}

// Update replaces an event's fields (a PUT), unless the record changes nothing.
func (d Deps) Update(ctx context.Context, st store.Store, rec ingest.Record, w Writer) (Event, Outcome, error) {
	e, err := d.prepare(ctx, st, rec, w)
	if err != nil {
		return Event{}, "", err
	}
	var out Event
	var outcome Outcome
	err = st.WithTx(ctx, func(tx store.Tx) error {
		cur, err := Get(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		out, outcome, err = update(ctx, tx, cur, e, rec, w)
		return err
	})
	return out, outcome, err
}

func update(ctx context.Context, tx store.Tx, cur, e Event, rec ingest.Record, w Writer) (Event, Outcome, error) {
	if v, ok := rec["base_revision"].(float64); ok && int(v) != cur.Revision {
		return Event{}, "", &ConflictError{Reason: fmt.Sprintf("kaizen event %q is at revision %d, not %d: it changed since you read it; reload and edit again", cur.ID, cur.Revision, int(v))}
	}
	if cur.ArchivedAt != nil {
		return Event{}, "", &ConflictError{Reason: fmt.Sprintf("kaizen event %q is archived; restore it (POST kaizen/events/%s/restore) before editing", cur.ID, cur.ID)}
	}
	if _, ok := rec.Time("proposed_at"); !ok {
		e.ProposedAt = cur.ProposedAt
		if e.DeployedAt != nil && e.ProposedAt.After(*e.DeployedAt) {
			return Event{}, "", &ingest.FieldError{Field: "deployed_at", Reason: "deployed_at " + e.DeployedAt.Format(time.RFC3339) + " is before the stored proposed_at " + e.ProposedAt.Format(time.RFC3339)}
		}
	}
	if sameContent(e, cur) {
		return cur, Unchanged, nil
	}
	e.Revision = cur.Revision + 1
	e.CreatedAt, e.UpdatedAt, e.ChangedBy = cur.CreatedAt, w.Now.UTC(), w.By
	res, err := tx.ExecContext(ctx, `UPDATE kaizen_events SET name = $1, owner = $2, description = $3, hypothesis = $4, target = $5,
		better = $6, expected_direction = $7, expected_change_pct = $8, proposed_at = $9, deployed_at = $10, review_days = $11,
		baseline_days = $12, after_days = $13, settling_days = $14, status = $15, revision = $16, updated_at = $17, changed_by = $18
		WHERE id = $19 AND revision = $20`,
		e.Name, e.Owner, e.Description, e.Hypothesis, string(e.Target), e.Better, e.ExpectedDirection, e.ExpectedChangePct,
		e.ProposedAt.UnixMilli(), nullMs(e.DeployedAt), ingest.FormatReviewDays(e.ReviewDays), e.BaselineDays, e.AfterDays,
		e.SettlingDays, e.Status, e.Revision, e.UpdatedAt.UnixMilli(), e.ChangedBy, e.ID, cur.Revision)
	if err != nil {
		return Event{}, "", fmt.Errorf("storing kaizen event %q: %w", e.ID, err)
	}
	if err := oneRow(res, cur); err != nil {
		return Event{}, "", err
	}
	e.fillReviewDates()
	return e, Updated, nil
}

// oneRow turns "no row updated" into a conflict: another writer changed the
// event between this write's read and its update.
func oneRow(res sql.Result, cur Event) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("storing kaizen event %q: %w", cur.ID, err)
	}
	if n != 1 {
		return &ConflictError{Reason: fmt.Sprintf("kaizen event %q changed while this write ran; reload and try again", cur.ID)}
	}
	return nil
}

// Apply creates the event a record names, or updates it: what an import of
// kaizen-events does with each record. The target is checked against st; the
// write goes through tx, the import's transaction.
func (d Deps) Apply(ctx context.Context, st store.Store, tx store.Tx, rec ingest.Record, w Writer) (Event, Outcome, error) {
	e, err := d.prepare(ctx, st, rec, w)
	if err != nil {
		return Event{}, "", err
	}
	existing, err := loadEvents(ctx, tx, selection{ids: []string{e.ID}, includeArchived: true})
	if err != nil {
		return Event{}, "", err
	}
	if len(existing) > 0 {
		return update(ctx, tx, existing[0], e, rec, w)
	}
	e, err = create(ctx, tx, e, rec, w)
	if err != nil {
		return Event{}, "", err
	}
	return e, Created, nil
}

// Archive hides an event from lists and queries; everything about it is kept.
func Archive(ctx context.Context, st store.Store, id string, w Writer) (Event, error) {
	return setArchived(ctx, st, id, w, true)
}

// Restore brings an archived event back.
func Restore(ctx context.Context, st store.Store, id string, w Writer) (Event, error) {
	return setArchived(ctx, st, id, w, false)
}

func setArchived(ctx context.Context, st store.Store, id string, w Writer, archive bool) (Event, error) {
	var out Event
	err := st.WithTx(ctx, func(tx store.Tx) error {
		cur, err := Get(ctx, tx, id)
		if err != nil {
			return err
		}
		if archive == (cur.ArchivedAt != nil) {
			state := "is not archived"
			if archive {
				state = "is already archived"
			}
			return &ConflictError{Reason: fmt.Sprintf("kaizen event %q %s", id, state)}
		}
		out = cur
		out.ArchivedAt = nil
		if archive {
			t := w.Now.UTC()
			out.ArchivedAt = &t
		}
		out.Revision, out.UpdatedAt, out.ChangedBy = cur.Revision+1, w.Now.UTC(), w.By
		res, err := tx.ExecContext(ctx, "UPDATE kaizen_events SET archived_at = $1, revision = $2, updated_at = $3, changed_by = $4 WHERE id = $5 AND revision = $6",
			nullMs(out.ArchivedAt), out.Revision, out.UpdatedAt.UnixMilli(), out.ChangedBy, id, cur.Revision)
		if err != nil {
			return fmt.Errorf("storing kaizen event %q: %w", id, err)
		}
		return oneRow(res, cur)
	})
	return out, err
}

// Delete removes an archived event for good. Archiving first is required, so
// one request cannot lose an active event's record.
func Delete(ctx context.Context, st store.Store, id string) (Event, error) {
	var out Event
	err := st.WithTx(ctx, func(tx store.Tx) error {
		cur, err := Get(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.ArchivedAt == nil {
			return &ConflictError{Reason: fmt.Sprintf("kaizen event %q is not archived; archive it first (POST kaizen/events/%s/archive): deleting removes it for good", id, id)}
		}
		out = cur
		res, err := tx.ExecContext(ctx, "DELETE FROM kaizen_events WHERE id = $1 AND revision = $2", id, cur.Revision)
		if err != nil {
			return fmt.Errorf("deleting kaizen event %q: %w", id, err)
		}
		return oneRow(res, cur)
	})
	return out, err
}
