package kpi

import (
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
)

// Definition is one version of a KPI definition. Field names follow the definition
// record (pkg/ingest.KPIDefinitionKind), so what GET returns can be sent back.
type Definition struct {
	ID        string  `json:"id"`
	Version   int     `json:"version"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Direction string  `json:"direction"` // higher | lower (is better)
	Target    float64 `json:"target"`
	// Warning and Critical are reached when the value gets to them from the good side.
	Warning     *float64 `json:"warning"`
	Critical    *float64 `json:"critical"`
	Indicator   string   `json:"indicator"` // leading | lagging | ""
	Owner       string   `json:"owner"`
	Description string   `json:"description"`
	CostPerUnit *float64 `json:"cost_per_unit"`
	Currency    string   `json:"currency"`
	// Service, when set, makes CostPerUnit that service's cost per minute of customer impact.
	Service       string    `json:"service"`
	Status        string    `json:"status"` // active | retired
	EffectiveFrom time.Time `json:"effective_from"`
	CreatedAt     time.Time `json:"created_at"`
	ChangedBy     string    `json:"changed_by"`
}

// Statuses.
const (
	Active  = "active"
	Retired = "retired"
)

// fromRecord builds a definition from a validated record; versioning fields are set by the caller.
func fromRecord(rec ingest.Record) Definition {
	d := Definition{
		ID:          rec["id"].(string),
		Name:        strings.TrimSpace(rec["name"].(string)),
		Unit:        strings.TrimSpace(rec["unit"].(string)),
		Direction:   rec["direction"].(string),
		Target:      rec["target"].(float64),
		Warning:     optFloat(rec["warning"]),
		Critical:    optFloat(rec["critical"]),
		Indicator:   rec["indicator"].(string),
		Owner:       strings.TrimSpace(rec["owner"].(string)),
		Description: rec["description"].(string),
		CostPerUnit: optFloat(rec["cost_per_unit"]),
		Currency:    strings.ToUpper(rec["currency"].(string)),
		Service:     strings.TrimSpace(rec["service"].(string)),
		Status:      rec["status"].(string),
	}
	return d
}

func optFloat(v any) *float64 {
	f, ok := v.(float64)
	if !ok {
		return nil
	}
	return &f
}

// sameContent says whether two versions define the KPI identically (versioning fields aside),
// so re-sending an unchanged definition does not add a version.
func sameContent(a, b Definition) bool {
	return a.Name == b.Name && a.Unit == b.Unit && a.Direction == b.Direction && a.Target == b.Target &&
		eqOpt(a.Warning, b.Warning) && eqOpt(a.Critical, b.Critical) && a.Indicator == b.Indicator &&
		a.Owner == b.Owner && a.Description == b.Description && eqOpt(a.CostPerUnit, b.CostPerUnit) &&
		a.Currency == b.Currency && a.Service == b.Service && a.Status == b.Status
}

func eqOpt(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// history is every version of one KPI, by ascending version (and so ascending effective_from).
type history []Definition

// current is the latest version: what lists show and what edits start from.
func (h history) current() Definition { return h[len(h)-1] }

// at returns the version in force at t (Unix ms): the highest version whose effective_from
// is at or before t. Version 1 also covers times before it, so every sample is judged.
func (h history) at(ms int64) Definition {
	for i := len(h) - 1; i > 0; i-- {
		if h[i].EffectiveFrom.UnixMilli() <= ms {
			return h[i]
		}
	}
	return h[0]
}

// currencyUnit is the Grafana unit of an amount in the currency (ISO 4217).
func currencyUnit(code string) string {
	switch code {
	case "":
		return "short"
	case "USD", "GBP", "EUR", "JPY", "RUB", "UAH", "BRL", "DKK", "ISK", "NOK", "SEK", "CZK", "CHF", "PLN", "ZAR", "INR", "KRW", "IDR", "PHP", "VND", "TRY", "MYR", "XPF", "BGN", "PYG", "UYU", "ILS":
		return "currency" + code
	}
	return "suffix: " + code
}
