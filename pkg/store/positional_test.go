package store

import (
	"database/sql"
	"reflect"
	"testing"
)

func TestPositional(t *testing.T) {
	cases := []struct {
		name     string
		query    string
		args     []any
		want     string
		wantArgs []any
	}{
		{"in order", "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)", []any{1, 2, 3},
			"SELECT a FROM t WHERE x = ? AND y IN (?, ?)", []any{1, 2, 3}},
		{"out of order and reused", "SELECT CASE WHEN at < $3 THEN 0 ELSE 1 END FROM t WHERE at >= $1 AND at < $2 OR at = $1", []any{"a", "b", "c"},
			"SELECT CASE WHEN at < ? THEN 0 ELSE 1 END FROM t WHERE at >= ? AND at < ? OR at = ?", []any{"c", "a", "b", "a"}},
		{"two-digit numbers", "VALUES ($10, $2, $1)", []any{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			"VALUES (?, ?, ?)", []any{10, 2, 1}},
		{"quoted text and comments are left alone", "SELECT '$1 it''s', \"$2\" -- $3\nFROM t /* $4 */ WHERE json_extract(x, '$.a') = $1", []any{"v"},
			"SELECT '$1 it''s', \"$2\" -- $3\nFROM t /* $4 */ WHERE json_extract(x, '$.a') = ?", []any{"v"}},
		{"no placeholders", "SELECT 1", nil, "SELECT 1", nil},
		{"already positional", "SELECT ? , $1", []any{1}, "SELECT ? , $1", []any{1}},
		{"a number with no argument stays for the driver to reject", "SELECT $2", []any{1}, "SELECT $2", []any{1}},
		{"named arguments stay", "SELECT $1", []any{sql.Named("x", 1)}, "SELECT $1", []any{sql.Named("x", 1)}},
		{"a lone dollar", "SELECT a$b, $1", []any{1}, "SELECT a$b, ?", []any{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, gotArgs := Positional(c.query, c.args)
			if got != c.want || !reflect.DeepEqual(gotArgs, c.wantArgs) {
				t.Fatalf("got %q %v\nwant %q %v", got, gotArgs, c.want, c.wantArgs)
			}
		})
	}
}
