package flow

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/query"
)

// mapStats are the summaries the value stream map carries, so the panel can switch
// between them without a new query.
var mapStats = []stat{{name: "mean", base: "mean"}, {name: "median", base: "median"}, {name: P85, q: 0.85}}

// stageValues are the completed items' times in one stage (s).
type stageValues struct{ process, wait []float64 }

// valueStream returns the value stream map of one stream (docs/flow.md "value_stream"):
// a "stages" frame (one row per stage in order: kind, items, WIP now and its limit,
// process and wait time as mean, median and p85) and a "totals" frame (lead, cycle,
// process and wait time, flow efficiency, throughput and WIP).
func (p plan) valueStream(ctx context.Context) (data.Frames, error) {
	defs, err := LoadDefinitions(ctx, p.env.Store)
	if err != nil {
		return nil, err
	}
	stream, err := p.oneStream(ctx, defs)
	if err != nil {
		return nil, err
	}
	def := defs[stream]
	var notices []data.Notice
	if def == nil {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("value stream %q has no definition: stages are in name order and count as active; PUT flow/streams/%s to set their order, kinds and WIP limits", stream, stream)})
	}
	filters := map[string][]string{}
	for k, v := range p.q.Filters {
		filters[k] = v
	}
	filters["value_stream"] = []string{stream}
	itemFilters := map[string][]string{}
	for k, v := range filters {
		if k != "stage" {
			itemFilters[k] = v
		}
	}

	// One row per item completed in the range: its totals, and its stage times packed.
	done, values, err := p.completed(ctx, itemFilters)
	if err != nil {
		return nil, err
	}

	// WIP per stage now (or at the range end).
	asOf := p.asOf()
	wip := map[string]float64{}
	ww := &query.Where{}
	ww.Add("+entered_at < ?", asOf.UnixMilli())
	if err := ww.Filters(stageDimensions, filters); err != nil {
		return nil, err
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT stage, COUNT(*) FROM ("+
		staysIn([]string{"stage"}, ww, asOf.UnixMilli())+") AS u GROUP BY stage", ww.Args()...)
	if err != nil {
		return nil, fmt.Errorf("querying WIP: %w", err)
	}
	for rows.Next() {
		var stage string
		var n float64
		if err := rows.Scan(&stage, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading WIP: %w", err)
		}
		wip[stage] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading WIP: %w", err)
	}

	stages := mapStages(def, values, wip, filters["stage"])
	var undefined []string
	for _, s := range stages {
		if def != nil && s.Kind == "" {
			undefined = append(undefined, s.Name)
		}
	}
	if len(undefined) > 0 {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("stage(s) %s of value stream %q are not in its definition; they are shown last and count as active", strings.Join(undefined, ", "), stream)})
	}
	n := len(stages)
	names, kinds := make([]string, n), make([]string, n)
	position, items, wips := make([]float64, n), make([]float64, n), make([]float64, n)
	limits := make([]*float64, n)
	procStats, waitStats := make([][]*float64, len(mapStats)), make([][]*float64, len(mapStats))
	for k := range mapStats {
		procStats[k], waitStats[k] = make([]*float64, n), make([]*float64, n)
	}
	for i, s := range stages {
		names[i], position[i], wips[i] = s.Name, float64(i), wip[s.Name]
		kinds[i] = s.Kind
		if kinds[i] == "" {
			kinds[i] = KindActive
		}
		if s.WIPLimit != nil {
			limits[i] = fp(float64(*s.WIPLimit))
		}
		sv := values[s.Name]
		if sv == nil {
			continue
		}
		items[i] = float64(len(sv.process))
		for k, st := range mapStats {
			if v, ok := st.of(sv.process); ok {
				procStats[k][i] = fp(v)
			}
			if v, ok := st.of(sv.wait); ok {
				waitStats[k][i] = fp(v)
			}
		}
	}
	stageFields := []*data.Field{
		data.NewField("stage", nil, names),
		data.NewField("kind", nil, kinds),
		data.NewField("position", nil, position),
		withConfig(data.NewField("items", nil, items), "Items completed", "short"),
		withConfig(data.NewField("wip", nil, wips), "WIP", "short"),
		withConfig(data.NewField("wip_limit", nil, limits), "WIP limit", "short"),
	}
	for k, st := range mapStats {
		stageFields = append(stageFields, withConfig(data.NewField("process_"+st.name, nil, procStats[k]), "Process time ("+st.name+")", "s"))
	}
	for k, st := range mapStats {
		stageFields = append(stageFields, withConfig(data.NewField("wait_"+st.name, nil, waitStats[k]), "Wait time ("+st.name+")", "s"))
	}
	stagesFrame := data.NewFrame("stages", stageFields...)
	stagesFrame.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable, Notices: notices})

	totals := mapTotals(stream, done, asOf, wips)
	return data.Frames{stagesFrame, totals}, nil
}

// completedItems are the per-item values the totals summarize (s).
type completedItems struct {
	lead, cycle, process, wait []float64
	sumProcess, sumLead        float64
}

// completed reads the items completed in the range: their lead, cycle, process and wait
// times, and (unpacked) their time in each stage.
func (p plan) completed(ctx context.Context, filters map[string][]string) (completedItems, map[string]*stageValues, error) {
	var c completedItems
	values := map[string]*stageValues{}
	w := rangeWhere(p, "done_at", itemDimensions, filters)
	rows, err := p.env.Store.QueryContext(ctx, "SELECT created_at, done_at, first_active_at, process_ms, wait_ms, stays, stage_times FROM flow_items"+w.SQL(), w.Args()...)
	if err != nil {
		return c, nil, fmt.Errorf("querying completed items: %w", err)
	}
	defer rows.Close()
	var created, done, proc, wt, stays int64
	var first sql.NullInt64
	var packed string
	add := func(stage string, processMs, waitMs int64) {
		sv := values[stage]
		if sv == nil {
			sv = &stageValues{}
			values[stage] = sv
		}
		sv.process = append(sv.process, float64(processMs)/1000)
		sv.wait = append(sv.wait, float64(waitMs)/1000)
	}
	for rows.Next() {
		if err := rows.Scan(&created, &done, &first, &proc, &wt, &stays, &packed); err != nil {
			return c, nil, fmt.Errorf("reading completed items: %w", err)
		}
		c.lead = append(c.lead, float64(done-created)/1000)
		if first.Valid {
			c.cycle = append(c.cycle, float64(done-first.Int64)/1000)
		}
		if stays > 0 {
			c.process = append(c.process, float64(proc)/1000)
			c.wait = append(c.wait, float64(wt)/1000)
			if done > created {
				c.sumProcess += float64(proc)
				c.sumLead += float64(done - created)
			}
		}
		if err := unpackStages(packed, add); err != nil {
			return c, nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return c, nil, fmt.Errorf("reading completed items: %w", err)
	}
	return c, values, nil
}

// mapTotals is the "totals" frame: one row for the stream.
func mapTotals(stream string, c completedItems, asOf time.Time, wips []float64) *data.Frame {
	var totalWIP float64
	for _, v := range wips {
		totalWIP += v
	}
	var eff *float64
	if c.sumLead > 0 {
		eff = fp(c.sumProcess / c.sumLead)
	}
	fields := []*data.Field{
		data.NewField("value_stream", nil, []string{stream}),
		withConfig(data.NewField("as_of", nil, []time.Time{asOf.UTC()}), "WIP as of", ""),
		withConfig(data.NewField("items", nil, []float64{float64(len(c.lead))}), "Items completed", "short"),
		withConfig(data.NewField("wip", nil, []float64{totalWIP}), "WIP", "short"),
		withConfig(data.NewField("flow_efficiency", nil, []*float64{eff}), "Flow efficiency", "percentunit"),
	}
	for _, part := range []struct {
		name, label string
		values      []float64
	}{{"lead", "Lead time", c.lead}, {"cycle", "Cycle time", c.cycle}, {"process", "Process time", c.process}, {"wait", "Wait time", c.wait}} {
		for _, st := range mapStats {
			var v *float64
			if x, ok := st.of(part.values); ok {
				v = fp(x)
			}
			fields = append(fields, withConfig(data.NewField(part.name+"_"+st.name, nil, []*float64{v}), part.label+" ("+st.name+")", "s"))
		}
	}
	f := data.NewFrame("totals", fields...)
	f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable})
	return f
}

// rangeWhere is p.where with other filters and dimensions.
func rangeWhere(p plan, tcol string, dims query.Dimensions, filters map[string][]string) *query.Where {
	w := &query.Where{}
	w.Add(tcol+" >= ?", p.env.From.UnixMilli())
	w.Add(tcol+" < ?", p.env.To.UnixMilli())
	_ = w.Filters(dims, filters)
	return w
}

// mapStages lists the stages to draw: the definition's (done stages left out: they hold
// finished work), then stages seen in the data but missing from it, by name.
func mapStages(def *Definition, values map[string]*stageValues, wip map[string]float64, only []string) []Stage {
	keep := func(name string) bool {
		if len(only) == 0 {
			return true
		}
		for _, o := range only {
			if o == name {
				return true
			}
		}
		return false
	}
	var out []Stage
	if def != nil {
		for _, s := range def.Stages {
			if s.Kind != KindDone && keep(s.Name) {
				out = append(out, s)
			}
		}
	}
	var extra []string
	seen := map[string]bool{}
	for name := range values {
		seen[name] = true
	}
	for name := range wip {
		seen[name] = true
	}
	for name := range seen {
		if _, ok := def.stage(name); !ok && keep(name) {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		out = append(out, Stage{Name: name})
	}
	return out
}

// oneStream picks the value stream to map: the one filtered on, else the only one there is.
func (p plan) oneStream(ctx context.Context, defs map[string]*Definition) (string, error) {
	if vs := p.q.Filters["value_stream"]; len(vs) == 1 {
		return vs[0], nil
	} else if len(vs) > 1 {
		return "", fmt.Errorf("value_stream maps one value stream; the filter names %d (%s)", len(vs), strings.Join(vs, ", "))
	}
	names := map[string]bool{}
	for n := range defs {
		names[n] = true
	}
	rows, err := p.env.Store.QueryContext(ctx, "SELECT DISTINCT value_stream FROM flow_items")
	if err != nil {
		return "", fmt.Errorf("listing value streams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return "", fmt.Errorf("listing value streams: %w", err)
		}
		names[n] = true
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("listing value streams: %w", err)
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	switch len(list) {
	case 0:
		return "", fmt.Errorf("no value stream yet: define one with PUT flow/streams/{name} and ingest work items")
	case 1:
		return list[0], nil
	}
	return "", fmt.Errorf("value_stream maps one value stream; filter value_stream to one of %s", strings.Join(quoteAll(list), ", "))
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
