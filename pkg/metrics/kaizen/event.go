package kaizen

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
)

// Statuses.
const (
	Proposed   = "proposed"
	InProgress = "in-progress"
	Deployed   = "deployed"
	Abandoned  = "abandoned"
)

// Window defaults, in days, for an event that sets none.
const (
	DefaultBaselineDays = 30
	DefaultAfterDays    = 30
	DefaultSettlingDays = 0
)

const day = 24 * time.Hour

// Event is one kaizen event. Field names follow the event record
// (ingest.KaizenEventKind), so what GET returns can be sent back.
type Event struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Owner       string `json:"owner"`
	Description string `json:"description"`
	// Hypothesis is the free text of what should happen and why.
	Hypothesis string `json:"hypothesis"`
	// Target is the query of the metric the event should move, as stored
	// (normalized: an explicit bucket, no refId or format).
	Target json.RawMessage `json:"target"`
	// Better is the target metric's better direction (lower or higher): the
	// catalog's, else the event's expected direction. Verdicts are judged by it.
	Better string `json:"better"`
	// ExpectedDirection and ExpectedChangePct are the hypothesis' size: the
	// metric should move this way by this percentage of the baseline median.
	ExpectedDirection string     `json:"expected_direction"`
	ExpectedChangePct *float64   `json:"expected_change_pct"`
	ProposedAt        time.Time  `json:"proposed_at"`
	DeployedAt        *time.Time `json:"deployed_at"`
	// ReviewDays are days after DeployedAt; ReviewDates are those dates (empty
	// until deployed).
	ReviewDays   []int       `json:"review_days"`
	ReviewDates  []time.Time `json:"review_dates"`
	BaselineDays float64     `json:"baseline_days"`
	AfterDays    float64     `json:"after_days"`
	SettlingDays float64     `json:"settling_days"`
	Status       string      `json:"status"`
	ArchivedAt   *time.Time  `json:"archived_at"`
	// Revision counts the event's writes; an edit naming an older base_revision is refused.
	Revision  int       `json:"revision"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	ChangedBy string    `json:"changed_by"`
}

// fromRecord builds an event from a validated record; the target, better direction
// and bookkeeping fields are set by the caller.
func fromRecord(rec ingest.Record, now time.Time) Event {
	e := Event{
		ID:                rec["id"].(string),
		Name:              strings.TrimSpace(rec["name"].(string)),
		Owner:             strings.TrimSpace(rec["owner"].(string)),
		Description:       rec["description"].(string),
		Hypothesis:        rec["hypothesis"].(string),
		ExpectedDirection: rec["expected_direction"].(string),
		ExpectedChangePct: optFloat(rec["expected_change_pct"]),
		Status:            rec["status"].(string),
		BaselineDays:      floatOr(rec["baseline_days"], DefaultBaselineDays),
		AfterDays:         floatOr(rec["after_days"], DefaultAfterDays),
		SettlingDays:      floatOr(rec["settling_days"], DefaultSettlingDays),
	}
	// Checked by the kind already.
	e.ReviewDays, _ = ingest.ParseReviewDays(rec["review_days"].(string))
	e.ProposedAt = now.UTC()
	if ms, ok := rec.Time("proposed_at"); ok {
		e.ProposedAt = time.UnixMilli(ms).UTC()
	}
	if ms, ok := rec.Time("deployed_at"); ok {
		t := time.UnixMilli(ms).UTC()
		e.DeployedAt = &t
		if e.ProposedAt.After(t) {
			// proposed_at defaults to now, which may be after a deployment being backfilled.
			e.ProposedAt = t
		}
	}
	if e.Status == "" {
		e.Status = Proposed
		if e.DeployedAt != nil {
			e.Status = Deployed
		}
	}
	return e
}

func optFloat(v any) *float64 {
	f, ok := v.(float64)
	if !ok {
		return nil
	}
	return &f
}

func floatOr(v any, def float64) float64 {
	if f, ok := v.(float64); ok {
		return f
	}
	return def
}

// fillReviewDates computes the review dates from the deployment.
func (e *Event) fillReviewDates() {
	e.ReviewDates = []time.Time{}
	if e.DeployedAt == nil {
		return
	}
	for _, d := range e.ReviewDays {
		e.ReviewDates = append(e.ReviewDates, e.DeployedAt.Add(time.Duration(d)*day))
	}
}

// sameContent says whether an edit changes nothing, so re-sending an event does not
// count as a revision.
func sameContent(a, b Event) bool {
	return a.Name == b.Name && a.Owner == b.Owner && a.Description == b.Description && a.Hypothesis == b.Hypothesis &&
		string(a.Target) == string(b.Target) && a.Better == b.Better && a.ExpectedDirection == b.ExpectedDirection &&
		eqOpt(a.ExpectedChangePct, b.ExpectedChangePct) && a.ProposedAt.Equal(b.ProposedAt) && eqTime(a.DeployedAt, b.DeployedAt) &&
		ingest.FormatReviewDays(a.ReviewDays) == ingest.FormatReviewDays(b.ReviewDays) && a.BaselineDays == b.BaselineDays &&
		a.AfterDays == b.AfterDays && a.SettlingDays == b.SettlingDays && a.Status == b.Status
}

func eqOpt(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func eqTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// TargetQuery decodes the stored target.
func (e Event) TargetQuery() (models.Query, error) {
	return models.ParseQuery(e.Target)
}

// days turns a number of days into a duration.
func days(d float64) time.Duration { return time.Duration(d * float64(day)) }
