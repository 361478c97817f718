package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// auditRow is one KPI in the stale-KPI audit.
type auditRow struct {
	def        Definition
	lastSample *time.Time
	silence    time.Duration
	stale      bool
	reason     string
}

// audit lists the selected KPIs with the time since their last sample (or since they were
// defined, when never sampled) as of the range end (or now, when earlier): a KPI silent
// for staleDays or more is a candidate to retire. Stale KPIs come first, longest silent first.
func (p *plan) audit(ctx context.Context) (*data.Frame, error) {
	ids, err := p.selectKPIs("the stale audit")
	if err != nil {
		return nil, err
	}
	days := p.opts.StaleDays
	if days == 0 {
		days = DefaultStaleDays
	}
	limit := time.Duration(days * float64(24*time.Hour))
	asOf := p.env.To
	if !p.env.Now.IsZero() && p.env.Now.Before(asOf) {
		asOf = p.env.Now
	}
	last, err := p.lastSamples(ctx, ids, asOf)
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, 0, len(ids))
	for _, id := range ids {
		h := p.defs[id]
		r := auditRow{def: h.current()}
		since := h[0].CreatedAt
		if t, ok := last[id]; ok {
			r.lastSample, since = &t, t
		}
		r.silence = max(asOf.Sub(since), 0)
		r.stale = r.silence >= limit
		switch {
		case r.stale && r.lastSample == nil:
			r.reason = fmt.Sprintf("never sampled; defined %s ago", daysText(r.silence))
		case r.stale:
			r.reason = fmt.Sprintf("no sample for %s", daysText(r.silence))
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].stale != rows[j].stale {
			return rows[i].stale
		}
		return rows[i].silence > rows[j].silence
	})
	return auditFrame(rows, days), nil
}

// lastSamples finds each KPI's latest sample at or before asOf: one MAX per KPI, which
// the (kpi, at, ...) primary key answers from the index instead of scanning every sample.
func (p *plan) lastSamples(ctx context.Context, ids []string, asOf time.Time) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{asOf.UnixMilli()}
	rowsSQL := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		rowsSQL[i] = fmt.Sprintf("($%d)", i+2)
	}
	// VALUES names its column column1 on both SQLite and PostgreSQL.
	sqlText := "SELECT v.column1, (SELECT MAX(s.at) FROM kpi_samples s WHERE s.kpi = v.column1 AND s.at <= $1) FROM (VALUES " +
		strings.Join(rowsSQL, ", ") + ") AS v"
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("querying last KPI samples: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var at sql.NullInt64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("reading last KPI samples: %w", err)
		}
		if at.Valid {
			out[id] = timeMs(at.Int64)
		}
	}
	return out, rows.Err()
}

func auditFrame(rows []auditRow, days float64) *data.Frame {
	n := len(rows)
	kpis, names, owners, statuses, reasons := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	versions := make([]int64, n)
	last := make([]*time.Time, n)
	silence := make([]float64, n)
	stale := make([]bool, n)
	for i, r := range rows {
		kpis[i], names[i], owners[i], statuses[i], reasons[i] = r.def.ID, r.def.Name, r.def.Owner, r.def.Status, r.reason
		versions[i], last[i], silence[i], stale[i] = int64(r.def.Version), r.lastSample, r.silence.Seconds(), r.stale
	}
	silenceField := data.NewField("since_last_sample", nil, silence)
	silenceField.Config = &data.FieldConfig{DisplayNameFromDS: "Silent for", Unit: "s"}
	staleField := data.NewField("stale", nil, stale)
	staleField.Config = &data.FieldConfig{DisplayNameFromDS: fmt.Sprintf("Stale (≥ %s days)", trimFloat(days))}
	f := data.NewFrame(Stale,
		data.NewField("kpi", nil, kpis),
		data.NewField("name", nil, names),
		data.NewField("owner", nil, owners),
		data.NewField("status", nil, statuses),
		data.NewField("version", nil, versions),
		data.NewField("last_sample", nil, last),
		silenceField,
		staleField,
		data.NewField("reason", nil, reasons),
	)
	return f
}

func daysText(d time.Duration) string {
	return trimFloat(float64(d/time.Hour)/24) + " days"
}

// trimFloat prints v to one decimal, without a trailing ".0".
func trimFloat(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
