package kaizen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/stats/impact"
)

// cols builds a table frame column by column, one row per event.
type cols struct {
	fields []*data.Field
}

func (c *cols) add(name string, values any, config *data.FieldConfig) {
	f := data.NewField(name, nil, values)
	f.Config = config
	c.fields = append(c.fields, f)
}

// num maps NaN and ±Inf (an undefined number: no values, a zero baseline median) to null.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func intp(v int) *int64 {
	n := int64(v)
	return &n
}

func timep(t time.Time) *time.Time { return &t }

// sharedUnit is the target unit every analysed row shares, or "" when they differ:
// a column has one unit, and MTTR seconds must not be labelled as a percentage.
func sharedUnit(rows []row) (string, *uint16) {
	unit, seen := "", false
	var decimals *uint16
	for _, r := range rows {
		if r.an == nil {
			continue
		}
		if seen && r.an.Unit != unit {
			return "", nil
		}
		unit, decimals, seen = r.an.Unit, r.an.Decimals, true
	}
	return unit, decimals
}

func display(name, unit string, decimals *uint16) *data.FieldConfig {
	return &data.FieldConfig{DisplayNameFromDS: name, Unit: unit, Decimals: decimals}
}

// verdictConfig maps verdict codes to words and colours, for stat panels on a wall.
func verdictConfig(display string) *data.FieldConfig {
	mapper := data.ValueMapper{
		"1":  {Text: "IMPROVED", Color: "green", Index: 0},
		"0":  {Text: "NO EVIDENCE", Color: "blue", Index: 1},
		"-1": {Text: "WORSENED", Color: "red", Index: 2},
	}
	return &data.FieldConfig{DisplayNameFromDS: display, Unit: "none",
		Mappings: data.ValueMappings{mapper, data.SpecialValueMapper{
			Match: data.SpecialValueNull, Result: data.ValueMappingResult{Text: "NO VERDICT YET", Color: "text", Index: 3},
		}}}
}

// stateConfig maps state codes to words and colours.
func stateConfig(display string) *data.FieldConfig {
	mapper := data.ValueMapper{
		"2": {Text: "SUSTAINED", Color: "green", Index: 0},
		"1": {Text: "ERODING", Color: "orange", Index: 1},
		"0": {Text: "LOST", Color: "red", Index: 2},
	}
	return &data.FieldConfig{DisplayNameFromDS: display, Unit: "none",
		Mappings: data.ValueMappings{mapper, data.SpecialValueMapper{
			Match: data.SpecialValueNull, Result: data.ValueMappingResult{Text: "NO ANSWER YET", Color: "text", Index: 3},
		}}}
}

func lostConfig(display string) *data.FieldConfig {
	mapper := data.ValueMapper{
		"1": {Text: "LOST", Color: "red", Index: 0},
		"0": {Text: "NOT LOST", Color: "green", Index: 1},
	}
	min, max := data.ConfFloat64(0), data.ConfFloat64(1)
	return &data.FieldConfig{DisplayNameFromDS: display, Unit: "none", Min: &min, Max: &max, Mappings: data.ValueMappings{mapper}}
}

func verdictCode(v impact.Verdict) *float64 {
	c, ok := verdictCodes[string(v)]
	if !ok {
		return nil
	}
	return &c
}

func stateCode(s string) *float64 {
	c, ok := stateCodes[s]
	if !ok {
		return nil
	}
	return &c
}

// hypothesisMet: the change is significant, in the expected direction, and at
// least the expected size (when one is set). Null without a test.
func hypothesisMet(an *Analysis) *bool {
	r := an.Result
	if r.Test == nil {
		return nil
	}
	dir := impact.Direction(an.Event.ExpectedDirection)
	moved := (dir == impact.LowerIsBetter && r.Change < 0) || (dir == impact.HigherIsBetter && r.Change > 0)
	met := r.Test.P < alphaOf(an.Options) && moved
	if pct := an.Event.ExpectedChangePct; met && pct != nil {
		met = !math.IsNaN(r.RelativeChange) && math.Abs(r.RelativeChange) >= *pct/100
	}
	return &met
}

func alphaOf(o impact.Options) float64 {
	if o.Alpha == 0 {
		return impact.DefaultAlpha
	}
	return o.Alpha
}

func noteOf(r row) string {
	if r.err != nil {
		return r.err.Error()
	}
	an := r.an
	var notes []string
	if n := an.Result.Needed; an.Result.Verdict == impact.InsufficientData {
		notes = append(notes, neededText(n.Before, n.After))
	}
	if !an.Windows.Complete() {
		notes = append(notes, "after window still filling until "+an.Windows.AfterEnd.Format(time.RFC3339))
	}
	return strings.Join(notes, "; ")
}

// neededText says how many more points each window needs: never a guess.
func neededText(before, after int) string {
	var parts []string
	if before > 0 {
		parts = append(parts, fmt.Sprintf("%d more in the baseline", before))
	}
	if after > 0 {
		parts = append(parts, fmt.Sprintf("%d more after the change", after))
	}
	return "needs " + strings.Join(parts, " and ") + " for a verdict"
}

// impactFrames: in table format one row per event with every number of the
// analysis; in timeseries format one labelled number per event (kaizen.value).
func impactFrames(rows []row, format, value string) data.Frames {
	if format != models.FormatTable {
		return numberFrames(rows, value, func(r row) (*float64, *data.FieldConfig) {
			name := r.event.Name
			if r.an == nil {
				return nil, &data.FieldConfig{DisplayNameFromDS: name + " " + value}
			}
			res := r.an.Result
			switch value {
			case "p_value":
				if res.Test == nil {
					return nil, &data.FieldConfig{DisplayNameFromDS: name + " p-value", Unit: "none"}
				}
				return num(res.Test.P), &data.FieldConfig{DisplayNameFromDS: name + " p-value", Unit: "none"}
			case "change":
				return num(res.Change), display(name+" change", r.an.Unit, r.an.Decimals)
			case "relative_change":
				return num(res.RelativeChange), &data.FieldConfig{DisplayNameFromDS: name + " change", Unit: "percentunit"}
			}
			return verdictCode(res.Verdict), verdictConfig(name + " verdict")
		})
	}
	unit, decimals := sharedUnit(rows)
	n := len(rows)
	var (
		ids, names, owners, statuses, targets, betters, verdicts, notes, expected = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		deployed, baseFrom, afterFrom, afterTo                                    = make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
		complete, inBetter, shift, worse, met                                     = make([]*bool, n), make([]*bool, n), make([]*bool, n), make([]*bool, n), make([]*bool, n)
		beforeN, afterN, neededB, neededA                                         = make([]*int64, n), make([]*int64, n), make([]*int64, n), make([]*int64, n)
	)
	floats := map[string][]*float64{}
	floatNames := []string{"before_median", "before_mean", "after_median", "after_mean", "change", "relative_change", "u", "p_value",
		"ci95_low", "ci95_high", "before_cl", "before_ucl", "before_lcl", "after_cl", "after_ucl", "after_lcl", "verdict_code", "expected_change_pct"}
	for _, name := range floatNames {
		floats[name] = make([]*float64, n)
	}
	for i, r := range rows {
		e := r.event
		ids[i], names[i], owners[i], statuses[i], betters[i], expected[i] = e.ID, e.Name, e.Owner, e.Status, e.Better, e.ExpectedDirection
		deployed[i] = e.DeployedAt
		floats["expected_change_pct"][i] = e.ExpectedChangePct
		notes[i] = noteOf(r)
		if r.an == nil {
			verdicts[i] = StateError
			continue
		}
		an, res := r.an, r.an.Result
		targets[i] = an.Target
		baseFrom[i], afterFrom[i], afterTo[i] = timep(an.Windows.BaselineFrom), timep(an.Windows.AfterFrom), timep(an.Windows.AfterTo)
		done, better := an.Windows.Complete(), res.InBetterDirection
		complete[i], inBetter[i] = &done, &better
		beforeN[i], afterN[i] = intp(res.Before.N), intp(res.After.N)
		floats["before_median"][i], floats["before_mean"][i] = num(res.Before.Median), num(res.Before.Mean)
		floats["after_median"][i], floats["after_mean"][i] = num(res.After.Median), num(res.After.Mean)
		floats["change"][i], floats["relative_change"][i] = num(res.Change), num(res.RelativeChange)
		verdicts[i], floats["verdict_code"][i] = string(res.Verdict), verdictCode(res.Verdict)
		met[i] = hypothesisMet(an)
		if res.Verdict == impact.InsufficientData {
			neededB[i], neededA[i] = intp(res.Needed.Before), intp(res.Needed.After)
		}
		if res.Test != nil {
			floats["u"][i], floats["p_value"][i] = num(res.Test.U), num(res.Test.P)
		}
		if res.CI95 != nil {
			floats["ci95_low"][i], floats["ci95_high"][i] = num(res.CI95.Lo), num(res.CI95.Hi)
		}
		if p := res.Phases; p != nil {
			for _, l := range []struct {
				prefix string
				lim    impact.Limits
			}{{"before", p.Before}, {"after", p.After}} {
				floats[l.prefix+"_cl"][i], floats[l.prefix+"_ucl"][i], floats[l.prefix+"_lcl"][i] = num(l.lim.Center), num(l.lim.UCL), num(l.lim.LCL)
			}
			s, w := p.SustainedShift, p.ShiftedWorse
			shift[i], worse[i] = &s, &w
		}
	}
	var c cols
	c.add("event", ids, nil)
	c.add("name", names, nil)
	c.add("owner", owners, nil)
	c.add("status", statuses, nil)
	c.add("target", targets, nil)
	c.add("better", betters, nil)
	c.add("deployed_at", deployed, nil)
	c.add("baseline_from", baseFrom, nil)
	c.add("after_from", afterFrom, nil)
	c.add("after_to", afterTo, nil)
	c.add("after_complete", complete, nil)
	c.add("before_n", beforeN, nil)
	c.add("before_median", floats["before_median"], display("Median before", unit, decimals))
	c.add("before_mean", floats["before_mean"], display("Mean before", unit, decimals))
	c.add("after_n", afterN, nil)
	c.add("after_median", floats["after_median"], display("Median after", unit, decimals))
	c.add("after_mean", floats["after_mean"], display("Mean after", unit, decimals))
	c.add("change", floats["change"], display("Change (median)", unit, decimals))
	c.add("relative_change", floats["relative_change"], &data.FieldConfig{DisplayNameFromDS: "Change (%)", Unit: "percentunit"})
	c.add("in_better_direction", inBetter, nil)
	c.add("u", floats["u"], &data.FieldConfig{DisplayNameFromDS: "U (after)", Unit: "none"})
	c.add("p_value", floats["p_value"], &data.FieldConfig{DisplayNameFromDS: "p-value", Unit: "none"})
	c.add("ci95_low", floats["ci95_low"], display("95% CI low", unit, decimals))
	c.add("ci95_high", floats["ci95_high"], display("95% CI high", unit, decimals))
	for _, p := range []string{"before", "after"} {
		for _, l := range []string{"cl", "ucl", "lcl"} {
			c.add(p+"_"+l, floats[p+"_"+l], display(strings.ToUpper(l)+" "+p, unit, decimals))
		}
	}
	c.add("sustained_shift", shift, nil)
	c.add("shifted_worse", worse, nil)
	c.add("verdict", verdicts, nil)
	c.add("verdict_code", floats["verdict_code"], verdictConfig("Verdict"))
	c.add("needed_before", neededB, nil)
	c.add("needed_after", neededA, nil)
	c.add("expected_direction", expected, nil)
	c.add("expected_change_pct", floats["expected_change_pct"], &data.FieldConfig{DisplayNameFromDS: "Expected change (%)", Unit: "percent"})
	c.add("hypothesis_met", met, nil)
	c.add("note", notes, nil)
	return data.Frames{data.NewFrame(Impact, c.fields...)}
}

// numberFrames gives one labelled number per event (the numeric multi shape alert
// rules reduce per series); no events give one empty number, so rules go to NoData.
func numberFrames(rows []row, value string, pick func(row) (*float64, *data.FieldConfig)) data.Frames {
	frames := make(data.Frames, 0, len(rows))
	for _, r := range rows {
		v, config := pick(r)
		f := data.NewField(value, data.Labels{"event": r.event.ID, "owner": r.event.Owner}, []*float64{v})
		f.Config = config
		frame := data.NewFrame(value, f)
		frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		frames = append(frames, frame)
	}
	if len(frames) == 0 {
		frames = append(frames, data.NewFrame(value, data.NewField(value, nil, []*float64{})))
	}
	return frames
}

// reviewSummary reads "30d sustained · 60d eroding · 90d pending".
func reviewSummary(an *Analysis) string {
	parts := make([]string, len(an.Reviews))
	for i, r := range an.Reviews {
		parts[i] = strconv.Itoa(r.Days) + "d " + r.State
	}
	return strings.Join(parts, " · ")
}

// sustainFrames: in table format one row per event (an improvement board: the
// gain's state at the latest review due); in timeseries format one labelled
// number per event: lost (1 when the gain is lost) or state_code.
func sustainFrames(rows []row, format, value string) data.Frames {
	current := func(r row) (state string, rev *Review) {
		if r.an == nil {
			return StateError, nil
		}
		rev = r.an.Current()
		if rev == nil {
			return "no reviews", nil
		}
		return rev.State, rev
	}
	if format != models.FormatTable {
		return numberFrames(rows, value, func(r row) (*float64, *data.FieldConfig) {
			state, _ := current(r)
			if value == "state_code" {
				return stateCode(state), stateConfig(r.event.Name + " gain")
			}
			if r.an == nil {
				return nil, lostConfig(r.event.Name + " lost")
			}
			lost := 0.0
			if state == string(impact.Lost) {
				lost = 1
			}
			return &lost, lostConfig(r.event.Name + " lost")
		})
	}
	unit, decimals := sharedUnit(rows)
	n := len(rows)
	ids, names, owners, statuses, targets, verdicts, states, summaries, notes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	deployed, lastAt, nextAt := make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
	lastDays, nextDays, reviewN, worseRun := make([]*int64, n), make([]*int64, n), make([]*int64, n), make([]*int64, n)
	codes, lost, reviewMedian, baseMedian, change, relChange, pValue := make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, r := range rows {
		e := r.event
		ids[i], names[i], owners[i], statuses[i], deployed[i] = e.ID, e.Name, e.Owner, e.Status, e.DeployedAt
		state, rev := current(r)
		states[i], codes[i] = state, stateCode(state)
		notes[i] = noteOf(r)
		if r.an == nil {
			verdicts[i] = StateError
			continue
		}
		an := r.an
		targets[i], verdicts[i], summaries[i] = an.Target, string(an.Result.Verdict), reviewSummary(an)
		baseMedian[i] = num(an.Result.Before.Median)
		l := 0.0
		if state == string(impact.Lost) {
			l = 1
		}
		lost[i] = &l
		if next := an.Next(); next != nil {
			nextAt[i], nextDays[i] = timep(next.Date), intp(next.Days)
		}
		if rev == nil || rev.Sustain == nil {
			continue
		}
		lastAt[i], lastDays[i] = timep(rev.Date), intp(rev.Days)
		s := rev.Sustain
		reviewN[i], reviewMedian[i] = intp(s.Review.After.N), num(s.Review.After.Median)
		change[i], relChange[i] = num(s.Review.Change), num(s.Review.RelativeChange)
		if s.Review.Test != nil {
			pValue[i] = num(s.Review.Test.P)
		}
		if s.State != impact.SustainInsufficientData {
			worseRun[i] = intp(s.WorseRun.Length)
		} else {
			notes[i] = strings.TrimPrefix(strings.Join([]string{notes[i], fmt.Sprintf("%d-day review: %s", rev.Days,
				neededText(s.Review.Needed.Before, s.Review.Needed.After))}, "; "), "; ")
		}
	}
	var c cols
	c.add("event", ids, nil)
	c.add("name", names, nil)
	c.add("owner", owners, nil)
	c.add("status", statuses, nil)
	c.add("target", targets, nil)
	c.add("deployed_at", deployed, nil)
	c.add("verdict", verdicts, nil)
	c.add("state", states, nil)
	c.add("state_code", codes, stateConfig("Gain"))
	c.add("lost", lost, lostConfig("Lost"))
	c.add("last_review_days", lastDays, nil)
	c.add("last_review", lastAt, nil)
	c.add("next_review_days", nextDays, nil)
	c.add("next_review", nextAt, nil)
	c.add("reviews", summaries, nil)
	c.add("review_n", reviewN, nil)
	c.add("review_median", reviewMedian, display("Median at review", unit, decimals))
	c.add("baseline_median", baseMedian, display("Median before", unit, decimals))
	c.add("review_change", change, display("Change at review", unit, decimals))
	c.add("review_relative_change", relChange, &data.FieldConfig{DisplayNameFromDS: "Change at review (%)", Unit: "percentunit"})
	c.add("review_p_value", pValue, &data.FieldConfig{DisplayNameFromDS: "p-value at review", Unit: "none"})
	c.add("worse_run", worseRun, nil)
	c.add("note", notes, nil)
	return data.Frames{data.NewFrame(Sustainability, c.fields...)}
}

// reviewsFrame has one row per event and review date.
func reviewsFrame(rows []row) *data.Frame {
	unit, decimals := sharedUnit(rows)
	var (
		ids, names, owners, states, notes               []string
		days, n, baseN, worseRun                        []*int64
		dates, froms                                    []*time.Time
		codes, median, baseMedian, change, rel, pValues []*float64
	)
	for _, r := range rows {
		if r.an == nil {
			continue
		}
		for _, rev := range r.an.Reviews {
			ids, names, owners, states = append(ids, r.event.ID), append(names, r.event.Name), append(owners, r.event.Owner), append(states, rev.State)
			days, dates, froms = append(days, intp(rev.Days)), append(dates, timep(rev.Date)), append(froms, timep(rev.From))
			codes = append(codes, stateCode(rev.State))
			baseN, baseMedian = append(baseN, intp(r.an.Result.Before.N)), append(baseMedian, num(r.an.Result.Before.Median))
			if rev.Sustain == nil {
				n, median, change, rel, pValues, worseRun = append(n, nil), append(median, nil), append(change, nil), append(rel, nil), append(pValues, nil), append(worseRun, nil)
				notes = append(notes, "due "+rev.Date.Format(time.RFC3339))
				continue
			}
			s := rev.Sustain
			n, median = append(n, intp(s.Review.After.N)), append(median, num(s.Review.After.Median))
			change, rel = append(change, num(s.Review.Change)), append(rel, num(s.Review.RelativeChange))
			var p *float64
			if s.Review.Test != nil {
				p = num(s.Review.Test.P)
			}
			pValues = append(pValues, p)
			note := ""
			if s.State == impact.SustainInsufficientData {
				worseRun = append(worseRun, nil)
				note = neededText(s.Review.Needed.Before, s.Review.Needed.After)
			} else {
				worseRun = append(worseRun, intp(s.WorseRun.Length))
			}
			notes = append(notes, note)
		}
	}
	var c cols
	c.add("event", orEmpty(ids), nil)
	c.add("name", orEmpty(names), nil)
	c.add("owner", orEmpty(owners), nil)
	c.add("review_days", orEmptyInt(days), nil)
	c.add("review_date", orEmptyTime(dates), nil)
	c.add("window_from", orEmptyTime(froms), nil)
	c.add("state", orEmpty(states), nil)
	c.add("state_code", orEmptyFloat(codes), stateConfig("Gain"))
	c.add("n", orEmptyInt(n), nil)
	c.add("median", orEmptyFloat(median), display("Median at review", unit, decimals))
	c.add("baseline_n", orEmptyInt(baseN), nil)
	c.add("baseline_median", orEmptyFloat(baseMedian), display("Median before", unit, decimals))
	c.add("change", orEmptyFloat(change), display("Change", unit, decimals))
	c.add("relative_change", orEmptyFloat(rel), &data.FieldConfig{DisplayNameFromDS: "Change (%)", Unit: "percentunit"})
	c.add("p_value", orEmptyFloat(pValues), &data.FieldConfig{DisplayNameFromDS: "p-value", Unit: "none"})
	c.add("worse_run", orEmptyInt(worseRun), nil)
	c.add("note", orEmpty(notes), nil)
	return data.NewFrame(Reviews, c.fields...)
}

// Empty columns keep their type: data.NewField needs a typed, non-nil slice.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orEmptyInt(s []*int64) []*int64 {
	if s == nil {
		return []*int64{}
	}
	return s
}

func orEmptyTime(s []*time.Time) []*time.Time {
	if s == nil {
		return []*time.Time{}
	}
	return s
}

func orEmptyFloat(s []*float64) []*float64 {
	if s == nil {
		return []*float64{}
	}
	return s
}
