package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/models"
)

// allValue is what Grafana saves as the current value when "All" is selected.
const allValue = "$__all"

// ValueLister answers a data source resource GET such as values/delivery/team, the
// request Grafana sends to fill a query variable.
type ValueLister func(ctx context.Context, path string) ([]string, error)

// variableQuery mirrors the frontend's parseVariableQuery (src/datasource/datasource.ts):
// values(type, dimension) or values(dimension).
var (
	twoArgs = regexp.MustCompile(`^values\(\s*([a-z_]+)\s*,\s*([a-z_.]+)\s*\)$`)
	oneArg  = regexp.MustCompile(`^values\(\s*([a-z_]+)\s*\)$`)
)

// valuesPath is the resource path of a variable query, as the frontend's valuesPath builds it.
func valuesPath(query string) string {
	q := strings.TrimSpace(query)
	if m := twoArgs.FindStringSubmatch(q); m != nil {
		return "values/" + url.PathEscape(m[1]) + "/" + url.PathEscape(m[2])
	}
	if m := oneArg.FindStringSubmatch(q); m != nil {
		q = m[1]
	}
	return "values/" + url.PathEscape(q)
}

// Bound is the value chosen for each variable, and why, for the report.
type Bound struct {
	Values map[string][]string
	// Notes say where the saved selection did not exist in the data and what replaced it.
	Notes []string
}

// ResolveVariables picks each variable's values the way a dashboard opening on this data
// would: query variables are listed through the data source (list), All means the
// variable's allValue when it has one (as Grafana sends it) or else every listed value, and a saved selection that is not in the data falls back to the first
// listed value. A variable whose query fails is an error naming it.
func ResolveVariables(ctx context.Context, d Dashboard, list ValueLister) (Bound, error) {
	b := Bound{Values: map[string][]string{}}
	for _, v := range d.Variables {
		switch v.Type {
		case "query":
			path := valuesPath(v.Query)
			options, err := list(ctx, path)
			if err != nil {
				return Bound{}, fmt.Errorf("dashboard %s: variable %s (%s): %w", d.Name, v.Name, path, err)
			}
			b.Values[v.Name] = choose(v, options, &b.Notes, d.Name)
		case "custom":
			b.Values[v.Name] = choose(v, v.Options, &b.Notes, d.Name)
		case "constant", "textbox":
			vals := v.Current
			if len(vals) == 0 && v.Query != "" {
				vals = []string{v.Query}
			}
			b.Values[v.Name] = vals
		default: // interval, datasource, adhoc: nothing in a Kaizen Ops target reads them
			b.Values[v.Name] = v.Current
		}
	}
	return b, nil
}

func choose(v Variable, options []string, notes *[]string, dashboard string) []string {
	if len(v.Current) == 0 || slices.Contains(v.Current, allValue) {
		if v.IncludeAll && v.AllValue != "" {
			return []string{v.AllValue}
		}
		if v.IncludeAll || len(v.Current) > 0 {
			return options
		}
	}
	var kept []string
	for _, c := range v.Current {
		if slices.Contains(options, c) {
			kept = append(kept, c)
		}
	}
	if len(kept) > 0 {
		return kept
	}
	if len(options) == 0 {
		*notes = append(*notes, fmt.Sprintf("%s: variable %s has no values in the data", dashboard, v.Name))
		return nil
	}
	*notes = append(*notes, fmt.Sprintf("%s: variable %s = %s (saved %s is not in the data)", dashboard, v.Name, options[0], strings.Join(v.Current, ",")))
	return options[:1]
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)(?::[A-Za-z]+)?\}|\[\[([A-Za-z0-9_]+)\]\]|\$([A-Za-z0-9_]+)`)

// Bind substitutes the variables into a target and parses it as the backend would.
// As the frontend's interpolateQuery does, a filter value that is a multi-value
// variable becomes one filter value per selected value; elsewhere values are joined
// with commas. Grafana's own variables ($__interval, ...) are left to the backend.
func Bind(t Target, vars map[string][]string) (models.Query, error) {
	node := bindNode(t.JSON, vars, "")
	raw, err := json.Marshal(node)
	if err != nil {
		return models.Query{}, fmt.Errorf("%s: encoding the target: %w", t.Name(), err)
	}
	q, err := models.ParseQuery(raw)
	if err != nil {
		return models.Query{}, fmt.Errorf("%s: %w", t.Name(), err)
	}
	if q.RefID == "" {
		q.RefID = t.RefID
	}
	return q, nil
}

func bindNode(node any, vars map[string][]string, key string) any {
	switch n := node.(type) {
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, v := range n {
			if k == "filters" {
				if f, ok := v.(map[string]any); ok {
					out[k] = bindFilters(f, vars)
					continue
				}
			}
			out[k] = bindNode(v, vars, k)
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = bindNode(v, vars, key)
		}
		return out
	case string:
		return replaceVars(n, vars)
	default:
		return node
	}
}

func bindFilters(filters map[string]any, vars map[string][]string) map[string]any {
	out := make(map[string]any, len(filters))
	for dim, raw := range filters {
		list, ok := raw.([]any)
		if !ok {
			out[dim] = bindNode(raw, vars, dim)
			continue
		}
		expanded := []any{}
		seen := map[string]bool{}
		add := func(s string) {
			if s != "" && !seen[s] {
				seen[s] = true
				expanded = append(expanded, s)
			}
		}
		for _, item := range list {
			s, ok := item.(string)
			if !ok {
				expanded = append(expanded, item)
				continue
			}
			if name, whole := wholeRef(s); whole {
				if vals, known := vars[name]; known {
					for _, v := range vals {
						add(v)
					}
					continue
				}
			}
			add(replaceVars(s, vars))
		}
		out[dim] = expanded
	}
	return out
}

func wholeRef(s string) (string, bool) {
	m := varRef.FindStringSubmatchIndex(s)
	if m == nil || m[0] != 0 || m[1] != len(s) {
		return "", false
	}
	return refName(s, m), true
}

func refName(s string, m []int) string {
	for g := 1; g <= 3; g++ {
		if m[2*g] >= 0 {
			return s[m[2*g]:m[2*g+1]]
		}
	}
	return ""
}

func replaceVars(s string, vars map[string][]string) string {
	if !strings.ContainsAny(s, "$[") {
		return s
	}
	return varRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := varRef.FindStringSubmatchIndex(ref)
		vals, ok := vars[refName(ref, m)]
		if !ok {
			return ref
		}
		return strings.Join(vals, ",")
	})
}
