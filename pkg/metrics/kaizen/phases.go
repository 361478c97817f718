package kaizen

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/stats/impact"
)

// PhasesFrameName names the phase frame. The control chart panel splits its
// chart at each row's time: docs/kaizen.md, "Phase frame".
const PhasesFrameName = "kaizen_phases"

// phases is one row per event deployed in the time range, oldest first: where a
// control chart starts a new phase, what the event is called, and its verdict.
func (a analyzer) phases(ctx context.Context, env query.Env, r request, q models.Query) (data.Frames, error) {
	sel := selection{ids: r.opts.Events, filters: q.Filters, includeArchived: r.opts.IncludeArchived || len(r.opts.Events) > 0,
		deployedFrom: &env.From, deployedTo: &env.To}
	evs, err := loadEvents(ctx, env.Store, sel)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].DeployedAt.Before(*evs[j].DeployedAt) })
	n := len(evs)
	times, settled := make([]time.Time, n), make([]time.Time, n)
	ids, names, verdicts, texts, notes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	codes, change, rel, pValue := make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, e := range evs {
		times[i], ids[i], names[i] = *e.DeployedAt, e.ID, e.Name
		an, err := a.Analyze(ctx, e)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			settled[i], verdicts[i], notes[i] = *e.DeployedAt, StateError, err.Error()
			continue
		}
		res := an.Result
		settled[i] = an.Windows.AfterFrom
		verdicts[i], codes[i], texts[i] = string(res.Verdict), verdictCode(res.Verdict), verdictSentence(an)
		change[i], rel[i] = num(res.Change), num(res.RelativeChange)
		if res.Test != nil {
			pValue[i] = num(res.Test.P)
		}
		notes[i] = noteOf(row{event: e, an: an})
	}
	var c cols
	c.add("time", times, nil)
	c.add("time_end", settled, nil)
	c.add("event", ids, nil)
	c.add("phase", names, nil)
	c.add("verdict", verdicts, nil)
	c.add("verdict_code", codes, verdictConfig("Verdict"))
	c.add("verdict_text", texts, nil)
	c.add("change", change, nil)
	c.add("relative_change", rel, &data.FieldConfig{Unit: "percentunit"})
	c.add("p_value", pValue, nil)
	c.add("note", notes, nil)
	f := data.NewFrame(PhasesFrameName, c.fields...)
	f.SetMeta(&data.FrameMeta{Custom: map[string]any{"kaizen": "phases"}})
	return data.Frames{f}, nil
}

// verdictSentence reads "Improved: median 31m 30s → 23m (−27%), p = 0.0002", or
// says how many points are missing.
func verdictSentence(an *Analysis) string {
	r := an.Result
	word := map[impact.Verdict]string{impact.Improved: "Improved", impact.Worsened: "Worsened",
		impact.NoEvidence: "No evidence of a change", impact.InsufficientData: "Not enough data"}[r.Verdict]
	if r.Verdict == impact.InsufficientData {
		return word + ": " + neededText(r.Needed.Before, r.Needed.After)
	}
	s := fmt.Sprintf("%s: median %s → %s", word, formatValue(r.Before.Median, an.Unit), formatValue(r.After.Median, an.Unit))
	if !math.IsNaN(r.RelativeChange) {
		s += fmt.Sprintf(" (%+.0f%%)", r.RelativeChange*100)
	}
	if r.Test != nil {
		s += ", p = " + formatP(r.Test.P)
	}
	return s
}

// formatValue writes a number in its unit for annotation text: durations in
// seconds as "31m 30s", everything else with four significant digits.
func formatValue(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	switch unit {
	case "s":
		return formatSeconds(v)
	case "percentunit":
		return strconv.FormatFloat(v*100, 'g', 4, 64) + "%"
	case "percent":
		return strconv.FormatFloat(v, 'g', 4, 64) + "%"
	case "", "short", "none":
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64) + " " + unit
}

func formatSeconds(v float64) string {
	if math.Abs(v) < 60 {
		return strconv.FormatFloat(v, 'g', 3, 64) + "s"
	}
	d := time.Duration(math.Round(math.Abs(v))) * time.Second
	sign := ""
	if v < 0 {
		sign = "-"
	}
	days := d / day
	d -= days * day
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	var parts []string
	for _, p := range []struct {
		n    time.Duration
		unit string
	}{{days, "d"}, {h, "h"}, {m, "m"}, {s, "s"}} {
		if p.n > 0 && len(parts) < 2 {
			parts = append(parts, strconv.Itoa(int(p.n))+p.unit)
		}
	}
	return sign + strings.Join(parts, " ")
}

func formatP(p float64) string {
	if p < 0.0001 {
		return strconv.FormatFloat(p, 'e', 1, 64)
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}
