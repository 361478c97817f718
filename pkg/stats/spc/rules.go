package spc

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Rule is a run-rule or limit-rule id.
type Rule string

const (
	Nelson1    Rule = "nelson-1" // 1 point beyond the limits
	Nelson2    Rule = "nelson-2" // 9 in a row on one side of the center
	Nelson3    Rule = "nelson-3" // 6 in a row steadily increasing or decreasing
	Nelson4    Rule = "nelson-4" // 14 in a row alternating up and down
	Nelson5    Rule = "nelson-5" // 2 of 3 beyond 2 sigma, same side
	Nelson6    Rule = "nelson-6" // 4 of 5 beyond 1 sigma, same side
	Nelson7    Rule = "nelson-7" // 15 in a row within 1 sigma
	Nelson8    Rule = "nelson-8" // 8 in a row beyond 1 sigma, either side
	WE1        Rule = "we-1"     // = nelson-1
	WE2        Rule = "we-2"     // = nelson-5
	WE3        Rule = "we-3"     // = nelson-6
	WE4        Rule = "we-4"     // 8 in a row on one side
	EWMALimit  Rule = "ewma-limit"
	CUSUMUpper Rule = "cusum-upper"
	CUSUMLower Rule = "cusum-lower"
)

// ruleOrder is the canonical order; a rule's bit in RuleSet is its position.
var ruleOrder = []Rule{Nelson1, Nelson2, Nelson3, Nelson4, Nelson5, Nelson6, Nelson7, Nelson8,
	WE1, WE2, WE3, WE4, EWMALimit, CUSUMUpper, CUSUMLower}

// RuleGroups are the names accepted for several rules at once.
var RuleGroups = map[string][]Rule{
	"nelson":          ruleOrder[0:8],
	"westernelectric": ruleOrder[8:12],
}

// RuleSet is a set of rules, iterated in canonical order.
type RuleSet uint16

// Bits in ruleOrder order.
const (
	bN1 RuleSet = 1 << iota
	bN2
	bN3
	bN4
	bN5
	bN6
	bN7
	bN8
	bWE1
	bWE2
	bWE3
	bWE4
	bEWMA
	bCUp
	bCLo
)

func bit(r Rule) RuleSet {
	for i, k := range ruleOrder {
		if k == r {
			return 1 << i
		}
	}
	return 0
}

// Has reports whether r is in the set.
func (s RuleSet) Has(r Rule) bool { return s&bit(r) != 0 }

// Rules lists the set in canonical order.
func (s RuleSet) Rules() []Rule {
	var out []Rule
	for i, r := range ruleOrder {
		if s&(1<<i) != 0 {
			out = append(out, r)
		}
	}
	return out
}

// String joins the ids with commas ("" when empty), e.g. for a frame field.
func (s RuleSet) String() string {
	var b strings.Builder
	for _, r := range s.Rules() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(r))
	}
	return b.String()
}

// MarshalJSON writes the ids as a list, [] when empty.
func (s RuleSet) MarshalJSON() ([]byte, error) {
	rs := s.Rules()
	if rs == nil {
		rs = []Rule{}
	}
	return json.Marshal(rs)
}

// ParseRules turns ids and group names (case and surrounding space ignored)
// into a set. Only run rules are selectable; ewma/cusum limits always apply.
func ParseRules(names []string) (RuleSet, error) {
	var s RuleSet
	for _, raw := range names {
		name := strings.ToLower(strings.TrimSpace(raw))
		if g, ok := RuleGroups[name]; ok {
			for _, r := range g {
				s |= bit(r)
			}
			continue
		}
		b := bit(Rule(name))
		if b == 0 || b > bit(WE4) {
			return 0, &Error{Field: "rules", Msg: fmt.Sprintf("unknown rule %q (known: nelson-1..nelson-8, we-1..we-4, groups nelson, westernelectric)", raw)}
		}
		s |= b
	}
	return s, nil
}
