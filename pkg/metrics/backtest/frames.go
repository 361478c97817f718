package backtest

import (
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// CustomKey is the key of the backtest's description in the frame's meta.custom.
const CustomKey = "backtest"

// ScoresFrame is the scores table: one row per candidate, in the query's order.
// Undefined scores (no alert fired, no incident, nothing caught) are null.
func (r *Result) ScoresFrame() *data.Frame {
	n := len(r.Rows)
	names, conds := make([]string, n), make([]string, n)
	fors, minutes := make([]float64, n), make([]float64, n)
	alerts, useful, caught, missed := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	delay, precision, recall := make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, row := range r.Rows {
		names[i], conds[i] = row.Candidate, row.Condition
		fors[i] = r.Candidates[i].For.Seconds()
		alerts[i], useful[i] = int64(row.Alerts), int64(row.UsefulAlerts)
		caught[i], missed[i] = int64(row.IncidentsCaught), int64(row.IncidentsMissed)
		minutes[i] = row.AlertMinutes
		delay[i], precision[i], recall[i] = finite(row.MedianDetectionDelay), finite(row.Precision), finite(row.Recall)
	}
	field := func(name, display, unit string, values any) *data.Field {
		f := data.NewField(name, nil, values)
		f.Config = &data.FieldConfig{DisplayNameFromDS: display, Unit: unit}
		return f
	}
	f := data.NewFrame("backtest",
		field(FieldCandidate, "Candidate", "", names),
		field(FieldCondition, "Condition", "", conds),
		field(FieldFor, "For", "s", fors),
		field(FieldAlerts, "Alerts", "short", alerts),
		field(FieldAlertMinutes, "Alert time", "m", minutes),
		field(FieldUsefulAlerts, "Useful alerts", "short", useful),
		field(FieldIncidentsCaught, "Incidents caught", "short", caught),
		field(FieldIncidentsMissed, "Incidents missed", "short", missed),
		field(FieldDetectionDelay, "Median detection delay", "s", delay),
		field(FieldPrecision, "Precision", "percentunit", precision),
		field(FieldRecall, "Recall", "percentunit", recall),
	)
	f.SetMeta(&data.FrameMeta{PreferredVisualization: data.VisTypeTable, Custom: map[string]any{CustomKey: r.describe()}})
	r.notify(f)
	return f
}

// FiringsFrame lists every alert each candidate fired: time (fired), timeEnd
// (resolved, or the last sample while still firing), candidate, open, and the
// annotation text. Its data topic is annotations, so a time series panel that
// also draws the source series shows each alert as a region on it.
func (r *Result) FiringsFrame() *data.Frame {
	starts, ends := []time.Time{}, []time.Time{}
	names, texts := []string{}, []string{}
	open, region := []bool{}, []bool{}
	for i, alerts := range r.Alerts {
		name := r.Candidates[i].Name
		for _, a := range alerts {
			text := name + " fired"
			if a.Open {
				text += " (still firing at the end)"
			}
			starts, ends = append(starts, a.Start), append(ends, a.End)
			names, texts = append(names, name), append(texts, text)
			open, region = append(open, a.Open), append(region, true)
		}
	}
	f := data.NewFrame("firings",
		data.NewField("time", nil, starts),
		data.NewField("timeEnd", nil, ends),
		data.NewField(FieldCandidate, nil, names),
		data.NewField("open", nil, open),
		data.NewField("text", nil, texts),
		data.NewField("isRegion", nil, region),
	)
	f.SetMeta(&data.FrameMeta{DataTopic: data.DataTopicAnnotations, Custom: map[string]any{CustomKey: r.describe()}})
	r.notify(f)
	return f
}

// describe is meta.custom.backtest: the inputs behind the scores.
func (r *Result) describe() map[string]any {
	return map[string]any{"source": r.Source, "unit": r.Unit, "intervalSeconds": r.Interval.Seconds(),
		"points": r.Points, "incidents": r.Incidents, "leadSeconds": r.Lead.Seconds()}
}

func (r *Result) notify(f *data.Frame) {
	for _, n := range r.Notices {
		f.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: n})
	}
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
