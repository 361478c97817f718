package postmortems

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
)

// themed is an incident with the themes of the postmortems that cover it.
type themed struct {
	source, id, service string
	started             int64
	themes              []string
	group               []string
}

// repeat is an incident that repeats an earlier one.
type repeat struct {
	themed
	of     themed   // the latest earlier incident it repeats
	shared []string // themes both have
}

// repeats finds the incidents that started in the range and repeat an earlier
// incident: same service, a postmortem theme in common, started after it and at
// most repeatDays later (exactly repeatDays counts). The filters choose the
// repeating incidents; the earlier one may be any incident of the service.
func (p *plan) repeats(ctx context.Context) ([]repeat, error) {
	pms, err := postmortemsByIncident(ctx, p.env.Store)
	if err != nil {
		return nil, err
	}
	if !anyThemes(pms) {
		return nil, nil // only incidents with postmortem themes can repeat: no need to read incidents
	}
	from, to := p.env.From.UnixMilli(), p.env.To.UnixMilli()
	// Earlier incidents: any severity or team of the service, back to repeatDays
	// before the range.
	pool := &query.Where{}
	pool.Add("started_at >= ?", from-p.opts.repeat.Milliseconds())
	pool.Add("started_at < ?", to)
	pool.Add("service <> ''")
	earlier, err := p.themedIncidents(ctx, pool, pms, false)
	if err != nil {
		return nil, err
	}
	w := &query.Where{}
	w.Add("started_at >= ?", from)
	w.Add("started_at < ?", to)
	w.Add("service <> ''")
	if err := w.Filters(incidentDimensions, p.q.Filters); err != nil {
		return nil, err
	}
	candidates, err := p.themedIncidents(ctx, w, pms, true)
	if err != nil {
		return nil, err
	}
	byService := map[string][]themed{}
	for _, e := range earlier {
		byService[e.service] = append(byService[e.service], e)
	}
	for _, list := range byService {
		sort.Slice(list, func(i, j int) bool { return list[i].started < list[j].started })
	}
	window := p.opts.repeat.Milliseconds()
	var out []repeat
	for _, c := range candidates {
		list := byService[c.service]
		// The latest earlier incident sharing a theme within the window.
		for k := sort.Search(len(list), func(i int) bool { return list[i].started >= c.started }) - 1; k >= 0; k-- {
			e := list[k]
			if c.started-e.started > window {
				break
			}
			if shared := intersect(c.themes, e.themes); len(shared) > 0 {
				out = append(out, repeat{themed: c, of: e, shared: shared})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].started != out[j].started {
			return out[i].started < out[j].started
		}
		return out[i].source+out[i].id < out[j].source+out[j].id
	})
	return out, nil
}

// anyThemes says whether any postmortem names an incident and has a theme.
func anyThemes(pms map[string][]pmRef) bool {
	for _, refs := range pms {
		for _, r := range refs {
			if len(r.themes) > 0 {
				return true
			}
		}
	}
	return false
}

// themedIncidents reads the incidents w selects that have postmortem themes.
func (p *plan) themedIncidents(ctx context.Context, w *query.Where, pms map[string][]pmRef, grouped bool) ([]themed, error) {
	cols := []string{"source", "id", "service", "started_at"}
	if grouped {
		cols = append(cols, p.groupCols...)
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM incidents"+w.SQL(), w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	var out []themed
	for rows.Next() {
		var r themed
		dest := []any{&r.source, &r.id, &r.service, &r.started}
		if grouped {
			r.group = make([]string, len(p.groupCols))
			for i := range r.group {
				dest = append(dest, &r.group[i])
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading incidents: %w", err)
		}
		for _, pm := range pms[r.id] {
			if pm.covers(r.source) {
				r.themes = append(r.themes, pm.themes...)
			}
		}
		if len(r.themes) > 0 {
			slices.Sort(r.themes)
			r.themes = slices.Compact(r.themes)
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	return out, nil
}

// intersect returns the common elements of two sorted lists.
func intersect(a, b []string) []string {
	var out []string
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}

// repeatFrame is the repeats table: one row per repeating incident.
func repeatFrame(reps []repeat) *data.Frame {
	n := len(reps)
	times := make([]time.Time, n)
	ids, services, themes, ofs := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	after := make([]float64, n)
	for i, r := range reps {
		times[i] = time.UnixMilli(r.started).UTC()
		ids[i], services[i] = r.id, r.service
		themes[i] = strings.Join(r.shared, ", ")
		ofs[i] = r.of.id
		after[i] = float64(r.started-r.of.started) / 1000
	}
	afterField := data.NewField("after", nil, after)
	afterField.Config = &data.FieldConfig{DisplayNameFromDS: "After", Unit: "s"}
	f := data.NewFrame(RepeatList,
		data.NewField("time", nil, times),
		data.NewField("incident", nil, ids),
		data.NewField("service", nil, services),
		data.NewField("themes", nil, themes),
		data.NewField("repeat_of", nil, ofs),
		afterField,
	)
	f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
	return f
}
