package testsuite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
)

// The provisioned alerting files (docs/alerting.md) and the documentation their
// runbook_url annotations point into, relative to this package.
const (
	alertingDir  = "../../provisioning/alerting"
	alertingDocs = "../../docs/alerting.md"
	kaizenDSUID  = "kaizenops"
	exprDSUID    = "__expr__"
)

// The types below mirror Grafana's alerting file provisioning format, apiVersion 1
// (pkg/services/provisioning/alerting in Grafana 12: AlertingFileV1,
// AlertRuleGroupV1, AlertRuleV1, QueryV1, ContactPointV1, ReceiverV1,
// NotificiationPolicyV1 with the route of Alertmanager's definition.Route). Files are
// decoded into them with unknown fields refused, so a misspelt key fails here instead
// of being ignored by Grafana. Scalars are typed as Grafana reads them after
// environment interpolation (strings, except orgId and relativeTimeRange).
type provFile struct {
	APIVersion          int                `json:"apiVersion"`
	Groups              []provGroup        `json:"groups"`
	DeleteRules         []json.RawMessage  `json:"deleteRules"`
	ContactPoints       []provContactPoint `json:"contactPoints"`
	DeleteContactPoints []json.RawMessage  `json:"deleteContactPoints"`
	Policies            []provPolicy       `json:"policies"`
	ResetPolicies       []int64            `json:"resetPolicies"`
}

type provGroup struct {
	OrgID    int64      `json:"orgId"`
	Name     string     `json:"name"`
	Folder   string     `json:"folder"`
	Interval string     `json:"interval"`
	Rules    []provRule `json:"rules"`
}

type provRule struct {
	UID                         string            `json:"uid"`
	Title                       string            `json:"title"`
	Condition                   string            `json:"condition"`
	Data                        []provQuery       `json:"data"`
	DashboardUID                string            `json:"dashboardUid"`
	PanelID                     int64             `json:"panelId"`
	NoDataState                 string            `json:"noDataState"`
	ExecErrState                string            `json:"execErrState"`
	For                         string            `json:"for"`
	KeepFiringFor               string            `json:"keepFiringFor"`
	MissingSeriesEvalsToResolve int64             `json:"missing_series_evals_to_resolve"`
	Annotations                 map[string]string `json:"annotations"`
	Labels                      map[string]string `json:"labels"`
	IsPaused                    bool              `json:"isPaused"`
	NotificationSettings        json.RawMessage   `json:"notification_settings"`
}

type provQuery struct {
	RefID             string `json:"refId"`
	QueryType         string `json:"queryType"`
	RelativeTimeRange struct {
		From int64 `json:"from"` // seconds before now
		To   int64 `json:"to"`
	} `json:"relativeTimeRange"`
	DatasourceUID string          `json:"datasourceUid"`
	Model         json.RawMessage `json:"model"`
}

// exprModel is the model of a server-side expression (datasourceUid __expr__).
type exprModel struct {
	RefID      string `json:"refId"`
	Type       string `json:"type"`
	Expression string `json:"expression"`
	Reducer    string `json:"reducer"`
	Settings   *struct {
		Mode             string   `json:"mode"`
		ReplaceWithValue *float64 `json:"replaceWithValue"`
	} `json:"settings"`
	Conditions []struct {
		Evaluator struct {
			Type   string    `json:"type"`
			Params []float64 `json:"params"`
		} `json:"evaluator"`
	} `json:"conditions"`
	Datasource struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	} `json:"datasource"`
	IntervalMs    int64 `json:"intervalMs"`
	MaxDataPoints int64 `json:"maxDataPoints"`
}

type provContactPoint struct {
	OrgID     int64          `json:"orgId"`
	Name      string         `json:"name"`
	Receivers []provReceiver `json:"receivers"`
}

type provReceiver struct {
	UID                   string         `json:"uid"`
	Type                  string         `json:"type"`
	Settings              map[string]any `json:"settings"`
	DisableResolveMessage bool           `json:"disableResolveMessage"`
}

// provPolicy is a notification policy tree: orgId beside the root route's fields.
type provPolicy struct {
	OrgID int64 `json:"orgId"`
	provRoute
}

type provRoute struct {
	Receiver            string      `json:"receiver"`
	GroupBy             []string    `json:"group_by"`
	Matchers            []string    `json:"matchers"`
	ObjectMatchers      [][3]string `json:"object_matchers"`
	Continue            bool        `json:"continue"`
	GroupWait           string      `json:"group_wait"`
	GroupInterval       string      `json:"group_interval"`
	RepeatInterval      string      `json:"repeat_interval"`
	MuteTimeIntervals   []string    `json:"mute_time_intervals"`
	ActiveTimeIntervals []string    `json:"active_time_intervals"`
	Routes              []provRoute `json:"routes"`
}

// yamlToJSON converts a YAML file to JSON with js-yaml (a devDependency, as
// scripts/check-docker.mjs uses), else python3's yaml. Go has no YAML parser among
// the module's dependencies.
func yamlToJSON(path string) ([]byte, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	var errs []error
	if node, err := exec.LookPath("node"); err == nil {
		cmd := exec.Command(node, "-e", `const y = require('js-yaml'); const fs = require('fs');
process.stdout.write(JSON.stringify(y.load(fs.readFileSync(process.argv[1], 'utf8'))));`, abs)
		cmd.Dir = "../.." // require resolves from the repository's node_modules
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err == nil {
			return out, nil
		}
		if strings.Contains(stderr.String(), "YAMLException") {
			return nil, fmt.Errorf("%s: %s", path, firstLine(stderr.String(), "YAMLException"))
		}
		errs = append(errs, fmt.Errorf("node js-yaml: %v: %s", err, strings.TrimSpace(stderr.String())))
	}
	if py, err := exec.LookPath("python3"); err == nil {
		cmd := exec.Command(py, "-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", abs)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err == nil {
			return out, nil
		}
		errs = append(errs, fmt.Errorf("python3 yaml: %v: %s", err, strings.TrimSpace(stderr.String())))
	}
	return nil, fmt.Errorf("no YAML parser (node with js-yaml after npm ci, or python3 with PyYAML): %w", errors.Join(errs...))
}

func firstLine(s, containing string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, containing) {
			return strings.TrimSpace(l)
		}
	}
	return strings.TrimSpace(s)
}

// yaml11Ambiguous finds plain scalars that YAML 1.1 (Grafana's Go YAML parser) reads
// as booleans while js-yaml (YAML 1.2) reads them as strings.
var yaml11Ambiguous = regexp.MustCompile(`(?i)(?:^\s*|:\s+|-\s+|[\[,{]\s*)(y|n|yes|no|on|off)\s*(?:$|[,\]}])`)

// decodeAlertingFile reads one provisioning file into the mirror types, refusing
// unknown fields.
func decodeAlertingFile(path string) (provFile, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return provFile{}, err
	}
	for i, line := range strings.Split(string(raw), "\n") {
		code, _, _ := strings.Cut(line, "#")
		if m := yaml11Ambiguous.FindStringSubmatch(code); m != nil && !strings.Contains(code, "'") && !strings.Contains(code, `"`) {
			return provFile{}, fmt.Errorf("%s:%d: unquoted %q is a boolean to Grafana's YAML 1.1 parser; quote it", path, i+1, m[1])
		}
	}
	js, err := yamlToJSON(path)
	if err != nil {
		return provFile{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var f provFile
	if err := dec.Decode(&f); err != nil {
		return provFile{}, fmt.Errorf("%s: not Grafana's alerting provisioning shape: %w", path, err)
	}
	return f, nil
}

// alertingSet is every provisioning file of the directory, merged as Grafana merges them.
type alertingSet struct {
	rules    []placedRule
	contacts []provContactPoint
	policies []provPolicy
}

type placedRule struct {
	file  string
	group provGroup
	rule  provRule
}

func loadAlertingSet(t *testing.T) alertingSet {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(alertingDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no files in %s", alertingDir)
	}
	var set alertingSet
	for _, p := range paths {
		// Grafana refuses the whole directory over one file of another kind.
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" && ext != ".json" {
			t.Fatalf("%s: Grafana accepts only .yaml, .yml and .json files in provisioning/alerting", p)
		}
		f, err := decodeAlertingFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if f.APIVersion != 1 {
			t.Errorf("%s: apiVersion %d, want 1", p, f.APIVersion)
		}
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				set.rules = append(set.rules, placedRule{file: filepath.Base(p), group: g, rule: r})
			}
		}
		set.contacts = append(set.contacts, f.ContactPoints...)
		set.policies = append(set.policies, f.Policies...)
	}
	return set
}

// kaizenQuery is the rule's Kaizen Ops query (the one data source query it has).
func (r placedRule) kaizenQuery() (provQuery, error) {
	var found []provQuery
	for _, q := range r.rule.Data {
		if q.DatasourceUID == kaizenDSUID {
			found = append(found, q)
		}
	}
	if len(found) != 1 {
		return provQuery{}, fmt.Errorf("rule %s: %d queries on data source %s, want 1", r.rule.UID, len(found), kaizenDSUID)
	}
	return found[0], nil
}

func (r placedRule) expressions() (map[string]exprModel, error) {
	out := map[string]exprModel{}
	for _, q := range r.rule.Data {
		if q.DatasourceUID != exprDSUID {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(q.Model))
		dec.DisallowUnknownFields()
		var m exprModel
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("rule %s, expression %s: %w", r.rule.UID, q.RefID, err)
		}
		out[q.RefID] = m
	}
	return out, nil
}

var (
	ruleUIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)
	noDataStates   = []string{"NoData", "Alerting", "OK", "KeepLast"}
	execErrStates  = []string{"Error", "Alerting", "OK", "KeepLast"}
	reducers       = []string{"last", "mean", "min", "max", "sum", "count"}
	// Threshold evaluators and how many parameters each takes.
	evaluators = map[string]int{"gt": 1, "lt": 1, "gte": 1, "lte": 1, "eq": 1, "ne": 1, "within_range": 2, "outside_range": 2}
	// Grafana's template functions the annotations may call (besides text/template's).
	templateFuncs = template.FuncMap{
		"humanize":           func(v float64) string { return fmt.Sprintf("%.4g", v) },
		"humanizePercentage": func(v float64) string { return fmt.Sprintf("%.4g%%", v*100) },
		"humanizeDuration":   func(v float64) string { return (time.Duration(v) * time.Second).String() },
		"toUpper":            strings.ToUpper,
		"toLower":            strings.ToLower,
		"title":              strings.ToTitle,
	}
)

// TestAlertingProvisioningShape checks the provisioned files the way Grafana 12.4
// reads them, without a Grafana: shape, required fields, references between rules,
// expressions, contact points and the routing tree, and the runbook anchors.
func TestAlertingProvisioningShape(t *testing.T) {
	set := loadAlertingSet(t)
	if len(set.rules) == 0 {
		t.Fatal("no alert rules provisioned")
	}
	anchors := markdownAnchors(t, alertingDocs)
	uids := map[string]bool{}
	titles := map[string]bool{}
	for _, pr := range set.rules {
		g, r := pr.group, pr.rule
		where := fmt.Sprintf("%s, group %q, rule %q", pr.file, g.Name, r.UID)
		if strings.TrimSpace(g.Name) == "" || strings.TrimSpace(g.Folder) == "" {
			t.Errorf("%s: a group needs a name and a folder", where)
		}
		// Grafana's scheduler ticks every 10 s: a group interval is a positive multiple.
		if iv, err := time.ParseDuration(g.Interval); err != nil || iv <= 0 || iv%(10*time.Second) != 0 {
			t.Errorf("%s: interval %q is not a positive multiple of 10s", where, g.Interval)
		}
		if !ruleUIDPattern.MatchString(r.UID) || uids[r.UID] {
			t.Errorf("%s: uid must be unique, 1 to 40 of [a-zA-Z0-9_-]", where)
		}
		uids[r.UID] = true
		if key := g.Folder + "/" + r.Title; r.Title == "" || titles[key] {
			t.Errorf("%s: title %q must be set and unique in its folder", where, r.Title)
		} else {
			titles[key] = true
		}
		if !slices.Contains(noDataStates, r.NoDataState) || !slices.Contains(execErrStates, r.ExecErrState) {
			t.Errorf("%s: noDataState %q / execErrState %q", where, r.NoDataState, r.ExecErrState)
		}
		if _, err := time.ParseDuration(r.For); err != nil {
			t.Errorf("%s: for %q: %v", where, r.For, err)
		}
		if sev := r.Labels["severity"]; sev != "critical" && sev != "warning" {
			t.Errorf("%s: label severity %q, want critical or warning", where, sev)
		}
		if r.Labels["team"] == "" {
			t.Errorf("%s: no team label", where)
		}
		for _, k := range []string{"summary", "description", "runbook_url"} {
			if strings.TrimSpace(r.Annotations[k]) == "" {
				t.Errorf("%s: no %s annotation", where, k)
			}
		}
		if u, err := url.Parse(r.Annotations["runbook_url"]); err != nil || !strings.HasSuffix(u.Path, "docs/alerting.md") || !anchors[u.Fragment] {
			t.Errorf("%s: runbook_url %q does not point at a section of docs/alerting.md", where, r.Annotations["runbook_url"])
		}
		checkRuleData(t, where, pr)
		checkRouting(t, where, set, r.Labels)
	}
	checkContactPoints(t, set)
}

func checkRuleData(t *testing.T, where string, pr placedRule) {
	t.Helper()
	r := pr.rule
	refs := map[string]bool{}
	for _, q := range r.Data {
		if q.RefID == "" || refs[q.RefID] {
			t.Errorf("%s: refId %q empty or repeated", where, q.RefID)
		}
		refs[q.RefID] = true
		if q.DatasourceUID != kaizenDSUID && q.DatasourceUID != exprDSUID {
			t.Errorf("%s, %s: data source %q", where, q.RefID, q.DatasourceUID)
		}
	}
	if !refs[r.Condition] {
		t.Errorf("%s: condition %q is not one of the refIds %v", where, r.Condition, slices.Sorted(mapsKeys(refs)))
	}
	kq, err := pr.kaizenQuery()
	if err != nil {
		t.Error(err)
		return
	}
	if kq.RelativeTimeRange.From <= kq.RelativeTimeRange.To {
		t.Errorf("%s, %s: relativeTimeRange from %d must be further back than to %d", where, kq.RefID, kq.RelativeTimeRange.From, kq.RelativeTimeRange.To)
	}
	var model struct {
		RefID      string `json:"refId"`
		QueryType  string `json:"queryType"`
		Datasource struct {
			Type string `json:"type"`
			UID  string `json:"uid"`
		} `json:"datasource"`
	}
	if err := json.Unmarshal(kq.Model, &model); err != nil {
		t.Errorf("%s: model: %v", where, err)
	}
	if model.RefID != kq.RefID || model.QueryType != kq.QueryType || model.Datasource.UID != kaizenDSUID || model.Datasource.Type != "kaizenops-metrics-datasource" {
		t.Errorf("%s, %s: model refId %q, queryType %q, datasource %+v must match the query's (%q, %q, kaizenops-metrics-datasource/%s)",
			where, kq.RefID, model.RefID, model.QueryType, model.Datasource, kq.RefID, kq.QueryType, kaizenDSUID)
	}
	// The backend's own parser, as a saved alert query reaches it.
	q, err := models.ParseQuery(kq.Model)
	if err != nil {
		t.Errorf("%s: %v", where, err)
	} else if q.Bucket != "none" && q.QueryType != models.QueryTypeSPC {
		t.Errorf("%s: bucket %q: alert rules read one number per series (bucket none)", where, q.Bucket)
	}
	exprs, err := pr.expressions()
	if err != nil {
		t.Error(err)
		return
	}
	for ref, e := range exprs {
		if e.RefID != ref || e.Datasource.UID != exprDSUID || !refs[e.Expression] || e.Expression == ref {
			t.Errorf("%s, %s: expression model refId %q, datasource %q, input %q", where, ref, e.RefID, e.Datasource.UID, e.Expression)
		}
		switch e.Type {
		case "reduce":
			if !slices.Contains(reducers, e.Reducer) {
				t.Errorf("%s, %s: reducer %q", where, ref, e.Reducer)
			}
		case "threshold":
			if len(e.Conditions) != 1 {
				t.Errorf("%s, %s: a threshold has one condition, got %d", where, ref, len(e.Conditions))
				continue
			}
			ev := e.Conditions[0].Evaluator
			if n, ok := evaluators[ev.Type]; !ok || len(ev.Params) != n {
				t.Errorf("%s, %s: evaluator %q with %d params", where, ref, ev.Type, len(ev.Params))
			}
		default:
			t.Errorf("%s, %s: expression type %q (this check knows reduce and threshold)", where, ref, e.Type)
		}
	}
	if c, ok := exprs[r.Condition]; !ok || c.Type != "threshold" {
		t.Errorf("%s: the condition %s should be a threshold expression", where, r.Condition)
	}
}

func mapsKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func checkContactPoints(t *testing.T, set alertingSet) {
	t.Helper()
	names := map[string]bool{}
	uids := map[string]bool{}
	for _, cp := range set.contacts {
		if cp.Name == "" || names[cp.Name] || len(cp.Receivers) == 0 {
			t.Errorf("contact point %q: needs a unique name and a receiver", cp.Name)
		}
		names[cp.Name] = true
		for _, rc := range cp.Receivers {
			if rc.UID == "" || uids[rc.UID] {
				t.Errorf("contact point %q: receiver uid %q empty or repeated", cp.Name, rc.UID)
			}
			uids[rc.UID] = true
			if rc.Type != "webhook" {
				t.Errorf("contact point %q: type %q (the examples are webhooks)", cp.Name, rc.Type)
				continue
			}
			// Examples only: an address under .invalid can never reach anyone by accident.
			u, err := url.Parse(fmt.Sprint(rc.Settings["url"]))
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.HasSuffix(u.Hostname(), ".invalid") {
				t.Errorf("contact point %q: url %v is not an example URL under .invalid", cp.Name, rc.Settings["url"])
			}
		}
	}
	if len(set.policies) != 1 {
		t.Fatalf("%d notification policy trees, want 1 (Grafana keeps one per organisation)", len(set.policies))
	}
	root := set.policies[0]
	if root.Receiver == "" || len(root.Matchers)+len(root.ObjectMatchers) > 0 {
		t.Errorf("the root policy needs a receiver and no matchers")
	}
	for _, l := range []string{"alertname", "team"} {
		if !slices.Contains(root.GroupBy, l) {
			t.Errorf("the root policy does not group by %s: %v", l, root.GroupBy)
		}
	}
	var walk func(path string, r provRoute)
	walk = func(path string, r provRoute) {
		if r.Receiver != "" && !names[r.Receiver] {
			t.Errorf("policy %s: receiver %q is not a contact point (%v)", path, r.Receiver, slices.Sorted(mapsKeys(names)))
		}
		for _, d := range []string{r.GroupWait, r.GroupInterval, r.RepeatInterval} {
			if _, err := time.ParseDuration(d); d != "" && err != nil {
				t.Errorf("policy %s: %q: %v", path, d, err)
			}
		}
		for _, m := range r.ObjectMatchers {
			if m[0] == "" || !slices.Contains([]string{"=", "!=", "=~", "!~"}, m[1]) {
				t.Errorf("policy %s: matcher %v", path, m)
			}
		}
		if len(r.Matchers) > 0 {
			t.Errorf("policy %s: use object_matchers (this check evaluates those)", path)
		}
		for i, c := range r.Routes {
			walk(fmt.Sprintf("%s/%d", path, i), c)
		}
	}
	walk("root", root.provRoute)
}

// checkRouting sends a rule's labels down the policy tree (first matching child
// wins, as none continues): critical pages, warning makes a ticket.
func checkRouting(t *testing.T, where string, set alertingSet, labels map[string]string) {
	t.Helper()
	if len(set.policies) == 0 {
		return
	}
	want := map[string]string{"critical": "page", "warning": "ticket"}[labels["severity"]]
	if got := routeReceiver(set.policies[0].provRoute, set.policies[0].Receiver, labels); got != want {
		t.Errorf("%s: labels %v route to %q, want %q", where, labels, got, want)
	}
}

func routeReceiver(r provRoute, inherited string, labels map[string]string) string {
	if r.Receiver != "" {
		inherited = r.Receiver
	}
	for _, c := range r.Routes {
		if routeMatches(c, labels) {
			return routeReceiver(c, inherited, labels)
		}
	}
	return inherited
}

func routeMatches(r provRoute, labels map[string]string) bool {
	for _, m := range r.ObjectMatchers {
		v := labels[m[0]]
		var ok bool
		switch m[1] {
		case "=":
			ok = v == m[2]
		case "!=":
			ok = v != m[2]
		case "=~", "!~":
			re := regexp.MustCompile("^(?:" + m[2] + ")$")
			ok = re.MatchString(v) == (m[1] == "=~")
		}
		if !ok {
			return false
		}
	}
	return true
}

// markdownAnchors lists the GitHub anchors of a Markdown file's headings.
func markdownAnchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	inFence := false
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		out[githubAnchor(strings.TrimLeft(line, "# "))] = true
	}
	return out
}

// githubAnchor is GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// alertInstance is one labelled series of a query result, as Grafana's alerting
// turns data frames into instances: one per number field, its labels the field's.
type alertInstance struct {
	labels data.Labels
	values []*float64
}

// alertInstances converts frames the way Grafana's expression engine accepts them for
// alerting: time series (a time field and number fields) or numbers (number fields
// without time); a string field makes a table Grafana cannot reduce without more
// setup, and two instances with one label set are an error ("duplicate results").
func alertInstances(frames data.Frames) ([]alertInstance, error) {
	var out []alertInstance
	seen := map[string]bool{}
	for _, f := range frames {
		var nums []*data.Field
		for _, fld := range f.Fields {
			switch {
			case fld.Type().Time():
			case fld.Type().Numeric():
				nums = append(nums, fld)
			default:
				return nil, fmt.Errorf("frame %q: field %q is %s: not a number or time series", f.Name, fld.Name, fld.Type())
			}
		}
		if len(nums) == 0 && f.Rows() > 0 {
			return nil, fmt.Errorf("frame %q: no number field", f.Name)
		}
		for _, fld := range nums {
			key := fld.Labels.String()
			if seen[key] {
				return nil, fmt.Errorf("two series with labels {%s}", key)
			}
			seen[key] = true
			in := alertInstance{labels: fld.Labels}
			for i := 0; i < fld.Len(); i++ {
				v, err := fld.NullableFloatAt(i)
				if err != nil {
					return nil, err
				}
				in.values = append(in.values, v)
			}
			out = append(out, in)
		}
	}
	return out, nil
}

// reduceValues is Grafana's Reduce expression in its default (strict) mode: a null
// reads as NaN and makes the mean, min, max and sum NaN; last is the last value;
// count counts every value. An empty series reduces to NaN (count: 0).
func reduceValues(reducer string, values []*float64) (float64, error) {
	if !slices.Contains(reducers, reducer) {
		return 0, fmt.Errorf("reducer %q", reducer)
	}
	if reducer == "count" {
		return float64(len(values)), nil
	}
	if len(values) == 0 {
		return math.NaN(), nil
	}
	vs := make([]float64, len(values))
	for i, v := range values {
		vs[i] = math.NaN()
		if v != nil {
			vs[i] = *v
		}
	}
	switch reducer {
	case "last":
		return vs[len(vs)-1], nil
	case "mean", "sum":
		s := 0.0
		for _, v := range vs {
			s += v
		}
		if reducer == "mean" {
			return s / float64(len(vs)), nil
		}
		return s, nil
	case "min", "max":
		r := vs[0]
		for _, v := range vs[1:] {
			if math.IsNaN(v) || math.IsNaN(r) {
				r = math.NaN()
			} else if (reducer == "min") == (v < r) {
				r = v
			}
		}
		return r, nil
	}
	return 0, fmt.Errorf("reducer %q", reducer)
}

// thresholdFires is Grafana's Threshold expression: 1 when the evaluator holds. A NaN
// input never fires (Grafana reports such an instance as NoData or Error, not Alerting).
func thresholdFires(evaluator string, params []float64, v float64) (bool, error) {
	if math.IsNaN(v) {
		return false, nil
	}
	switch evaluator {
	case "gt":
		return v > params[0], nil
	case "lt":
		return v < params[0], nil
	case "gte":
		return v >= params[0], nil
	case "lte":
		return v <= params[0], nil
	case "eq":
		return v == params[0], nil
	case "ne":
		return v != params[0], nil
	case "within_range":
		return v > params[0] && v < params[1], nil
	case "outside_range":
		return v < params[0] || v > params[1], nil
	}
	return false, fmt.Errorf("evaluator %q", evaluator)
}

// TestAlertExpressionModel pins the reduce and threshold semantics the demo check
// relies on, with hand-computed cases.
func TestAlertExpressionModel(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	nan := math.NaN()
	for _, c := range []struct {
		reducer string
		in      []*float64
		want    float64
	}{
		{"last", []*float64{f(1), f(2), f(7)}, 7},
		{"mean", []*float64{f(1), f(2), f(6)}, 3}, // (1 + 2 + 6) / 3
		{"sum", []*float64{f(1), f(2), f(6)}, 9},
		{"min", []*float64{f(4), f(-2), f(6)}, -2},
		{"max", []*float64{f(4), f(-2), f(6)}, 6},
		{"count", []*float64{f(4), nil}, 2},
		{"last", []*float64{f(4), nil}, nan},              // strict: the null is NaN
		{"mean", []*float64{f(4), nil}, nan},              // strict: NaN poisons the mean
		{"max", []*float64{nil, f(4)}, nan},               // and the max
		{"last", nil, nan},                                // no values
		{"last", []*float64{f(math.Inf(1))}, math.Inf(1)}, // a 100% SLO's burn rate
	} {
		got, err := reduceValues(c.reducer, c.in)
		if err != nil || !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s(%v) = %v, %v; want %v", c.reducer, c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		ev     string
		params []float64
		v      float64
		want   bool
	}{
		{"gt", []float64{14.4}, 14.4, false}, // exactly 14.4 is not above
		{"gt", []float64{14.4}, math.Inf(1), true},
		{"gt", []float64{0.2}, 0.21, true},
		{"lt", []float64{0}, -0.01, true},
		{"lt", []float64{0}, 0, false},
		{"within_range", []float64{0.5, 1.5}, 1, true},
		{"within_range", []float64{0.5, 1.5}, 2, false},
		{"within_range", []float64{0.5, 1.5}, 0, false},
		{"outside_range", []float64{0.5, 1.5}, 2, true},
		{"gt", []float64{0}, nan, false},
	} {
		if got, err := thresholdFires(c.ev, c.params, c.v); err != nil || got != c.want {
			t.Errorf("%s %v on %v = %v, %v; want %v", c.ev, c.params, c.v, got, err, c.want)
		}
	}
	if _, err := reduceValues("median", nil); err == nil {
		t.Error("an unknown reducer was accepted")
	}
	// Frames Grafana cannot alert on are refused with the field named.
	tbl := data.NewFrame("t", data.NewField("slo", nil, []string{"a"}), data.NewField("v", nil, []float64{1}))
	if _, err := alertInstances(data.Frames{tbl}); err == nil || !strings.Contains(err.Error(), `"slo"`) {
		t.Errorf("a table frame: %v", err)
	}
	dup := data.Frames{
		data.NewFrame("a", data.NewField("v", data.Labels{"slo": "x"}, []float64{1})),
		data.NewFrame("b", data.NewField("v", data.Labels{"slo": "x"}, []float64{2})),
	}
	if _, err := alertInstances(dup); err == nil || !strings.Contains(err.Error(), "slo=x") {
		t.Errorf("duplicate label sets: %v", err)
	}
}

// TestYAML11Booleans pins the lexical check that keeps YAML 1.1 booleans out of the
// files: Grafana's Go YAML parser reads an unquoted yes/no/on/off as true/false.
func TestYAML11Booleans(t *testing.T) {
	for line, want := range map[string]bool{
		"    isPaused: yes":            true,
		"    - on":                     true,
		"    flags: [off, x]":          true,
		"    noDataState: NoData":      false,
		"    name: no-data":            false,
		"    summary: 'yes, really'":   false, // quoted lines are left alone by the caller
		"    team: operational":        false,
		"    title: Model on":          false, // not a value of its own
		"  - uid: kaizenops-page":      false,
		"    severity: critical # yes": false,
	} {
		code, _, _ := strings.Cut(line, "#")
		got := yaml11Ambiguous.MatchString(code) && !strings.Contains(code, "'")
		if got != want {
			t.Errorf("%q: flagged %v, want %v", line, got, want)
		}
	}
}

// evaluatedRule is a rule run against the demo: per instance its reduced value and
// whether the condition holds.
type evaluatedRule struct {
	instances []alertInstance
	reduced   []float64
	firing    []bool
}

func (e evaluatedRule) firingWith(label, value string) (fires, present bool) {
	for i, in := range e.instances {
		if in.labels[label] == value {
			return e.firing[i], true
		}
	}
	return false, false
}

// evaluateRule runs the rule's Kaizen Ops query through the executable as Grafana's
// alerting would (its relative range before now, its model's interval), then its
// reduce and threshold expressions per instance.
func evaluateRule(ctx context.Context, p *pluginProcess, now time.Time, pr placedRule) (evaluatedRule, error) {
	kq, err := pr.kaizenQuery()
	if err != nil {
		return evaluatedRule{}, err
	}
	var opts struct {
		IntervalMs    int64 `json:"intervalMs"`
		MaxDataPoints int64 `json:"maxDataPoints"`
	}
	if err := json.Unmarshal(kq.Model, &opts); err != nil {
		return evaluatedRule{}, err
	}
	// Grafana's defaults for an alert query that does not set them.
	if opts.IntervalMs == 0 {
		opts.IntervalMs = 1000
	}
	if opts.MaxDataPoints == 0 {
		opts.MaxDataPoints = 43200
	}
	from := now.Add(-time.Duration(kq.RelativeTimeRange.From) * time.Second)
	to := now.Add(-time.Duration(kq.RelativeTimeRange.To) * time.Second)
	frames, err := p.grafanaQuery(ctx, kq.Model, from, to, time.Duration(opts.IntervalMs)*time.Millisecond, opts.MaxDataPoints)
	if err != nil {
		return evaluatedRule{}, err
	}
	ins, err := alertInstances(frames)
	if err != nil {
		return evaluatedRule{}, err
	}
	exprs, err := pr.expressions()
	if err != nil {
		return evaluatedRule{}, err
	}
	cond := exprs[pr.rule.Condition]
	red, ok := exprs[cond.Expression]
	if !ok || red.Type != "reduce" || red.Expression != kq.RefID {
		return evaluatedRule{}, fmt.Errorf("condition %s should threshold a reduce of %s", pr.rule.Condition, kq.RefID)
	}
	out := evaluatedRule{instances: ins}
	for _, in := range ins {
		v, err := reduceValues(red.Reducer, in.values)
		if err != nil {
			return evaluatedRule{}, err
		}
		ev := cond.Conditions[0].Evaluator
		fires, err := thresholdFires(ev.Type, ev.Params, v)
		if err != nil {
			return evaluatedRule{}, err
		}
		out.reduced = append(out.reduced, v)
		out.firing = append(out.firing, fires)
	}
	return out, nil
}

// renderAnnotations executes the rule's annotation templates for one instance, with
// Grafana's template data (.Labels, .Values by refId, .Value), failing on a label or
// refId the instance does not have.
func renderAnnotations(pr placedRule, in alertInstance, reduced float64, firing bool) (map[string]string, error) {
	type value struct {
		Labels data.Labels
		Value  float64
	}
	exprs, err := pr.expressions()
	if err != nil {
		return nil, err
	}
	values := map[string]value{}
	for ref, e := range exprs {
		v := reduced
		if e.Type == "threshold" {
			v = 0
			if firing {
				v = 1
			}
		}
		values[ref] = value{Labels: in.labels, Value: v}
	}
	labels := map[string]string{}
	for k, v := range pr.rule.Labels {
		labels[k] = v
	}
	for k, v := range in.labels {
		labels[k] = v
	}
	out := map[string]string{}
	for k, text := range pr.rule.Annotations {
		tmpl, err := template.New(k).Option("missingkey=error").Funcs(templateFuncs).Parse(text)
		if err != nil {
			return nil, fmt.Errorf("annotation %s: %w", k, err)
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, map[string]any{"Labels": labels, "Values": values, "Value": fmt.Sprint(reduced)}); err != nil {
			return nil, fmt.Errorf("annotation %s with labels {%s}: %w", k, in.labels, err)
		}
		out[k] = b.String()
	}
	return out, nil
}

// TestAlertRulesOnDemoData evaluates every provisioned rule against the demo data set
// through the real executable over gRPC: each query returns numbers an alert rule can
// reduce, one instance per series, and the rules the demo's story is about fire.
func TestAlertRulesOnDemoData(t *testing.T) {
	set := loadAlertingSet(t)
	p, ds := startDemoPlugin(t)
	now := ds.Summary.Anchor
	ctx := context.Background()
	results := map[string]evaluatedRule{}
	for _, pr := range set.rules {
		t.Run(pr.rule.UID, func(t *testing.T) {
			res, err := evaluateRule(ctx, p, now, pr)
			if err != nil {
				t.Fatalf("rule %q (%s): %v", pr.rule.Title, pr.file, err)
			}
			if len(res.instances) == 0 {
				t.Fatalf("rule %q: no series on the demo data (NoData)", pr.rule.Title)
			}
			for i, in := range res.instances {
				if len(in.labels) == 0 && len(res.instances) > 1 {
					t.Errorf("instance %d has no labels: alert instances would clash", i)
				}
				ann, err := renderAnnotations(pr, in, res.reduced[i], res.firing[i])
				if err != nil {
					t.Errorf("rule %q: %v", pr.rule.Title, err)
					continue
				}
				if res.firing[i] {
					t.Logf("firing {%s} %.4g: %s", in.labels, res.reduced[i], ann["summary"])
				}
			}
			results[pr.rule.UID] = res
		})
	}

	// What the demo's story says (pkg/demo: Summary.Story) and the rules must see.
	story := []struct{ rule, label, value string }{
		{"kaizenops-slo-fast-burn", "slo", "search-latency"},        // "search-latency burning its budget: page"
		{"kaizenops-feature-drift-psi", "feature", "monthly_spend"}, // "monthly_spend up by a third"
		{"kaizenops-kpi-special-cause", "kpi", "support_backlog"},   // "special-cause variation on its control chart"
	}
	// "checkout-availability's SLA period breached": the SLA period is the calendar month, so
	// the rule fires while the outage's month is the current one (a run early in a month sees
	// last month's breach as history, and a fresh period's budget).
	outage := storyTime(t, ds, "Checkout: payment provider outage")
	if outage.Year() == now.Year() && outage.Month() == now.Month() {
		story = append(story, struct{ rule, label, value string }{"kaizenops-sla-breach", "slo", "checkout-availability"})
	} else {
		t.Logf("the checkout outage (%s) is in an earlier SLA period than now (%s): not expecting the SLA rule to fire", outage, now)
	}
	for _, s := range story {
		res, ok := results[s.rule]
		if !ok {
			t.Errorf("rule %s is not provisioned (or failed above)", s.rule)
			continue
		}
		if fires, present := res.firingWith(s.label, s.value); !present || !fires {
			t.Errorf("rule %s: %s=%s present %v, firing %v; the demo's story says it fires", s.rule, s.label, s.value, present, fires)
		}
	}
	// And what stays quiet: a healthy SLO, an SLA that holds, a stable feature.
	quiet := []struct{ rule, label, value string }{
		{"kaizenops-slo-fast-burn", "slo", "payments-availability"},
		{"kaizenops-sla-breach", "slo", "payments-availability"},
		{"kaizenops-feature-drift-psi", "feature", "support_tickets"},
	}
	for _, s := range quiet {
		if fires, present := results[s.rule].firingWith(s.label, s.value); !present || fires {
			t.Errorf("rule %s: %s=%s present %v, firing %v; want present and quiet", s.rule, s.label, s.value, present, fires)
		}
	}
}

// storyTime is when the demo's story event starting with prefix happened.
func storyTime(t *testing.T, ds demoDataSet, prefix string) time.Time {
	t.Helper()
	for _, e := range ds.Summary.Story {
		if strings.HasPrefix(e.What, prefix) {
			return e.At
		}
	}
	t.Fatalf("the demo's story has no event %q", prefix)
	return time.Time{}
}

// TestSLOBurnRulesFollowTheWorkbook cross-checks the burn-rate rules, which read the
// backend's alert_state, against the burn rates themselves on the demo data: per SLO,
// page when the 1h and 5m burns are both above 14.4 or the 6h and 30m both above 6,
// ticket when the 3d and 6h are both above 1 (SRE workbook, table 5-8).
func TestSLOBurnRulesFollowTheWorkbook(t *testing.T) {
	set := loadAlertingSet(t)
	p, ds := startDemoPlugin(t)
	now := ds.Summary.Anchor
	ctx := context.Background()
	frames, err := p.grafanaQuery(ctx, json.RawMessage(`{"refId":"A","queryType":"slo","metric":"burn_rate","bucket":"none","slo":{"windows":["5m","30m","1h","6h","3d"]}}`),
		now.Add(-10*time.Minute), now, time.Minute, 0)
	if err != nil {
		t.Fatal(err)
	}
	ins, err := alertInstances(frames)
	if err != nil {
		t.Fatal(err)
	}
	burn := map[string]map[string]float64{}
	for _, in := range ins {
		slo := in.labels["slo"]
		if burn[slo] == nil {
			burn[slo] = map[string]float64{}
		}
		burn[slo][in.labels["window"]] = *in.values[0]
	}
	want := map[string]string{}
	for slo, b := range burn {
		switch {
		case b["1h"] > 14.4 && b["5m"] > 14.4 || b["6h"] > 6 && b["30m"] > 6:
			want[slo] = "page"
		case b["3d"] > 1 && b["6h"] > 1:
			want[slo] = "ticket"
		default:
			want[slo] = "ok"
		}
	}
	got := map[string]string{}
	for slo := range burn {
		got[slo] = "ok"
	}
	for _, pr := range set.rules {
		level := map[string]string{"kaizenops-slo-fast-burn": "page", "kaizenops-slo-slow-burn": "ticket"}[pr.rule.UID]
		if level == "" {
			continue
		}
		res, err := evaluateRule(ctx, p, now, pr)
		if err != nil {
			t.Fatal(err)
		}
		for i, in := range res.instances {
			if res.firing[i] {
				if prev := got[in.labels["slo"]]; prev != "ok" {
					t.Errorf("SLO %s fires both %s and %s", in.labels["slo"], prev, level)
				}
				got[in.labels["slo"]] = level
			}
		}
	}
	slos := slices.Sorted(func(yield func(string) bool) {
		for s := range burn {
			if !yield(s) {
				return
			}
		}
	})
	sort.Strings(slos)
	for _, slo := range slos {
		if got[slo] != want[slo] {
			t.Errorf("SLO %s: rules say %s, burn rates %v say %s", slo, got[slo], burn[slo], want[slo])
		}
	}
	if want["search-latency"] != "page" {
		t.Errorf("the demo's search-latency should page: burn rates %v", burn["search-latency"])
	}
}
