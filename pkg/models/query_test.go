package models

import (
	"reflect"
	"testing"
)

// TestParseQueryAnyValue: "*" among a dimension's filter values removes that filter
// (a dashboard variable's All) and records the dimension as unfiltered; other filters
// stay as given, and the caller's map is not changed.
func TestParseQueryAnyValue(t *testing.T) {
	cases := []struct {
		name           string
		json           string
		wantFilters    map[string][]string
		wantUnfiltered []string
	}{
		{"no filters", `{"queryType":"incidents"}`, nil, nil},
		{"plain values stay", `{"queryType":"incidents","filters":{"service":["api","web"]}}`,
			map[string][]string{"service": {"api", "web"}}, nil},
		{"all alone", `{"queryType":"incidents","filters":{"service":["*"]}}`,
			map[string][]string{}, []string{"service"}},
		{"all among values", `{"queryType":"incidents","filters":{"service":["api","*"],"team":["sre"]}}`,
			map[string][]string{"team": {"sre"}}, []string{"service"}},
		{"two dimensions, sorted", `{"queryType":"delivery","filters":{"team":["*"],"environment":["*"],"service":["a*"]}}`,
			map[string][]string{"service": {"a*"}}, []string{"environment", "team"}},
		{"an empty string is a value, not All", `{"queryType":"incidents","filters":{"service":[""]}}`,
			map[string][]string{"service": {""}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := ParseQuery([]byte(c.json))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(q.Filters, c.wantFilters) {
				t.Errorf("filters = %#v, want %#v", q.Filters, c.wantFilters)
			}
			if !reflect.DeepEqual(q.Unfiltered, c.wantUnfiltered) {
				t.Errorf("unfiltered = %#v, want %#v", q.Unfiltered, c.wantUnfiltered)
			}
		})
	}
}

func TestNormalizeAnyValueKeepsCallersMap(t *testing.T) {
	shared := map[string][]string{"service": {"*"}, "team": {"sre"}}
	q := Query{QueryType: "incidents", Filters: shared}
	q.Normalize()
	q.Normalize() // idempotent
	if len(shared) != 2 {
		t.Fatalf("the caller's filters changed: %v", shared)
	}
	if _, ok := q.Filters["service"]; ok || !reflect.DeepEqual(q.Unfiltered, []string{"service"}) {
		t.Fatalf("filters %v, unfiltered %v; want service removed and recorded once", q.Filters, q.Unfiltered)
	}
}
