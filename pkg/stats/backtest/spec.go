package backtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Spec is the JSON form of a candidate, for callers that take candidates as
// text (the CLI's --candidates, a data source query). Fields by type:
//
//	{"name": "cpu > 90 for 5m", "type": "threshold", "op": "above", "value": 90, "for": "5m"}
//	{"name": "fast burn", "type": "burn_rate", "objective": 99.9, "long": "1h", "short": "5m", "factor": 14.4}
//	{"name": "xmr", "type": "control", "baseline_points": 1440, "rules": ["nelson-1", "nelson-2"]}
//
// Durations are Go durations ("90s", "1h30m") or whole days ("3d"). "for" is
// optional everywhere (default 0: fire at the first sample that holds).
type Spec struct {
	Name string `json:"name"`
	Type string `json:"type"`
	For  string `json:"for,omitempty"`
	// threshold
	Op    string   `json:"op,omitempty"`
	Value *float64 `json:"value,omitempty"`
	// burn_rate
	Objective float64 `json:"objective,omitempty"`
	Long      string  `json:"long,omitempty"`
	Short     string  `json:"short,omitempty"`
	Factor    float64 `json:"factor,omitempty"`
	// control
	BaselinePoints int      `json:"baseline_points,omitempty"`
	Rules          []string `json:"rules,omitempty"`
}

// ParseCandidates reads a JSON array of Specs. Unknown fields are errors (a
// typo must not silently change a candidate); errors name the candidate's
// position and name, and the field.
func ParseCandidates(data []byte) ([]Candidate, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var specs []Spec
	if err := dec.Decode(&specs); err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	if len(specs) == 0 {
		return nil, errors.New("candidates: the list is empty")
	}
	seen := make(map[string]int, len(specs))
	out := make([]Candidate, len(specs))
	for i, sp := range specs {
		c, err := sp.Candidate()
		if err != nil {
			return nil, fmt.Errorf("candidates[%d] %q: %w", i, sp.Name, err)
		}
		if c.Name == "" {
			c.Name = fmt.Sprintf("#%d %s", i+1, c.Condition.Describe())
		}
		if j, dup := seen[c.Name]; dup {
			return nil, fmt.Errorf("candidates[%d]: name %q is already used by candidates[%d]", i, c.Name, j)
		}
		seen[c.Name] = i
		out[i] = c
	}
	return out, nil
}

// Candidate validates the spec and builds the candidate it describes.
func (sp Spec) Candidate() (Candidate, error) {
	c := Candidate{Name: sp.Name}
	var err error
	if sp.For != "" {
		if c.For, err = ParseDuration(sp.For); err != nil {
			return c, fmt.Errorf("field \"for\": %w", err)
		}
		if c.For < 0 {
			return c, fmt.Errorf("field \"for\": %s is negative", sp.For)
		}
	}
	switch sp.Type {
	case "threshold":
		if sp.Value == nil {
			return c, errors.New("field \"value\": missing")
		}
		op := Op(sp.Op)
		if op != Above && op != Below {
			return c, fmt.Errorf("field \"op\": %q: use above or below", sp.Op)
		}
		c.Condition = Threshold{Op: op, Value: *sp.Value}
	case "burn_rate":
		br := BurnRate{Objective: sp.Objective, Factor: sp.Factor}
		if br.Long, err = ParseDuration(sp.Long); err != nil {
			return c, fmt.Errorf("field \"long\": %w", err)
		}
		if br.Short, err = ParseDuration(sp.Short); err != nil {
			return c, fmt.Errorf("field \"short\": %w", err)
		}
		if err := br.validate(); err != nil {
			return c, err
		}
		c.Condition = br
	case "control":
		cl, err := controlFromSpec(sp)
		if err != nil {
			return c, err
		}
		c.Condition = cl
	case "":
		return c, errors.New("field \"type\": missing (threshold, burn_rate or control)")
	default:
		return c, fmt.Errorf("field \"type\": %q: use threshold, burn_rate or control", sp.Type)
	}
	return c, nil
}

var daysPrefix = regexp.MustCompile(`^(\d+)d(.*)$`)

// ParseDuration is time.ParseDuration plus a leading whole-days part ("3d",
// "1d12h"), since SLO windows are written in days.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("missing duration")
	}
	m := daysPrefix.FindStringSubmatch(s)
	if m == nil {
		return time.ParseDuration(s)
	}
	days, err := strconv.Atoi(m[1])
	if err != nil || days > 100000 {
		return 0, fmt.Errorf("duration %q: too many days", s)
	}
	d := time.Duration(days) * 24 * time.Hour
	if m[2] != "" {
		rest, err := time.ParseDuration(m[2])
		if err != nil {
			return 0, fmt.Errorf("duration %q: %w", s, err)
		}
		d += rest
	}
	return d, nil
}
