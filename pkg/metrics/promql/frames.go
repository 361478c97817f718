package promql

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Frames runs a prometheus query. Time series come as Grafana's Prometheus data
// source shapes them: one frame per series, the value field labelled with every
// Prometheus label and named by the legend, the time field carrying the step as
// its interval (so panels break lines at missing steps). An instant query (bucket
// none) gives labelled numbers; the table format one long frame.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	p, err := newPlan(env, q)
	if err != nil {
		return nil, err
	}
	ss, err := p.series(ctx)
	if err != nil {
		return nil, err
	}
	var frames data.Frames
	if q.Format == models.FormatTable || len(ss) == 0 {
		frames = p.result(ss).Frames(q.Format)
	} else {
		frames = make(data.Frames, len(ss))
		for i, s := range ss {
			frames[i] = p.seriesFrame(s)
		}
	}
	meta := frames[0].Meta
	if meta == nil {
		meta = &data.FrameMeta{}
		frames[0].SetMeta(meta)
	}
	meta.ExecutedQueryString = p.executed()
	for _, n := range p.notices {
		meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: n})
	}
	return frames, nil
}

func (p *plan) seriesFrame(s promSeries) *data.Frame {
	vf := data.NewField("value", data.Labels(s.labels), s.values)
	vf.Config = &data.FieldConfig{DisplayNameFromDS: s.name}
	if p.instant {
		f := data.NewFrame(s.name, vf)
		f.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		return f
	}
	tf := data.NewField("time", nil, s.times)
	tf.Config = &data.FieldConfig{Interval: float64(p.rng.Step / time.Millisecond)}
	f := data.NewFrame(s.name, tf, vf)
	f.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
	return f
}
