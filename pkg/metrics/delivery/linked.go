package delivery

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/query"
)

// linkBatch bounds the ids one lookup statement carries.
const linkBatch = 2000

// unindexed are the delivery dimensions written so no index serves them (x concatenated with an empty string):
// the lookup below must go through deployments_id, and without statistics SQLite
// would rather scan the (environment, deployed_at) index for every id.
var unindexed = func() query.Dimensions {
	d := query.Dimensions{}
	for name, col := range dimensions {
		d[name] = "(" + col + " || '')"
	}
	return d
}()

// linked calls fn once per deployment in the query's range and filters whose status
// is success but that an incident names, with its bucket, group and the extra columns.
// It starts from the incidents' distinct references, which are few, and looks the
// deployments up by id, so it costs per named deployment, not per deployment.
func (p plan) linked(ctx context.Context, extra []string, fn func(bucket int64, group []string, vals []sql.NullFloat64)) error {
	refs, err := incidentRefs(ctx, p)
	if err != nil || len(refs) == 0 {
		return err
	}
	// A reference is an id, or "source:id": look up both readings.
	idSet := map[string]bool{}
	for r := range refs {
		idSet[r] = true
		if i := strings.IndexByte(r, ':'); i > 0 {
			idSet[r[i+1:]] = true
		}
	}
	ids := make([]string, 0, len(idSet))
	for id := range idSet {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	cols := append([]string{"d.source", "d.id", p.bucketSQL()}, p.groupCols...)
	cols = append(cols, extra...)
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += linkBatch {
		batch := ids[start:min(start+linkBatch, len(ids))]
		w := &query.Where{}
		w.Add("d.deployed_at + 0 >= ?", p.env.From.UnixMilli())
		w.Add("d.deployed_at + 0 < ?", p.env.To.UnixMilli())
		w.Add("d.status = 'success'")
		if err := w.Filters(unindexed, p.filters); err != nil {
			return err
		}
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		w.Add("d.id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(batch)), ", ")+")", args...)
		if err := p.scanLinked(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM deployments d"+w.SQL(), w.Args(), len(extra), func(source, id string, bucket int64, group []string, vals []sql.NullFloat64) {
			key := source + "\x00" + id
			// Named by id or as source:id, by one incident or several: counted once.
			if (refs[id] || refs[source+":"+id]) && !seen[key] {
				seen[key] = true
				fn(bucket, group, vals)
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func (p plan) scanLinked(ctx context.Context, sqlText string, args []any, nExtra int, fn func(source, id string, bucket int64, group []string, vals []sql.NullFloat64)) error {
	rows, err := p.env.Store.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fmt.Errorf("querying deployments named by incidents: %w", err)
	}
	defer rows.Close()
	var source, id string
	var bucket int64
	group := make([]string, len(p.groupCols))
	vals := make([]sql.NullFloat64, nExtra)
	dest := []any{&source, &id, &bucket}
	for i := range group {
		dest = append(dest, &group[i])
	}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading deployments named by incidents: %w", err)
		}
		fn(source, id, bucket, group, vals)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading deployments named by incidents: %w", err)
	}
	return nil
}

// causeSlack is how long before a deployment finished an incident it caused may have
// started: impact can begin while a rollout is still under way.
const causeSlack = 24 * time.Hour

// incidentRefs returns the deployment references (caused_by_deployment) of incidents
// that could name a deployment of the range: those started after its start, less the slack.
func incidentRefs(ctx context.Context, p plan) (map[string]bool, error) {
	rows, err := p.env.Store.QueryContext(ctx, `SELECT DISTINCT caused_by_deployment FROM incidents WHERE caused_by_deployment <> '' AND started_at >= $1`,
		p.env.From.Add(-causeSlack).UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("querying incidents' deployment references: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("reading incidents' deployment references: %w", err)
		}
		out[r] = true
	}
	return out, rows.Err()
}
