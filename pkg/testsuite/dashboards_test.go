package testsuite

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
)

// The shipped dashboards (docs/dashboards.md): names others rely on (alert rules
// link to them, the harness renders the wall display).
var shippedDashboards = []string{
	"adoption-kpis.json", "dora.json", "kaizen-board.json", "model-health.json",
	"ops-wall.json", "sre-overview.json", "value-stream.json",
}

// corePanelTypes are the Grafana core panels the dashboards may use; our own come
// from src/**/plugin.json.
var corePanelTypes = []string{"stat", "timeseries", "table", "barchart", "bargauge", "state-timeline", "text", "row"}

const (
	repoRoot         = "../.."
	ourDatasource    = "kaizenops-metrics-datasource"
	dashboardsDir    = repoRoot + "/dashboards"
	provisionedDSDir = repoRoot + "/provisioning/datasources"
)

// dashboard is the part of Grafana's dashboard JSON the checks read.
type dashboard struct {
	file        string
	UID         string                      `json:"uid"`
	Title       string                      `json:"title"`
	Schema      int                         `json:"schemaVersion"`
	Tags        []string                    `json:"tags"`
	Refresh     string                      `json:"refresh"`
	Time        struct{ From, To string }   `json:"time"`
	Links       []dashLink                  `json:"links"`
	Panels      []panel                     `json:"panels"`
	Templating  struct{ List []variable }   `json:"templating"`
	Annotations struct{ List []annotation } `json:"annotations"`
}

type dashLink struct {
	Type string   `json:"type"`
	Tags []string `json:"tags"`
}

type panel struct {
	ID         int                      `json:"id"`
	Type       string                   `json:"type"`
	Title      string                   `json:"title"`
	Datasource *dsRef                   `json:"datasource"`
	Targets    []json.RawMessage        `json:"targets"`
	TimeFrom   string                   `json:"timeFrom"`
	Panels     []panel                  `json:"panels"` // a collapsed row's panels
	GridPos    struct{ X, Y, W, H int } `json:"gridPos"`
}

type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type variable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Datasource *dsRef          `json:"datasource"`
	Query      json.RawMessage `json:"query"`
	IncludeAll bool            `json:"includeAll"`
	AllValue   *string         `json:"allValue"`
	Current    struct {
		Value json.RawMessage `json:"value"`
	} `json:"current"`
}

type annotation struct {
	Name       string          `json:"name"`
	BuiltIn    int             `json:"builtIn"`
	Datasource *dsRef          `json:"datasource"`
	Target     json.RawMessage `json:"target"`
}

// allPanels flattens rows.
func (d dashboard) allPanels() []panel {
	var out []panel
	for _, p := range d.Panels {
		out = append(out, p)
		out = append(out, p.Panels...)
	}
	return out
}

func loadDashboards(t *testing.T) []dashboard {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dashboardsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []dashboard
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		dec := json.NewDecoder(bytes.NewReader(raw))
		if err := dec.Decode(&d); err != nil {
			t.Errorf("%s: not valid dashboard JSON: %v", filepath.Base(f), err)
			continue
		}
		d.file = filepath.Base(f)
		out = append(out, d)
	}
	return out
}

// ourPanelTypes reads the panel plugin ids from src/**/plugin.json, so the check
// does not need the frontend built.
func ourPluginIDs(t *testing.T) (panels []string, datasources []string) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(repoRoot, "src"), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() != "plugin.json" {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var meta struct{ ID, Type string }
		if err := json.Unmarshal(raw, &meta); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		switch meta.Type {
		case "panel":
			panels = append(panels, meta.ID)
		case "datasource":
			datasources = append(datasources, meta.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return panels, datasources
}

// provisionedUIDs reads the data source uids (and types) of provisioning/datasources/*.yaml:
// the instances every install has (the optional profiles' files are not among them).
// The YAML is read line by line for `uid:` and `type:` of each list item, enough for
// these flat files; whether they parse as YAML is check:docker's job (js-yaml).
func provisionedUIDs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(provisionedDSDir, "*.y*ml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no provisioning/datasources/*.yaml (%v)", err)
	}
	out := map[string]string{}
	item := regexp.MustCompile(`^\s*-\s+`)
	kv := regexp.MustCompile(`^\s*(?:-\s+)?(uid|type):\s*["']?([^"'#\s]+)`)
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		var uid, typ string
		flush := func() {
			if uid != "" {
				out[uid] = typ
			}
			uid, typ = "", ""
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if item.MatchString(line) {
				flush()
			}
			if m := kv.FindStringSubmatch(line); m != nil {
				if m[1] == "uid" {
					uid = m[2]
				} else if typ == "" {
					typ = m[2]
				}
			}
		}
		flush()
		fh.Close()
	}
	return out
}

// TestDashboardsStatic checks what needs no data: every dashboard parses, has a
// uid, the kaizenops tag and a link to the others by that tag; uses only panel
// types the build has; references only provisioned data sources; and every Kaizen
// Ops target parses with the backend's parser and names a registered query type.
func TestDashboardsStatic(t *testing.T) {
	dashboards := loadDashboards(t)
	var names []string
	for _, d := range dashboards {
		names = append(names, d.file)
	}
	for _, want := range shippedDashboards {
		if !slices.Contains(names, want) {
			t.Errorf("dashboards/%s is missing (its name is fixed: alert rules and the harness rely on it)", want)
		}
	}
	ourPanels, ourDS := ourPluginIDs(t)
	if !slices.Contains(ourDS, ourDatasource) {
		t.Fatalf("src/**/plugin.json has no data source %s", ourDatasource)
	}
	panelTypes := append(slices.Clone(corePanelTypes), ourPanels...)
	uids := provisionedUIDs(t)
	types := metrics.Engine().Types()
	seenUID := map[string]string{}

	for _, d := range dashboards {
		where := d.file
		if d.UID == "" || d.Title == "" {
			t.Errorf("%s: uid and title are required", where)
		}
		if other, dup := seenUID[d.UID]; dup {
			t.Errorf("%s: uid %q is also %s's", where, d.UID, other)
		}
		seenUID[d.UID] = d.file
		if d.Schema < 39 {
			t.Errorf("%s: schemaVersion %d; Grafana 12 writes 41", where, d.Schema)
		}
		if !slices.Contains(d.Tags, "kaizenops") {
			t.Errorf("%s: no kaizenops tag (the dashboards link to each other by it)", where)
		}
		linked := slices.ContainsFunc(d.Links, func(l dashLink) bool { return l.Type == "dashboards" && slices.Contains(l.Tags, "kaizenops") })
		if !linked {
			t.Errorf("%s: no dashboards link by the kaizenops tag", where)
		}
		if _, err := relativeTime(d.Time.From, time.Now()); err != nil {
			t.Errorf("%s: time.from: %v", where, err)
		}
		checkRef := func(what string, ref *dsRef) {
			if ref == nil || ref.Type == "" && ref.UID == "" {
				return
			}
			if ref.Type == "grafana" || ref.Type == "datasource" || strings.HasPrefix(ref.UID, "-- ") {
				return // Grafana's built-in annotations and mixed/dashboard sources
			}
			typ, ok := uids[ref.UID]
			if !ok {
				t.Errorf("%s: %s: data source uid %q is not provisioned in provisioning/datasources (have %v)", where, what, ref.UID, keys(uids))
			} else if ref.Type != "" && typ != ref.Type {
				t.Errorf("%s: %s: data source %q has type %q, provisioned as %q", where, what, ref.UID, ref.Type, typ)
			}
		}
		for _, v := range d.Templating.List {
			checkRef("variable $"+v.Name, v.Datasource)
			// All as "*" is no filter; without it Grafana sends every value as an IN
			// list, which leaves out events without the dimension and is slow at scale.
			if v.IncludeAll && isOurs(v.Datasource, nil) && (v.AllValue == nil || *v.AllValue != models.AnyValue) {
				t.Errorf("%s: variable $%s includes All but its allValue is not %q", where, v.Name, models.AnyValue)
			}
		}
		for _, a := range d.Annotations.List {
			checkRef("annotation "+a.Name, a.Datasource)
			if a.BuiltIn == 0 && len(a.Target) > 0 {
				checkTarget(t, fmt.Sprintf("%s: annotation %q", where, a.Name), a.Target, types)
			}
		}
		checkLayout(t, d)
		for _, p := range d.allPanels() {
			what := fmt.Sprintf("panel %q", p.Title)
			if !slices.Contains(panelTypes, p.Type) {
				t.Errorf("%s: %s: panel type %q is neither ours (%v) nor a core panel the dashboards use (%v)", where, what, p.Type, ourPanels, corePanelTypes)
			}
			if p.Type != "row" && p.Type != "text" && p.Title == "" {
				t.Errorf("%s: panel %d has no title", where, p.ID)
			}
			// A title that names its window ("last 7 days") must have that window as its
			// time override, or it silently reads the dashboard's range.
			if m := lastDays.FindStringSubmatch(p.Title); m != nil && p.TimeFrom != m[1]+"d" {
				t.Errorf("%s: %s says last %s days but its timeFrom is %q", where, what, m[1], p.TimeFrom)
			}
			checkRef(what, p.Datasource)
			for _, raw := range p.Targets {
				var ref struct {
					RefID      string `json:"refId"`
					Datasource *dsRef `json:"datasource"`
				}
				if err := json.Unmarshal(raw, &ref); err != nil {
					t.Errorf("%s: %s: target: %v", where, what, err)
					continue
				}
				checkRef(what+" refId "+ref.RefID, ref.Datasource)
				if isOurs(p.Datasource, ref.Datasource) {
					checkTarget(t, fmt.Sprintf("%s: %s refId %s", where, what, ref.RefID), raw, types)
				}
			}
		}
	}
}

// wallRows is the height of one screen in grid rows: 1080 CSS pixels (a 4K screen at
// 200%) in kiosk mode, at Grafana's 30 px rows and 8 px margins.
const wallRows = 27

// wallPanelTypes are the panels whose figures are all written on the screen; a time
// series or bar chart shows its values only on hover.
var wallPanelTypes = []string{"stat", "bargauge", "text", "kaizenops-slabreach-panel", "kaizenops-controlchart-panel"}

// checkLayout: panels do not overlap and stay inside the 24 columns; the wall
// display refreshes every 30 s, fits one screen and has nothing only a hover reveals.
func checkLayout(t *testing.T, d dashboard) {
	t.Helper()
	ps := d.Panels
	for i, a := range ps {
		g := a.GridPos
		if g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
			t.Errorf("%s: panel %q: gridPos %+v is outside the 24 columns", d.file, a.Title, g)
		}
		for _, b := range ps[i+1:] {
			h := b.GridPos
			if g.X < h.X+h.W && h.X < g.X+g.W && g.Y < h.Y+h.H && h.Y < g.Y+g.H {
				t.Errorf("%s: panels %q and %q overlap (%+v, %+v)", d.file, a.Title, b.Title, g, h)
			}
		}
	}
	if d.file != "ops-wall.json" {
		return
	}
	if d.Refresh != "30s" {
		t.Errorf("%s: refresh %q, want 30s", d.file, d.Refresh)
	}
	for _, p := range d.allPanels() {
		if p.GridPos.Y+p.GridPos.H > wallRows {
			t.Errorf("%s: panel %q ends at row %d: the wall is one screen of %d rows", d.file, p.Title, p.GridPos.Y+p.GridPos.H, wallRows)
		}
		if !slices.Contains(wallPanelTypes, p.Type) {
			t.Errorf("%s: panel %q is a %s, which shows its values only on hover; use one of %v", d.file, p.Title, p.Type, wallPanelTypes)
		}
	}
}

// checkTarget parses a target as the backend does, with variables replaced by a
// placeholder value (their syntax is the frontend's business).
func checkTarget(t *testing.T, where string, raw json.RawMessage, types []string) {
	t.Helper()
	sub, err := substituteVariables(raw, func(string) []string { return []string{"x"} })
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	q, err := models.ParseQuery(sub)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	if !slices.Contains(types, q.QueryType) {
		t.Errorf("%s: queryType %q is not registered (have %v)", where, q.QueryType, types)
	}
}

func isOurs(panelDS, targetDS *dsRef) bool {
	ref := targetDS
	if ref == nil {
		ref = panelDS
	}
	return ref != nil && (ref.Type == ourDatasource || ref.UID == "kaizenops")
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var lastDays = regexp.MustCompile(`(?i)\blast (\d+) days?\b`)

var varRef = regexp.MustCompile(`^\$(\w+)$|^\$\{(\w+)(?::\w+)?\}$|^\[\[(\w+)\]\]$`)

// substituteVariables does what the data source's applyTemplateVariables does
// (src/datasource/templating.ts): a filter value that is a variable becomes the
// variable's values, at any depth (an spc source's filters too). A variable used
// anywhere else is an error: the frontend would send it as is.
func substituteVariables(raw json.RawMessage, values func(name string) []string) ([]byte, error) {
	var node any
	if err := json.Unmarshal(raw, &node); err != nil {
		return nil, fmt.Errorf("target JSON: %w", err)
	}
	var walk func(n any) (any, error)
	walk = func(n any) (any, error) {
		switch v := n.(type) {
		case map[string]any:
			for k, child := range v {
				if k == "datasource" {
					continue
				}
				if filters, ok := child.(map[string]any); ok && k == "filters" {
					if err := expandFilters(filters, values); err != nil {
						return nil, err
					}
					continue
				}
				out, err := walk(child)
				if err != nil {
					return nil, err
				}
				v[k] = out
			}
		case []any:
			for i, child := range v {
				out, err := walk(child)
				if err != nil {
					return nil, err
				}
				v[i] = out
			}
		case string:
			if varRef.MatchString(v) || strings.Contains(v, "$") && !strings.Contains(v, "${__") {
				return nil, fmt.Errorf("%q: variables expand only in filters", v)
			}
		}
		return n, nil
	}
	out, err := walk(node)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// expandFilters replaces each filter value that is a variable by the variable's values.
func expandFilters(filters map[string]any, values func(name string) []string) error {
	for dim, list := range filters {
		items, ok := list.([]any)
		if !ok {
			return fmt.Errorf("filters.%s: not a list of values", dim)
		}
		var expanded []any
		for _, item := range items {
			s, _ := item.(string)
			m := varRef.FindStringSubmatch(s)
			if m == nil {
				expanded = append(expanded, item)
				continue
			}
			name := m[1] + m[2] + m[3]
			vals := values(name)
			if len(vals) == 0 {
				return fmt.Errorf("filters.%s: variable $%s has no value", dim, name)
			}
			for _, val := range vals {
				expanded = append(expanded, val)
			}
		}
		filters[dim] = expanded
	}
	return nil
}

var relTime = regexp.MustCompile(`^now(?:-(\d+)([smhdwMy]))?$`)

// relativeTime reads Grafana's now-Nu ranges (the dashboards' and panels' time).
func relativeTime(s string, now time.Time) (time.Time, error) {
	m := relTime.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("%q: use now or now-<n><unit>", s)
	}
	if m[1] == "" {
		return now, nil
	}
	n, _ := strconv.Atoi(m[1])
	switch m[2] {
	case "s":
		return now.Add(-time.Duration(n) * time.Second), nil
	case "m":
		return now.Add(-time.Duration(n) * time.Minute), nil
	case "h":
		return now.Add(-time.Duration(n) * time.Hour), nil
	case "d":
		return now.AddDate(0, 0, -n), nil
	case "w":
		return now.AddDate(0, 0, -7*n), nil
	case "M":
		return now.AddDate(0, -n, 0), nil
	}
	return now.AddDate(-n, 0, 0), nil
}

// variableValues lists what a query variable offers, through the executable's
// resource API as the data source's metricFindQuery does (values(type, dim)).
func variableValues(t *testing.T, p *pluginProcess, v variable) ([]string, error) {
	var q string
	if err := json.Unmarshal(v.Query, &q); err != nil {
		var obj struct{ Query string }
		if err := json.Unmarshal(v.Query, &obj); err != nil {
			return nil, fmt.Errorf("variable query %s: %v", v.Query, err)
		}
		q = obj.Query
	}
	path := valuesPath(q)
	status, body := p.callResource(t, "Viewer", "GET", path, "", nil, nil)
	if status != 200 {
		return nil, fmt.Errorf("variable query %q (GET %s): %d %s", q, path, status, body)
	}
	var vals []string
	if err := json.Unmarshal(body, &vals); err != nil {
		return nil, fmt.Errorf("variable query %q: %v (%s)", q, err, body)
	}
	return vals, nil
}

var (
	valuesTwo = regexp.MustCompile(`^values\(\s*([a-z_]+)\s*,\s*([a-z_.]+)\s*\)$`)
	valuesOne = regexp.MustCompile(`^values\(\s*([a-z_]+)\s*\)$`)
)

// valuesPath is parseVariableQuery and valuesPath of src/datasource/datasource.ts.
func valuesPath(query string) string {
	q := strings.TrimSpace(query)
	if m := valuesTwo.FindStringSubmatch(q); m != nil {
		return "values/" + url.PathEscape(m[1]) + "/" + url.PathEscape(m[2])
	}
	if m := valuesOne.FindStringSubmatch(q); m != nil {
		q = m[1]
	}
	return "values/" + url.PathEscape(q)
}

// chosenValues is what the check substitutes for a variable: what Grafana does when
// the dashboard opens. Its saved current value, which must be one the data has;
// "All" ($__all), or no saved value on an All variable, is the variable's allValue,
// which Grafana sends instead of the values.
func chosenValues(v variable, listed []string) ([]string, error) {
	var saved []string
	var one string
	if json.Unmarshal(v.Current.Value, &one) == nil && one != "" {
		saved = []string{one}
	} else if json.Unmarshal(v.Current.Value, &saved) != nil {
		saved = nil
	}
	if len(saved) == 0 || slices.Contains(saved, "$__all") {
		if len(saved) == 0 && !v.IncludeAll {
			return listed[:1], nil
		}
		if v.AllValue != nil && *v.AllValue != "" {
			return []string{*v.AllValue}, nil
		}
		return listed, nil
	}
	for _, s := range saved {
		if !slices.Contains(listed, s) {
			return nil, fmt.Errorf("the saved value %q is not among the values the demo data has (%v)", s, listed)
		}
	}
	return saved, nil
}

// TestDashboardQueries runs every Kaizen Ops query of every dashboard through the
// real executable on the demo data set, over the dashboard's default time range
// (or the panel's own), with each variable as the dashboard opens (its saved value,
// or every value the demo has for "All"): each must return no error and a frame
// with at least one value.
func TestDashboardQueries(t *testing.T) {
	p, _ := startDemoPlugin(t)
	now := time.Now().UTC()
	ctx := context.Background()
	for _, d := range loadDashboards(t) {
		t.Run(strings.TrimSuffix(d.file, ".json"), func(t *testing.T) {
			chosen := map[string][]string{}
			for _, v := range d.Templating.List {
				if v.Type != "query" {
					continue
				}
				listed, err := variableValues(t, p, v)
				if err != nil {
					t.Errorf("%s: variable $%s: %v", d.file, v.Name, err)
					continue
				}
				if len(listed) == 0 {
					t.Errorf("%s: variable $%s lists no values on the demo data", d.file, v.Name)
					continue
				}
				vals, err := chosenValues(v, listed)
				if err != nil {
					t.Errorf("%s: variable $%s: %v", d.file, v.Name, err)
					continue
				}
				chosen[v.Name] = vals
			}
			lookup := func(name string) []string { return chosen[name] }
			from, err := relativeTime(d.Time.From, now)
			if err != nil {
				t.Fatalf("%s: time.from: %v", d.file, err)
			}
			run := func(where string, raw json.RawMessage, from time.Time) {
				sub, err := substituteVariables(raw, lookup)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					return
				}
				frames, err := p.grafanaQuery(ctx, sub, from, now, autoInterval(from, now), 1000)
				if err != nil {
					t.Errorf("%s: %v\n  query %s", where, err, sub)
					return
				}
				if !hasValue(frames) {
					t.Errorf("%s: no values on the demo data (%d frames)\n  query %s", where, len(frames), sub)
				}
			}
			for _, a := range d.Annotations.List {
				if a.BuiltIn == 0 && len(a.Target) > 0 && isOurs(a.Datasource, nil) {
					run(fmt.Sprintf("%s: annotation %q", d.file, a.Name), a.Target, from)
				}
			}
			for _, pn := range d.allPanels() {
				pfrom := from
				if pn.TimeFrom != "" {
					if pfrom, err = relativeTime("now-"+pn.TimeFrom, now); err != nil {
						t.Errorf("%s: panel %q: timeFrom: %v", d.file, pn.Title, err)
						continue
					}
				}
				for _, raw := range pn.Targets {
					var ref struct {
						RefID      string `json:"refId"`
						Datasource *dsRef `json:"datasource"`
					}
					if json.Unmarshal(raw, &ref) != nil || !isOurs(pn.Datasource, ref.Datasource) {
						continue
					}
					run(fmt.Sprintf("%s: panel %q refId %s", d.file, pn.Title, ref.RefID), raw, pfrom)
				}
			}
		})
	}
}

// autoInterval is Grafana's interval for about 1000 points over the range, rounded as
// its interval calculator does to a whole minute at least.
func autoInterval(from, to time.Time) time.Duration {
	iv := to.Sub(from) / 1000
	return max(time.Minute, iv.Round(time.Minute))
}

// hasValue says whether any frame holds a non-null value outside its time fields.
func hasValue(frames data.Frames) bool {
	for _, f := range frames {
		for _, field := range f.Fields {
			if field.Type().Time() {
				continue
			}
			for i := 0; i < field.Len(); i++ {
				if _, ok := field.ConcreteAt(i); ok {
					return true
				}
			}
		}
	}
	return false
}
