package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DatasourceType is the plugin type id a Kaizen Ops target names.
const DatasourceType = "kaizenops-metrics-datasource"

// Dashboard is what the suite reads from a dashboard JSON file.
type Dashboard struct {
	// Name is the file name without .json (sre-overview).
	Name  string
	Title string
	// From and To are the dashboard's default time range as Grafana writes it (now-30d, now).
	From, To  string
	Variables []Variable
	Targets   []Target
}

// Variable is one templating variable.
type Variable struct {
	Name, Type, Query string
	// Current is the saved selection; "$__all" means All.
	Current    []string
	IncludeAll bool
	// AllValue is what All stands for when set (Grafana sends it instead of every value).
	AllValue string
	Multi    bool
	// Options are the saved options of custom and constant variables.
	Options []string
}

// Target is one Kaizen Ops query of a dashboard: a panel target or an annotation query.
type Target struct {
	Dashboard string
	// Panel is the panel title, or "annotation: <name>".
	Panel string
	RefID string
	// JSON is the target as saved (template variables not yet substituted).
	JSON map[string]any
	// TimeFrom is the panel's relative time override ("30d": the last 30 days up
	// to the dashboard's end), empty when the panel uses the dashboard's range.
	TimeFrom string
}

// Name identifies a target in the table: dashboard / panel / refId.
func (t Target) Name() string { return t.Dashboard + " / " + t.Panel + " / " + t.RefID }

type rawDatasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// UnmarshalJSON takes both the object form and the legacy string form (a data source name).
func (d *rawDatasource) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		d.UID = s
		return nil
	}
	type plain rawDatasource
	return json.Unmarshal(b, (*plain)(d))
}

type rawPanel struct {
	ID         int              `json:"id"`
	Title      string           `json:"title"`
	Datasource *rawDatasource   `json:"datasource"`
	Targets    []map[string]any `json:"targets"`
	Panels     []rawPanel       `json:"panels"`
	TimeFrom   string           `json:"timeFrom"`
}

type rawDashboard struct {
	Title string `json:"title"`
	Time  struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Panels     []rawPanel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			IncludeAll bool            `json:"includeAll"`
			AllValue   string          `json:"allValue"`
			Multi      bool            `json:"multi"`
			Current    struct {
				Value json.RawMessage `json:"value"`
			} `json:"current"`
			Options []struct {
				Value string `json:"value"`
			} `json:"options"`
		} `json:"list"`
	} `json:"templating"`
	Annotations struct {
		List []struct {
			Name       string         `json:"name"`
			Enable     bool           `json:"enable"`
			Datasource *rawDatasource `json:"datasource"`
			Target     map[string]any `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

// LoadDashboards parses every *.json file in dir, in file name order.
func LoadDashboards(dir string) ([]Dashboard, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("listing dashboards in %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no dashboards (*.json) in %s", dir)
	}
	sort.Strings(files)
	out := make([]Dashboard, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading dashboard: %w", err)
		}
		d, err := ParseDashboard(strings.TrimSuffix(filepath.Base(f), ".json"), raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// ParseDashboard reads one dashboard's Kaizen Ops targets (nested rows included),
// its enabled Kaizen Ops annotation queries, its variables and its time range.
func ParseDashboard(name string, raw []byte) (Dashboard, error) {
	var rd rawDashboard
	if err := json.Unmarshal(raw, &rd); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard JSON: %w", err)
	}
	d := Dashboard{Name: name, Title: rd.Title, From: rd.Time.From, To: rd.Time.To}
	if d.From == "" {
		d.From = "now-6h" // Grafana's default when a dashboard saves none
	}
	if d.To == "" {
		d.To = "now"
	}
	for _, v := range rd.Templating.List {
		vr := Variable{Name: v.Name, Type: v.Type, IncludeAll: v.IncludeAll, AllValue: v.AllValue, Multi: v.Multi}
		vr.Query = jsonString(v.Query)
		vr.Current = stringList(v.Current.Value)
		for _, o := range v.Options {
			vr.Options = append(vr.Options, o.Value)
		}
		d.Variables = append(d.Variables, vr)
	}
	var walk func(ps []rawPanel)
	walk = func(ps []rawPanel) {
		for _, p := range ps {
			title := p.Title
			if title == "" {
				title = fmt.Sprintf("panel %d", p.ID)
			}
			for i, t := range p.Targets {
				if !isOurs(targetDatasource(t), p.Datasource) {
					continue
				}
				d.Targets = append(d.Targets, Target{Dashboard: name, Panel: title, RefID: refID(t, i), JSON: t, TimeFrom: p.TimeFrom})
			}
			walk(p.Panels)
		}
	}
	walk(rd.Panels)
	for _, a := range rd.Annotations.List {
		if !a.Enable || a.Target == nil || !isOurs(a.Datasource, nil) {
			continue
		}
		d.Targets = append(d.Targets, Target{Dashboard: name, Panel: "annotation: " + a.Name, RefID: refID(a.Target, 0), JSON: a.Target})
	}
	return d, nil
}

// isOurs says whether a target runs on Kaizen Ops: its own data source, else the panel's.
func isOurs(target, panel *rawDatasource) bool {
	ds := target
	if ds == nil || (ds.Type == "" && ds.UID == "") {
		ds = panel
	}
	if ds == nil {
		return false
	}
	return ds.Type == DatasourceType || (ds.Type == "" && ds.UID == "kaizenops")
}

func targetDatasource(t map[string]any) *rawDatasource {
	raw, ok := t["datasource"]
	if !ok || raw == nil {
		return nil
	}
	b, _ := json.Marshal(raw)
	var ds rawDatasource
	if json.Unmarshal(b, &ds) != nil {
		return nil
	}
	return &ds
}

func refID(t map[string]any, i int) string {
	if s, ok := t["refId"].(string); ok && s != "" {
		return s
	}
	return string(rune('A' + i%26))
}

func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	// Newer Grafana saves some variable queries as objects ({"query": "..."}).
	var obj struct {
		Query string `json:"query"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Query
	}
	return ""
}

func stringList(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var l []string
	if json.Unmarshal(raw, &l) == nil {
		return l
	}
	return nil
}
