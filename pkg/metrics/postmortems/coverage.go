package postmortems

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// pmRef is a postmortem as coverage and repeats see it: which incident it covers,
// when it counts (published_at, else created_at) and its themes.
type pmRef struct {
	incidentSource string // empty: the incident id in any source
	at             int64
	themes         []string
}

// postmortemsByIncident loads every postmortem that names an incident, by incident id.
func postmortemsByIncident(ctx context.Context, st store.Querier) (map[string][]pmRef, error) {
	rows, err := st.QueryContext(ctx, `SELECT incident_source, incident_id, COALESCE(published_at, created_at), themes
		FROM postmortems WHERE incident_id <> ''`)
	if err != nil {
		return nil, fmt.Errorf("querying postmortems: %w", err)
	}
	defer rows.Close()
	out := map[string][]pmRef{}
	for rows.Next() {
		var src, id, themes string
		var at int64
		if err := rows.Scan(&src, &id, &at, &themes); err != nil {
			return nil, fmt.Errorf("reading postmortems: %w", err)
		}
		ref := pmRef{incidentSource: src, at: at}
		if themes != "" {
			ref.themes = strings.Split(themes, ",")
		}
		out[id] = append(out[id], ref)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading postmortems: %w", err)
	}
	return out, nil
}

// covers says whether the postmortem names the incident (source, id).
func (r pmRef) covers(source string) bool {
	return r.incidentSource == "" || r.incidentSource == source
}

// severityIn adds "LOWER(severity) IN (...)" for the severities that count.
func (p *plan) severityIn(w *query.Where) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(p.opts.severities)), ", ")
	args := make([]any, len(p.opts.severities))
	for i, s := range p.opts.severities {
		args[i] = s
	}
	w.Add("LOWER(severity) IN ("+marks+")", args...)
}

// severityRange reads "sev1–sev2" (or "sev1").
func (p *plan) severityRange() string {
	s := p.opts.severities
	if len(s) == 1 {
		return s[0]
	}
	return s[0] + "–" + s[len(s)-1]
}

// coverage: of the incidents that started in the bucket at or above the minimum
// severity, the share with a postmortem within postmortemDays of their
// resolution. An incident whose deadline has not passed (still open, or resolved
// less than postmortemDays ago) counts only once it has its postmortem: it is not
// late yet.
func (p *plan) coverage(ctx context.Context) (query.Result, error) {
	pms, err := postmortemsByIncident(ctx, p.env.Store)
	if err != nil {
		return query.Result{}, err
	}
	w := &query.Where{}
	w.Add("started_at >= ?", p.env.From.UnixMilli())
	w.Add("started_at < ?", p.env.To.UnixMilli())
	p.severityIn(w)
	if err := w.Filters(incidentDimensions, p.q.Filters); err != nil {
		return query.Result{}, err
	}
	cols := append([]string{"source", "id", "started_at", "resolved_at"}, p.groupCols...)
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM incidents"+w.SQL(), w.Args()...)
	if err != nil {
		return query.Result{}, fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	t := p.tally()
	now, within := p.now().UnixMilli(), p.opts.within.Milliseconds()
	var src, id string
	var started int64
	var resolved sql.NullInt64
	group := make([]string, len(p.groupCols))
	dest := []any{&src, &id, &started, &resolved}
	for i := range group {
		dest = append(dest, &group[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return query.Result{}, fmt.Errorf("reading incidents: %w", err)
		}
		i, _ := t.Index(started)
		covered := false
		for _, pm := range pms[id] {
			if pm.covers(src) && (!resolved.Valid || pm.at <= resolved.Int64+within) {
				covered = true
				break
			}
		}
		due := resolved.Valid && resolved.Int64+within <= now
		switch {
		case covered:
			t.Add(group, i, 1, 1)
		case due:
			t.Add(group, i, 0, 1)
		default:
			t.Touch(group)
		}
	}
	if err := rows.Err(); err != nil {
		return query.Result{}, fmt.Errorf("reading incidents: %w", err)
	}
	return t.Ratios(fmt.Sprintf("Postmortem coverage (%s, %s)", p.severityRange(), days2text(p.opts.within)), Coverage), nil
}
