package spc

import (
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	spcstats "github.com/kaizenops/suite/pkg/stats/spc"
)

// ChartFrames renders the charts: in timeseries format one frame per source
// series (docs/control-charts.md, "Frame shape"), in table format one long
// frame with a column per group-by dimension.
func (c *Charts) ChartFrames(format string) data.Frames {
	frames := make(data.Frames, 0, len(c.Series))
	for _, s := range c.Series {
		frames = append(frames, c.chartFrame(s))
	}
	if len(frames) == 0 {
		frames = append(frames, c.emptyChartFrame())
	}
	if format == models.FormatTable {
		frames = data.Frames{c.long(frames)}
	}
	c.notify(frames[0])
	return frames
}

// ViolationFrames renders how many violations each series has in the range:
// in timeseries format one labelled number per series (what alert rules
// reduce per series), in table format one row per series.
func (c *Charts) ViolationFrames(format string) data.Frames {
	if format == models.FormatTable {
		f := c.violationTable()
		c.notify(f)
		return data.Frames{f}
	}
	frames := make(data.Frames, 0, len(c.Series))
	for _, s := range c.Series {
		n := float64(len(s.Visible()))
		val := data.NewField(FieldViolations, c.labels(s.Group), []*float64{&n})
		val.Config = &data.FieldConfig{DisplayNameFromDS: s.Name + " violations", Unit: "short"}
		f := data.NewFrame(FieldViolations, val)
		f.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		frames = append(frames, f)
	}
	if len(frames) == 0 {
		// No series: an empty number keeps the schema, so alert rules go to NoData.
		val := data.NewField(FieldViolations, nil, []*float64{})
		val.Config = &data.FieldConfig{DisplayNameFromDS: c.Name + " violations", Unit: "short"}
		frames = append(frames, data.NewFrame(FieldViolations, val))
	}
	c.notify(frames[0])
	return frames
}

func (c *Charts) violationTable() *data.Frame {
	fields := make([]*data.Field, 0, len(c.GroupBy)+3)
	for d, name := range c.GroupBy {
		col := make([]string, len(c.Series))
		for i, s := range c.Series {
			col[i] = s.Group[d]
		}
		fields = append(fields, data.NewField(name, nil, col))
	}
	points := make([]int64, len(c.Series))
	counts := make([]float64, len(c.Series))
	inControl := make([]bool, len(c.Series))
	for i, s := range c.Series {
		points[i] = int64(s.Result.Len() - s.First)
		counts[i] = float64(len(s.Visible()))
		inControl[i] = counts[i] == 0
	}
	fields = append(fields, data.NewField("points", nil, points), data.NewField(FieldViolations, nil, counts),
		data.NewField("in_control", nil, inControl))
	return data.NewFrame(FieldViolations, fields...)
}

// chartFrame holds the points from First on. Zone lines are clipped to the
// limits (a −2σ line below a p chart's LCL of 0 would mean nothing); cusum
// has no zone lines: its limits are h sigma of a cumulative sum.
func (c *Charts) chartFrame(s Series) *data.Frame {
	res, lo := s.Result, s.First
	p := &res.Points
	labels := c.labels(s.Group)
	suffix := groupSuffix(c.GroupBy, s.Group)
	num := func(name, display string, xs []float64, custom map[string]any) *data.Field {
		vals := make([]float64, len(xs)-lo)
		copy(vals, xs[lo:])
		f := data.NewField(name, labels, vals)
		f.Config = &data.FieldConfig{DisplayNameFromDS: display + suffix, Unit: c.Unit, Decimals: c.Decimals, Custom: custom}
		return f
	}
	times := make([]time.Time, res.Len()-lo)
	copy(times, p.Time[lo:])
	value := num(FieldValue, "", p.Value, nil)
	value.Config.DisplayNameFromDS = s.Name
	fields := []*data.Field{
		data.NewField(FieldTime, nil, times),
		value,
		num(FieldCenter, "CL", p.Center, lineStyle("solid")),
		num(FieldUCL, "UCL", p.UCL, lineStyle("dash")),
		num(FieldLCL, "LCL", p.LCL, lineStyle("dash")),
	}
	if res.Chart != spcstats.CUSUM {
		for _, z := range []struct {
			name, display string
			k             float64
		}{{FieldPlus1Sigma, "+1σ", 1}, {FieldMinus1Sigma, "−1σ", -1}, {FieldPlus2Sigma, "+2σ", 2}, {FieldMinus2Sigma, "−2σ", -2}} {
			line := res.Line(z.k)
			for i := range line {
				line[i] = math.Min(p.UCL[i], math.Max(p.LCL[i], line[i]))
			}
			fields = append(fields, num(z.name, z.display, line, zoneStyle()))
		}
	}
	base := make([]bool, res.Len()-lo)
	copy(base, p.Baseline[lo:])
	viol := make([]string, res.Len()-lo)
	for i := range viol {
		viol[i] = p.Violations[lo+i].String()
	}
	fields = append(fields, data.NewField(FieldBaseline, labels, base), data.NewField(FieldViolations, labels, viol))
	fields[len(fields)-2].Config = &data.FieldConfig{DisplayNameFromDS: "Baseline" + suffix, Custom: hidden()}
	fields[len(fields)-1].Config = &data.FieldConfig{DisplayNameFromDS: "Violations" + suffix}
	if p.Observation != nil {
		fields = append(fields, num(FieldObservation, "Observation", p.Observation, nil))
	}
	if p.CMinus != nil {
		lower := make([]float64, len(p.CMinus))
		for i, v := range p.CMinus {
			lower[i] = -v
		}
		fields = append(fields, num(FieldCUSUMLower, "CUSUM C−", lower, nil))
	}
	if p.N != nil {
		n := num(FieldN, "n", p.N, hidden())
		n.Config.Unit, n.Config.Decimals = "short", nil
		fields = append(fields, n)
	}
	f := data.NewFrame(FieldValue, fields...)
	f.SetMeta(&data.FrameMeta{Custom: map[string]any{CustomKey: c.describe(s)}})
	return f
}

// Field config custom options the time series panel understands, so the frame
// reads as a control chart there too: dashed limits, thin zone lines.
func lineStyle(fill string) map[string]any {
	style := map[string]any{"fill": fill}
	if fill == "dash" {
		style["dash"] = []int{10, 10}
	}
	return map[string]any{"lineStyle": style, "lineWidth": 1}
}

func zoneStyle() map[string]any {
	return map[string]any{"lineStyle": map[string]any{"fill": "dot", "dash": []int{0, 10}}, "lineWidth": 1,
		"hideFrom": map[string]any{"legend": true, "tooltip": false, "viz": false}}
}

func hidden() map[string]any {
	return map[string]any{"hideFrom": map[string]any{"legend": true, "tooltip": true, "viz": true}}
}

// describe is meta.custom.spc: what a panel needs to label the chart.
func (c *Charts) describe(s Series) map[string]any {
	res := s.Result
	rules := make([]string, len(c.Rules))
	for i, r := range c.Rules {
		rules[i] = string(r)
	}
	counts := map[string]int{}
	for _, v := range s.Visible() {
		counts[string(v.Rule)]++
	}
	d := map[string]any{"chart": string(res.Chart), "rules": rules, "violations": counts,
		"center": res.Center, "ucl": res.UCL, "lcl": res.LCL, "sigma": res.Sigma}
	if res.Baseline != nil {
		b := map[string]any{"points": res.Baseline.Last - res.Baseline.First + 1}
		if res.Baseline.From != nil {
			b["from"], b["to"] = res.Baseline.From.UnixMilli(), res.Baseline.To.UnixMilli()
		}
		d["baseline"] = b
	} else {
		d["baseline"] = nil
		d["frozen"] = true
	}
	if res.Params.Subgroup > 0 {
		d["subgroup"] = res.Params.Subgroup
	}
	return d
}

func (c *Charts) labels(group []string) data.Labels {
	if len(c.GroupBy) == 0 {
		return nil
	}
	l := make(data.Labels, len(c.GroupBy))
	for i, name := range c.GroupBy {
		l[name] = group[i]
	}
	return l
}

// emptyChartFrame keeps the schema when there is nothing to chart, so panels
// say "no data" rather than failing.
func (c *Charts) emptyChartFrame() *data.Frame {
	fields := []*data.Field{data.NewField(FieldTime, nil, []time.Time{})}
	for _, name := range []string{FieldValue, FieldCenter, FieldUCL, FieldLCL} {
		f := data.NewField(name, nil, []float64{})
		f.Config = &data.FieldConfig{Unit: c.Unit}
		fields = append(fields, f)
	}
	fields[1].Config.DisplayNameFromDS = c.Name
	fields = append(fields, data.NewField(FieldBaseline, nil, []bool{}), data.NewField(FieldViolations, nil, []string{}))
	return data.NewFrame(FieldValue, fields...)
}

// long joins the per-series frames into one, with a column per group-by dimension.
func (c *Charts) long(frames data.Frames) *data.Frame {
	schema := frames[0]
	var out []*data.Field
	for d, name := range c.GroupBy {
		col := []string{}
		for i, f := range frames {
			if i < len(c.Series) {
				for range f.Rows() {
					col = append(col, c.Series[i].Group[d])
				}
			}
		}
		out = append(out, data.NewField(name, nil, col))
	}
	for j, field := range schema.Fields {
		merged := data.NewFieldFromFieldType(field.Type(), 0)
		merged.Name = field.Name
		merged.Config = field.Config
		if merged.Config != nil && j > 0 && len(c.GroupBy) > 0 {
			cfg := *merged.Config
			cfg.DisplayNameFromDS = ""
			merged.Config = &cfg
		}
		for _, f := range frames {
			for i := 0; i < f.Fields[j].Len(); i++ {
				merged.Append(f.Fields[j].At(i))
			}
		}
		out = append(out, merged)
	}
	return data.NewFrame(schema.Name, out...)
}

// notify attaches the notices to the first frame, where Grafana shows them.
func (c *Charts) notify(f *data.Frame) {
	for _, n := range c.Notices {
		f.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: n})
	}
}
