package store

import (
	"context"
	"fmt"
	"strings"
)

// Upsert describes an idempotent insert: a row whose key exists replaces the stored one.
type Upsert struct {
	Table   string
	Columns []string
	Key     []string
	// KeepWhenNull lists columns whose stored value survives a NULL in the new row,
	// for senders that report a record in parts (a webhook's firing, then its resolution).
	KeepWhenNull []string
	// KeepOnConflict lists columns written only when the row is new.
	KeepOnConflict []string
}

// Exec writes rows (each aligned with Columns) in as few statements as the dialect's
// parameter limit allows. Table and column names come from code, never from input.
func (u Upsert) Exec(ctx context.Context, q Querier, d Dialect, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	perStmt := d.MaxParams / len(u.Columns)
	if perStmt > 500 {
		perStmt = 500 // larger statements stop paying off and cost memory
	}
	for start := 0; start < len(rows); start += perStmt {
		end := min(start+perStmt, len(rows))
		chunk := rows[start:end]
		args := make([]any, 0, len(chunk)*len(u.Columns))
		for i, r := range chunk {
			if len(r) != len(u.Columns) {
				return fmt.Errorf("upsert into %s: row %d has %d values for %d columns", u.Table, start+i, len(r), len(u.Columns))
			}
			args = append(args, r...)
		}
		if _, err := q.ExecContext(ctx, u.statement(d, len(chunk)), args...); err != nil {
			return fmt.Errorf("upsert into %s: %w", u.Table, err)
		}
	}
	return nil
}

func (u Upsert) statement(d Dialect, nRows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", u.Table, strings.Join(u.Columns, ", "))
	p := 1
	for r := 0; r < nRows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range u.Columns {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString(d.Placeholder(p))
			p++
		}
		b.WriteByte(')')
	}
	fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", strings.Join(u.Key, ", "))
	keep := map[string]bool{}
	for _, c := range u.KeepWhenNull {
		keep[c] = true
	}
	skip := map[string]bool{}
	for _, c := range append(append([]string(nil), u.Key...), u.KeepOnConflict...) {
		skip[c] = true
	}
	first := true
	for _, c := range u.Columns {
		if skip[c] {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		if keep[c] {
			fmt.Fprintf(&b, "%s = COALESCE(excluded.%s, %s.%s)", c, c, u.Table, c)
		} else {
			fmt.Fprintf(&b, "%s = excluded.%s", c, c)
		}
	}
	return b.String()
}
