package annotations

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// incidents returns the incidents overlapping the range: started before its end and
// not resolved before its start. An open incident's region runs to now (or the range
// end, if earlier). truncated says the limit cut older ones off.
func incidents(ctx context.Context, env query.Env, filters map[string][]string) ([]event, bool, error) {
	w := &query.Where{}
	w.Add("i.started_at < ?", env.To.UnixMilli())
	w.Add("(i.resolved_at IS NULL OR i.resolved_at >= ?)", env.From.UnixMilli())
	if err := w.Filters(incidentDims, kindFilters(incidentDims, filters)); err != nil {
		return nil, false, err
	}
	rows, err := env.Store.QueryContext(ctx, `SELECT i.source, i.id, i.service, i.team, i.severity, i.title, i.started_at, i.detected_at,
		i.resolved_at, i.detected_by, i.caused_by_deployment FROM incidents i`+w.SQL()+
		fmt.Sprintf(" ORDER BY i.started_at DESC, i.id LIMIT %d", Limit+1), w.Args()...)
	if err != nil {
		return nil, false, fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	openEnd := env.To
	if !env.Now.IsZero() && env.Now.Before(openEnd) {
		openEnd = env.Now
	}
	var out []event
	for rows.Next() {
		var source, id, service, team, severity, title, detectedBy, cause string
		var started int64
		var detected, resolved sql.NullInt64
		if err := rows.Scan(&source, &id, &service, &team, &severity, &title, &started, &detected, &resolved, &detectedBy, &cause); err != nil {
			return nil, false, fmt.Errorf("reading incidents: %w", err)
		}
		start := time.UnixMilli(started).UTC()
		e := event{time: start, id: "incident:" + source + ":" + id, tags: tagsOf("incident", severity, service, team)}
		head := "Incident " + id
		if title != "" {
			head += ": " + title
		}
		e.title = head
		var lines []string
		lines = append(lines, strings.Join(nonEmpty("severity "+severity, "service "+service, "team "+team), " · "))
		if detected.Valid {
			lines = append(lines, fmt.Sprintf("Detected after %s%s", duration(time.Duration(detected.Int64-started)*time.Millisecond), by(detectedBy)))
		}
		if resolved.Valid {
			end := time.UnixMilli(resolved.Int64).UTC()
			e.timeEnd = &end
			lines = append(lines, "Resolved after "+duration(end.Sub(start)))
		} else {
			end := openEnd
			if end.Before(start) {
				end = start
			}
			e.timeEnd = &end
			e.tags = append(e.tags, "open")
			lines = append(lines, "Still open ("+duration(end.Sub(start))+" so far)")
		}
		if cause != "" {
			lines = append(lines, "Caused by deployment "+cause)
		}
		e.text = strings.Join(nonEmpty(lines...), "\n")
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("reading incidents: %w", err)
	}
	truncated := len(out) > Limit
	if truncated {
		out = out[:Limit]
	}
	return out, truncated, nil
}

// deployments returns the deployments in the range as point annotations, each with
// the incidents that name it.
func deployments(ctx context.Context, env query.Env, filters map[string][]string) ([]event, bool, error) {
	w := &query.Where{}
	w.Add("d.deployed_at >= ?", env.From.UnixMilli())
	w.Add("d.deployed_at < ?", env.To.UnixMilli())
	if err := w.Filters(deploymentDims, kindFilters(deploymentDims, filters)); err != nil {
		return nil, false, err
	}
	rows, err := env.Store.QueryContext(ctx, `SELECT d.source, d.id, d.service, d.team, d.environment, d.version, d.status, d.commit_at, d.deployed_at
		FROM deployments d`+w.SQL()+fmt.Sprintf(" ORDER BY d.deployed_at DESC, d.id LIMIT %d", Limit+1), w.Args()...)
	if err != nil {
		return nil, false, fmt.Errorf("querying deployments: %w", err)
	}
	type dep struct {
		source, id, service, team, env, version, status string
		commit                                          sql.NullInt64
		deployed                                        int64
	}
	var deps []dep
	for rows.Next() {
		var d dep
		if err := rows.Scan(&d.source, &d.id, &d.service, &d.team, &d.env, &d.version, &d.status, &d.commit, &d.deployed); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("reading deployments: %w", err)
		}
		deps = append(deps, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("reading deployments: %w", err)
	}
	truncated := len(deps) > Limit
	if truncated {
		deps = deps[:Limit]
	}
	refs := make([]string, 0, 2*len(deps))
	for _, d := range deps {
		refs = append(refs, d.id, d.source+":"+d.id)
	}
	causes, err := incidentsNaming(ctx, env, refs)
	if err != nil {
		return nil, false, err
	}
	out := make([]event, 0, len(deps))
	for _, d := range deps {
		named := append(causes[d.id], causes[d.source+":"+d.id]...)
		status := d.status
		if len(named) > 0 && status == "success" {
			status = "caused an incident"
		}
		e := event{time: time.UnixMilli(d.deployed).UTC(), id: "deployment:" + d.source + ":" + d.id,
			tags: tagsOf("deployment", d.service, d.env, d.status, d.team)}
		target := d.service
		if d.version != "" {
			target = strings.TrimSpace(target + " " + d.version)
		}
		if target == "" {
			target = d.id
		}
		e.title = fmt.Sprintf("Deployment %s to %s: %s", target, orNone(d.env, "(no environment)"), status)
		lines := []string{strings.Join(nonEmpty("team "+d.team, "source "+d.source+", id "+d.id), " · ")}
		if d.commit.Valid {
			lines = append(lines, "Lead time "+duration(time.Duration(d.deployed-d.commit.Int64)*time.Millisecond)+" (first commit to deployment)")
		}
		if len(named) > 0 {
			lines = append(lines, "Named by incident "+strings.Join(named, ", "))
		}
		e.text = strings.Join(lines, "\n")
		out = append(out, e)
	}
	return out, truncated, nil
}

// incidentsNaming maps each given deployment reference to the ids of incidents whose
// caused_by_deployment names it.
func incidentsNaming(ctx context.Context, env query.Env, refs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(refs) == 0 {
		return out, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(refs)), ", ")
	args := make([]any, len(refs))
	for i, r := range refs {
		args[i] = r
	}
	w := &query.Where{}
	w.Add("caused_by_deployment IN ("+marks+")", args...)
	rows, err := env.Store.QueryContext(ctx, "SELECT caused_by_deployment, id FROM incidents"+w.SQL()+" ORDER BY started_at", w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying incidents naming deployments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref, id string
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, fmt.Errorf("reading incidents naming deployments: %w", err)
		}
		out[ref] = append(out[ref], id)
	}
	return out, rows.Err()
}

// nonEmpty drops parts whose value is missing ("team " with no team).
func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" && !strings.HasSuffix(p, " ") {
			out = append(out, p)
		}
	}
	return out
}

func by(detectedBy string) string {
	if detectedBy == "" {
		return ""
	}
	return " (by " + detectedBy + ")"
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
