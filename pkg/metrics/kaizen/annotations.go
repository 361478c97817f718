package kaizen

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// annotation is one dashboard annotation row.
type annotation struct {
	time    time.Time
	timeEnd *time.Time
	title   string
	text    string
	tags    []string
	id      string
}

// AnnotationFrames returns kaizen events as dashboard annotations: a point at each
// deployment in the range (a region over the settling period when there is one) and
// one at each review date in the range. The frame has the fields Grafana reads
// (time, timeEnd, title, text, tags, id), as pkg/metrics/annotations' frames do.
//
// With deps (the kaizen query type) the rows also say the verdict and each review's
// state; without (the annotations query type, which has no engine to run targets
// with) they say what the event is and when its reviews are due. Filters on
// dimensions kaizen events lack are ignored: a severity filter narrows incidents.
func AnnotationFrames(ctx context.Context, env query.Env, q models.Query, deps *Deps) (data.Frames, error) {
	var opts models.KaizenOptions
	if q.Kaizen != nil {
		opts = *q.Kaizen
	}
	filters := map[string][]string{}
	for k, v := range q.Filters {
		if _, ok := dimensions[k]; ok {
			filters[k] = v
		}
	}
	evs, err := loadEvents(ctx, env.Store, selection{ids: opts.Events, filters: filters, includeArchived: opts.IncludeArchived || len(opts.Events) > 0})
	if err != nil {
		return nil, err
	}
	var a *analyzer
	if deps != nil {
		settings, err := ParseSettings(opts)
		if err != nil {
			return nil, err
		}
		a = &analyzer{deps: *deps, store: env.Store, now: env.Now, settings: settings}
	}
	var rows []annotation
	var notices []data.Notice
	for _, e := range evs {
		if e.DeployedAt == nil {
			continue
		}
		deployedIn := inRange(*e.DeployedAt, env)
		var due []int
		for i, d := range e.ReviewDates {
			if inRange(d, env) {
				due = append(due, i)
			}
		}
		if !deployedIn && len(due) == 0 {
			continue
		}
		var an *Analysis
		if a != nil {
			an, err = a.Analyze(ctx, e)
			if err == nil && len(due) > 0 {
				err = a.Review(ctx, an)
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: err.Error()})
				an = nil
			}
		}
		if deployedIn {
			rows = append(rows, deploymentAnnotation(e, an))
		}
		for _, i := range due {
			rows = append(rows, reviewAnnotation(e, i, an))
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].time.Before(rows[j].time) })
	return data.Frames{annotationFrame(rows, notices)}, nil
}

func inRange(t time.Time, env query.Env) bool { return !t.Before(env.From) && t.Before(env.To) }

func deploymentAnnotation(e Event, an *Analysis) annotation {
	r := annotation{time: *e.DeployedAt, id: "kaizen:" + e.ID, title: "Kaizen deployed: " + e.Name,
		tags: cleanTags("kaizen", "deployment", e.Status, e.Owner)}
	if e.SettlingDays > 0 {
		end := e.DeployedAt.Add(days(e.SettlingDays))
		r.timeEnd = &end
	}
	lines := []string{strings.Join(nonEmpty("owner "+e.Owner, "status "+e.Status), " · ")}
	if an != nil {
		lines = append(lines, "Target: "+an.Target+" ("+e.Better+" is better)")
	}
	if e.Hypothesis != "" {
		lines = append(lines, "Hypothesis: "+e.Hypothesis)
	}
	if e.ExpectedChangePct != nil {
		lines = append(lines, "Expected: "+e.ExpectedDirection+" by "+strconv.FormatFloat(*e.ExpectedChangePct, 'g', -1, 64)+"%")
	}
	if e.SettlingDays > 0 {
		lines = append(lines, "Settling period: "+strconv.FormatFloat(e.SettlingDays, 'g', -1, 64)+" days, left out of the comparison")
	}
	if an != nil {
		lines = append(lines, verdictSentence(an))
		r.tags = append(r.tags, string(an.Result.Verdict))
	}
	r.text = strings.Join(lines, "\n")
	return r
}

func reviewAnnotation(e Event, i int, an *Analysis) annotation {
	d := e.ReviewDays[i]
	r := annotation{time: e.ReviewDates[i], id: "kaizen:" + e.ID + ":review:" + strconv.Itoa(d),
		title: "Kaizen review: " + e.Name + ", " + strconv.Itoa(d) + " days after deployment",
		tags:  cleanTags("kaizen", "review", e.Owner)}
	var lines []string
	if an != nil && i < len(an.Reviews) {
		rev := an.Reviews[i]
		r.tags = append(r.tags, rev.State)
		switch {
		case rev.Sustain == nil:
			lines = append(lines, "Due "+rev.Date.Format("2006-01-02 15:04 MST"))
		default:
			s := rev.Sustain
			line := "Gain " + rev.State
			if s.Review.After.N > 0 {
				line += ": median " + formatValue(s.Review.After.Median, an.Unit) + " vs " + formatValue(s.Review.Before.Median, an.Unit) + " before"
			}
			if s.Review.Test != nil {
				line += ", p = " + formatP(s.Review.Test.P)
			}
			lines = append(lines, line)
			if s.Review.Verdict == "insufficient-data" {
				lines = append(lines, neededText(s.Review.Needed.Before, s.Review.Needed.After))
			}
		}
	} else {
		lines = append(lines, "Is the gain held? The kaizen sustainability query answers it.")
	}
	r.text = strings.Join(lines, "\n")
	return r
}

func annotationFrame(rows []annotation, notices []data.Notice) *data.Frame {
	n := len(rows)
	times, ends := make([]time.Time, n), make([]*time.Time, n)
	titles, texts, tags, ids := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, r := range rows {
		times[i], ends[i], titles[i], texts[i], ids[i] = r.time, r.timeEnd, r.title, r.text, r.id
		tags[i] = strings.Join(r.tags, ",") // Grafana splits the tags field on commas
	}
	f := data.NewFrame("annotations",
		data.NewField("time", nil, times),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
		data.NewField("id", nil, ids),
	)
	f.SetMeta(&data.FrameMeta{Notices: notices})
	return f
}

// cleanTags keeps non-empty values, without commas.
func cleanTags(values ...string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(strings.ReplaceAll(v, ",", " ")); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// nonEmpty drops parts whose value is missing ("owner " with no owner).
func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" && !strings.HasSuffix(p, " ") {
			out = append(out, p)
		}
	}
	return out
}
