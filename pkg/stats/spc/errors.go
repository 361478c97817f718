package spc

import "fmt"

// Error names what was wrong: Field is "values[3]", "sizes", "subgroup",
// "rules", "lambda", "baseline", "frozen.sigma", ...
type Error struct {
	Field string
	Msg   string
}

func (e *Error) Error() string { return e.Field + ": " + e.Msg }

// InData reports whether the data (values, sizes, times) was at fault rather
// than an option.
func (e *Error) InData() bool {
	for _, p := range []string{"values", "sizes", "times"} {
		if len(e.Field) >= len(p) && e.Field[:len(p)] == p {
			return true
		}
	}
	return false
}

func errf(field, format string, args ...any) error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}
