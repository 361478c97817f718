package kaizen

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
)

// DefaultTargetBucket is the bucket of a target that sets none (or "auto"): one
// point per day is what before/after windows of weeks are measured in.
const DefaultTargetBucket = "1d"

// notTargets are query types whose output is not a metric an event can move.
var notTargets = map[string]string{
	models.QueryTypeKaizen:      "kaizen queries describe events; target the metric the event should move",
	models.QueryTypeSPC:         "a control chart is drawn over a metric; target the metric itself (its spc.source)",
	models.QueryTypeAnnotations: "annotations are not a metric",
}

// checkedTarget is a target query that ran: stored normalized, with its better direction.
type checkedTarget struct {
	query  models.Query
	json   json.RawMessage
	better string
	name   string
}

// checkTarget normalizes the record's target (explicit bucket, no refId or format),
// refuses what cannot be one series over time, runs it once over the last day so the
// engine names any other mistake, and resolves the metric's better direction: the
// catalog's, else the event's expected_direction.
func (d Deps) checkTarget(ctx context.Context, st store.Store, text, expected string, now time.Time) (checkedTarget, error) {
	q, err := models.ParseQuery([]byte(text))
	if err != nil {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: err.Error()}
	}
	q.RefID, q.Format = "", ""
	if why, bad := notTargets[q.QueryType]; bad {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: fmt.Sprintf("is a %s query: %s", q.QueryType, why)}
	}
	if len(q.GroupBy) > 0 {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: fmt.Sprintf("groups by %s; an event targets one series: filter to the group instead (e.g. \"filters\":{\"%s\":[\"checkout\"]})",
			strings.Join(q.GroupBy, ", "), q.GroupBy[0])}
	}
	switch strings.TrimSpace(q.Bucket) {
	case "", "auto":
		q.Bucket = DefaultTargetBucket
	case "none":
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: "has bucket none, one value per window; before and after are compared point by point: use a bucket such as 1d"}
	}
	w, err := query.ParseDuration(q.Bucket)
	if err != nil {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: "bucket: " + err.Error()}
	}
	if d.Series == nil {
		return checkedTarget{}, errors.New("kaizen: no series engine to check the target with")
	}
	env := query.Env{Store: st, From: now.Add(-w), To: now, Now: now}
	res, err := d.Series(ctx, env, q)
	if err != nil {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: fmt.Sprintf("the %s query fails: %v", q.QueryType, err)}
	}
	if !res.Bucketed {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: "gives one value, not a series over time: use a bucket such as 1d"}
	}
	if len(res.Series) > 1 {
		return checkedTarget{}, &ingest.FieldError{Field: "target", Reason: fmt.Sprintf("gives %d series; an event targets one: narrow the query with filters", len(res.Series))}
	}
	better := d.direction(q)
	if better == "" {
		better, err = kpiDirection(ctx, st, q)
		if err != nil {
			return checkedTarget{}, err
		}
	}
	if better == "" {
		better = expected
	}
	if better == "" {
		return checkedTarget{}, &ingest.FieldError{Field: "expected_direction", Reason: fmt.Sprintf("is required: the catalog does not say which way %s %s improves, so say whether lower or higher is better", q.QueryType, q.Metric)}
	}
	raw, err := json.Marshal(q)
	if err != nil {
		return checkedTarget{}, fmt.Errorf("encoding the target: %w", err)
	}
	return checkedTarget{query: q, json: raw, better: better, name: res.Name}, nil
}

// direction is the catalog's better direction for the target's metric, or "".
func (d Deps) direction(q models.Query) string {
	if d.Catalog == nil {
		return ""
	}
	for _, e := range d.Catalog() {
		if e.QueryType == q.QueryType && e.Metric == q.Metric {
			return e.Direction
		}
	}
	return ""
}

// kpiDirection is the better direction a KPI's own definition states (its latest
// version), for a target on one KPI's values: the catalog cannot know it, and the
// definition's owner already said it.
func kpiDirection(ctx context.Context, st store.Store, q models.Query) (string, error) {
	if q.QueryType != models.QueryTypeKPI || q.Metric != "value" || q.KPI == nil || len(q.KPI.KPIs) != 1 {
		return "", nil
	}
	var dir string
	err := st.QueryRowContext(ctx, "SELECT direction FROM kpi_definitions WHERE id = "+st.Dialect().Placeholder(1)+" ORDER BY version DESC LIMIT 1", q.KPI.KPIs[0]).Scan(&dir)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading KPI %s's direction: %w", q.KPI.KPIs[0], err)
	}
	if dir != "lower" && dir != "higher" {
		return "", nil
	}
	return dir, nil
}
