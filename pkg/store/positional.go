package store

import (
	"database/sql"
	"strings"
)

// Positional rewrites a statement's numbered placeholders ($1, $2, ...) as positional
// ones (?), with the arguments in the order their placeholders appear: a placeholder
// used twice takes its value twice. SQLite looks a numbered or named parameter up by
// name, linearly, once per parameter and again when binding, so a statement with
// hundreds of them (an IN list of every SLO) spent a quarter of its time there; "?"
// binds by position. Placeholders inside quoted text and comments are left alone. It
// returns the statement unchanged when there is nothing to rewrite or it cannot be
// sure: no numbered placeholder, a "?" already present, a number with no argument,
// or named arguments.
func Positional(query string, args []any) (string, []any) {
	if !strings.Contains(query, "$") {
		return query, args
	}
	for _, a := range args {
		if _, named := a.(sql.NamedArg); named {
			return query, args
		}
	}
	var b strings.Builder
	b.Grow(len(query))
	out := make([]any, 0, len(args))
	rewrote := false
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			end := closing(query, i+1, c)
			b.WriteString(query[i:end])
			i = end
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				return query, args
			}
			b.WriteString(query[i : i+2+end+2])
			i += 2 + end + 2
		case c == '?':
			return query, args // already positional (or mixed): leave it to the driver
		case c == '$':
			j := i + 1
			n := 0
			for j < len(query) && query[j] >= '0' && query[j] <= '9' && n <= len(args) {
				n = n*10 + int(query[j]-'0')
				j++
			}
			if j == i+1 { // "$" not followed by a number: not ours to touch
				b.WriteByte(c)
				i++
				continue
			}
			if n < 1 || n > len(args) {
				return query, args
			}
			b.WriteByte('?')
			out = append(out, args[n-1])
			rewrote = true
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	if !rewrote {
		return query, args
	}
	return b.String(), out
}

// closing returns the index just past the quote q that closes text started before
// from; a doubled quote is an escaped one. Unclosed text runs to the end.
func closing(s string, from int, q byte) int {
	for i := from; i < len(s); i++ {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}
