package query

import (
	"fmt"
	"sort"
	"strings"
)

// Dimensions maps the group-by and filter names a family allows to their SQL columns.
// Only names in this allow-list ever reach SQL text; values always travel as parameters.
type Dimensions map[string]string

// Names lists the allowed dimension names.
func (d Dimensions) Names() []string {
	out := make([]string, 0, len(d))
	for k := range d {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Columns resolves group-by names to columns, rejecting unknown and repeated names.
func (d Dimensions) Columns(groupBy []string) ([]string, error) {
	cols := make([]string, 0, len(groupBy))
	seen := map[string]bool{}
	for _, g := range groupBy {
		col, ok := d[g]
		if !ok {
			return nil, fmt.Errorf("cannot group by %q; use one of %s", g, strings.Join(d.Names(), ", "))
		}
		if seen[g] {
			return nil, fmt.Errorf("group by %q given twice", g)
		}
		seen[g] = true
		cols = append(cols, col)
	}
	return cols, nil
}

// Where accumulates a WHERE clause with numbered placeholders.
type Where struct {
	clauses []string
	args    []any
}

// Add appends a condition; each "?" in cond becomes the next $n placeholder.
func (w *Where) Add(cond string, args ...any) {
	var b strings.Builder
	i := 0
	for _, r := range cond {
		if r == '?' {
			w.args = append(w.args, args[i])
			i++
			fmt.Fprintf(&b, "$%d", len(w.args))
			continue
		}
		b.WriteRune(r)
	}
	w.clauses = append(w.clauses, b.String())
}

// Filters adds an IN condition per filtered dimension; empty value lists are ignored.
func (w *Where) Filters(dims Dimensions, filters map[string][]string) error {
	names := make([]string, 0, len(filters))
	for k := range filters {
		names = append(names, k)
	}
	sort.Strings(names) // stable SQL text for the same query
	for _, name := range names {
		values := filters[name]
		if len(values) == 0 {
			continue
		}
		col, ok := dims[name]
		if !ok {
			return fmt.Errorf("cannot filter on %q; use one of %s", name, strings.Join(dims.Names(), ", "))
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")
		args := make([]any, len(values))
		for i, v := range values {
			args[i] = v
		}
		w.Add(col+" IN ("+marks+")", args...)
	}
	return nil
}

// SQL returns " WHERE ..." or "".
func (w *Where) SQL() string {
	if len(w.clauses) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.clauses, " AND ")
}

// Args returns the parameters in placeholder order.
func (w *Where) Args() []any { return w.args }
