package slo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/query"
)

// Definition is one SLO (an SLA when SLA is set), as the /slos resource API takes
// and returns it. Field names follow the stored record, like ingest records.
type Definition struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Service     string `json:"service"`
	Team        string `json:"team"`
	Description string `json:"description"`
	// Objective is a percentage of good events, e.g. 99.9; 100 allows no bad event.
	Objective float64 `json:"objective"`
	// Window is a rolling window ("30d", "28d", "7d"); Calendar replaces it with
	// calendar periods (week, month, quarter; UTC). Neither: 30d rolling.
	Window   string `json:"window,omitempty"`
	Calendar string `json:"calendar,omitempty"`
	// SLI is "counts" (good/total samples of kind sli) or "incidents" (good time =
	// time outside the service's incidents; for availability SLOs).
	SLI       string            `json:"sli"`
	Incidents *IncidentSLI      `json:"incidents,omitempty"`
	SLA       *SLA              `json:"sla,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`

	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	RetiredAt *time.Time `json:"retired_at,omitempty"`
	// LastSampleAt is the start of the newest SLI sample (counts SLOs; read only).
	LastSampleAt *time.Time `json:"last_sample_at,omitempty"`

	window time.Duration // parsed Window, 0 for calendar SLOs
}

// IncidentSLI selects the incidents that count as downtime of the SLO's service.
type IncidentSLI struct {
	// Severities that count; empty: every incident of the service.
	Severities []string `json:"severities,omitempty"`
	// End of downtime: "resolved" (default) or "mitigated" (falls back to resolved).
	End string `json:"end,omitempty"`
}

// SLA makes the SLO a contract: compliance per calendar period, credits owed below tiers.
type SLA struct {
	// Period is "month" or "quarter" (UTC).
	Period string        `json:"period"`
	Tiers  []PenaltyTier `json:"tiers,omitempty"`
	// ContractValue is what the customer pays per period; credits are shares of it.
	ContractValue float64 `json:"contract_value,omitempty"`
	Currency      string  `json:"currency,omitempty"`
	// PenaltyPerBreach is a fixed amount owed for each period that ends below the objective.
	PenaltyPerBreach float64 `json:"penalty_per_breach,omitempty"`
}

// PenaltyTier: a period whose compliance is below Below (percent) owes Credit
// percent of the contract value. The lowest tier a period falls under applies.
type PenaltyTier struct {
	Below  float64 `json:"below"`
	Credit float64 `json:"credit"`
}

// Window limits: shorter windows are burn-rate windows, longer ones outlive their data.
const (
	minWindow = time.Hour
	maxWindow = 366 * 24 * time.Hour
	// maxTextBytes bounds names and descriptions.
	maxTextBytes = 2 << 10
)

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// DecodeDefinition reads a definition's JSON strictly: an unknown field is a typo
// (e.g. "objetive") that would otherwise silently fall back to a default.
func DecodeDefinition(body []byte) (Definition, error) {
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return Definition{}, fmt.Errorf("SLO definition JSON: %w", err)
	}
	if dec.More() {
		return Definition{}, fmt.Errorf("SLO definition JSON: unexpected data after the object")
	}
	return d, nil
}

// Normalize fills defaults and validates, naming the field at fault.
func (d *Definition) Normalize() error {
	d.ID = strings.TrimSpace(d.ID)
	d.Name = strings.TrimSpace(d.Name)
	d.Service = strings.TrimSpace(d.Service)
	d.Team = strings.TrimSpace(d.Team)
	if !ingest.SLOIDPattern.MatchString(d.ID) {
		return fmt.Errorf("id %q: use letters, digits, '.', '_', ':' or '-' (at most 100, starting with a letter or digit), e.g. checkout-availability", d.ID)
	}
	if d.Name == "" {
		d.Name = d.ID
	}
	for field, v := range map[string]string{"name": d.Name, "service": d.Service, "team": d.Team, "description": d.Description} {
		if len(v) > maxTextBytes || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return fmt.Errorf("%s: must be valid UTF-8 text of at most %d bytes", field, maxTextBytes)
		}
	}
	if err := validateObjective(d.Objective); err != nil {
		return err
	}
	if err := d.normalizeWindow(); err != nil {
		return err
	}
	if d.SLI == "" {
		d.SLI = SourceCounts
	}
	switch d.SLI {
	case SourceCounts:
		if d.Incidents != nil {
			return fmt.Errorf("incidents: only for sli \"incidents\"; this SLO's SLI is %q", d.SLI)
		}
	case SourceIncidents:
		if d.Service == "" {
			return fmt.Errorf("service: required for sli \"incidents\" (downtime is the service's incidents)")
		}
		if d.Incidents == nil {
			d.Incidents = &IncidentSLI{}
		}
		if d.Incidents.End == "" {
			d.Incidents.End = "resolved"
		}
		if d.Incidents.End != "resolved" && d.Incidents.End != "mitigated" {
			return unknown("incidents.end", d.Incidents.End, []string{"resolved", "mitigated"})
		}
	default:
		return unknown("sli", d.SLI, []string{SourceCounts, SourceIncidents})
	}
	if d.SLA != nil {
		if err := d.SLA.validate(d.Objective); err != nil {
			return err
		}
	}
	if len(d.Labels) > 64 {
		return fmt.Errorf("labels: %d labels, more than the 64 allowed", len(d.Labels))
	}
	return nil
}

func validateObjective(o float64) error {
	switch {
	case math.IsNaN(o) || o <= 0 || o > 100:
		return fmt.Errorf("objective %v: give the percentage of good events, above 0 and at most 100, e.g. 99.9", o)
	case o < 1:
		return fmt.Errorf("objective %v looks like a ratio; give a percentage such as %v", o, o*100)
	}
	return nil
}

func (d *Definition) normalizeWindow() error {
	d.Window = strings.TrimSpace(d.Window)
	d.Calendar = strings.ToLower(strings.TrimSpace(d.Calendar))
	switch {
	case d.Window != "" && d.Calendar != "":
		return fmt.Errorf("window %q and calendar %q: give one, a rolling window or a calendar period", d.Window, d.Calendar)
	case d.Calendar != "":
		if !slices.Contains([]string{Week, Month, Quarter}, d.Calendar) {
			return unknown("calendar", d.Calendar, []string{Week, Month, Quarter})
		}
		d.window = 0
		return nil
	case d.Window == "":
		d.Window = "30d"
	}
	w, err := query.ParseDuration(d.Window)
	if err != nil {
		return fmt.Errorf("window: %w", err)
	}
	if w < minWindow || w > maxWindow || w%time.Minute != 0 {
		return fmt.Errorf("window %q: give whole minutes between 1h and 366d (e.g. 30d, 28d, 7d)", d.Window)
	}
	d.window = w
	d.Window = FormatWindow(w)
	return nil
}

func (s *SLA) validate(objective float64) error {
	s.Period = strings.ToLower(strings.TrimSpace(s.Period))
	s.Currency = strings.ToUpper(strings.TrimSpace(s.Currency))
	if s.Period != Month && s.Period != Quarter {
		return unknown("sla.period", s.Period, []string{Month, Quarter})
	}
	if s.Currency != "" && !currencyPattern.MatchString(s.Currency) {
		return fmt.Errorf("sla.currency %q: give an ISO 4217 code such as USD or EUR", s.Currency)
	}
	if math.IsNaN(s.ContractValue) || math.IsInf(s.ContractValue, 0) || s.ContractValue < 0 {
		return fmt.Errorf("sla.contract_value %v: must be a finite amount, 0 or more", s.ContractValue)
	}
	if math.IsNaN(s.PenaltyPerBreach) || math.IsInf(s.PenaltyPerBreach, 0) || s.PenaltyPerBreach < 0 {
		return fmt.Errorf("sla.penalty_per_breach %v: must be a finite amount, 0 or more", s.PenaltyPerBreach)
	}
	if len(s.Tiers) > 0 && !(s.ContractValue > 0) {
		return fmt.Errorf("sla.contract_value: required with penalty tiers (credits are shares of it)")
	}
	slices.SortFunc(s.Tiers, func(a, b PenaltyTier) int { return -cmpFloat(a.Below, b.Below) })
	for i, t := range s.Tiers {
		name := fmt.Sprintf("sla.tiers[%d]", i)
		switch {
		case math.IsNaN(t.Below) || t.Below <= 0 || t.Below > 100:
			return fmt.Errorf("%s.below %v: give a compliance percentage above 0 and at most 100", name, t.Below)
		case t.Below > objective:
			return fmt.Errorf("%s.below %v is above the objective %v: a period that meets its objective would owe a credit", name, t.Below, objective)
		case math.IsNaN(t.Credit) || t.Credit <= 0 || t.Credit > 100:
			return fmt.Errorf("%s.credit %v: give a percentage of the contract value above 0 and at most 100", name, t.Credit)
		case i > 0 && t.Below == s.Tiers[i-1].Below:
			return fmt.Errorf("%s.below %v is given twice", name, t.Below)
		case i > 0 && t.Credit <= s.Tiers[i-1].Credit:
			return fmt.Errorf("%s: below %v credits %v%%, not more than the %v%% below %v; lower compliance must owe more", name, t.Below, t.Credit, s.Tiers[i-1].Credit, s.Tiers[i-1].Below)
		}
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FormatWindow writes a window the way people write it: "30d", "6h", "5m".
func FormatWindow(w time.Duration) string {
	switch {
	case w%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(w/(24*time.Hour)), 10) + "d"
	case w%time.Hour == 0:
		return strconv.FormatInt(int64(w/time.Hour), 10) + "h"
	case w%time.Minute == 0:
		return strconv.FormatInt(int64(w/time.Minute), 10) + "m"
	}
	return w.String()
}

// WindowText is how the SLO's window reads in frames and lists: "30d" or "calendar month".
func (d *Definition) WindowText() string {
	if d.Calendar != "" {
		return "calendar " + d.Calendar
	}
	return d.Window
}

// budget is the share of events allowed to be bad.
func (d *Definition) budget() float64 { return budgetFraction(d.Objective) }
