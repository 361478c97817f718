package ingest

import (
	"context"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// WebhookResult is an ingest result plus what a sender's event was not stored for and
// why (a deployment still running, an event type that carries no deployment): the
// sender gets 200, since re-sending would not change the answer.
type WebhookResult struct {
	Result
	Ignored []string `json:"ignored,omitempty"`
}

// ingestDeploymentRecords validates raw deployment records built from a webhook and
// upserts them in one transaction. A commit time the provider does not send (GitLab
// never does) keeps what a bulk ingest recorded for the same source and id, so a CI
// step can supply it before or after the webhook arrives.
func ingestDeploymentRecords(ctx context.Context, st store.Store, raws []map[string]any, now time.Time) (Result, error) {
	kind := deploymentKind()
	res := Result{Kind: kind.Name, Rejected: []Rejected{}}
	up := store.Upsert{
		Table: kind.Table, Columns: kind.Columns(), Key: kind.Key,
		KeepWhenNull: []string{"commit_at"},
	}
	var rows [][]any
	seen := map[string]int{}
	for i, raw := range raws {
		id, _ := raw["id"].(string)
		rec, fe := kind.convert(rawRecord{fields: raw}, now, map[string]bool{})
		if fe != nil {
			res.Rejected = append(res.Rejected, Rejected{Position: i + 1, ID: id, Field: fe.Field, Reason: fe.Error()})
			continue
		}
		row := make([]any, 0, len(kind.Fields)+1)
		for _, f := range kind.Fields {
			row = append(row, rec[f.Name])
		}
		row = append(row, now.UnixMilli())
		key := rec["source"].(string) + "\x00" + rec["id"].(string)
		if j, dup := seen[key]; dup {
			rows[j] = row
			res.Superseded++
			continue
		}
		seen[key] = len(rows)
		rows = append(rows, row)
	}
	err := st.WithTx(ctx, func(tx store.Tx) error {
		if err := kind.write(ctx, tx, st.Dialect(), up, rows); err != nil {
			return err
		}
		return kind.afterWrite(ctx, tx, now.UnixMilli())
	})
	if err != nil {
		return Result{}, err
	}
	res.Stored = len(rows)
	return res, nil
}

// WebhookDefaults fill what a provider's payload does not say, from the webhook URL
// (…/webhooks/github?team=payments&service=checkout).
type WebhookDefaults struct {
	Service string
	Team    string
}
