package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// healthDetails is the JSON detail Grafana shows under the health message.
type healthDetails struct {
	Store         string           `json:"store"`
	SchemaVersion int              `json:"schemaVersion"`
	Counts        map[string]int64 `json:"counts"`
}

// CheckHealth reports whether the store answers, its schema version and event counts.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	fail := func(what string, err error) *backend.CheckHealthResult {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: fmt.Sprintf("%s: %s: %v", d.store.Describe(), what, err)}
	}
	if err := d.store.Ping(ctx); err != nil {
		// After a database restart the pool can still hold connections the server
		// closed; using them discards them, so one more try tells a dead server
		// from a stale pool.
		if err = d.store.Ping(ctx); err != nil {
			return fail("store unreachable", err), nil
		}
	}
	version, err := d.store.SchemaVersion(ctx)
	if err != nil {
		return fail("reading the schema version", err), nil
	}
	counts, err := d.store.Counts(ctx)
	if err != nil {
		return fail("counting events", err), nil
	}
	if err := d.store.CheckWritable(ctx); err != nil {
		return fail("store is not writable", err), nil
	}
	promStatus, err := d.prometheusHealth(ctx)
	if err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: fmt.Sprintf("%v (the store answers: %s)", err, d.store.Describe())}, nil
	}
	details, _ := json.Marshal(healthDetails{Store: d.store.Describe(), SchemaVersion: version, Counts: counts})
	return &backend.CheckHealthResult{
		Status:      backend.HealthStatusOk,
		Message:     fmt.Sprintf("%s, schema version %d: %s", d.store.Describe(), version, countsText(counts)) + promStatus,
		JSONDetails: details,
	}, nil
}

func countsText(counts map[string]int64) string {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%d %s", counts[n], n)
	}
	return strings.Join(parts, ", ")
}
