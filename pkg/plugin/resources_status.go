package plugin

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
)

// statusScanRows is the most rows MAX(ingested_at) may scan on a table without an
// index on ingested_at; above it the last ingest is "not tracked" so the setup page
// stays cheap on a store with millions of events (BenchmarkStatus: a 100,000-row scan
// takes 35 to 85 ms on SQLite on 2 busy cores, where COUNT(*) takes 0.2 ms).
const statusScanRows = 100_000

// statusResponse is GET status: what the app's setup and import pages show.
type statusResponse struct {
	Store          string       `json:"store"`
	StoreType      string       `json:"storeType"`
	SchemaVersion  int          `json:"schemaVersion"`
	MaxIngestBytes int64        `json:"maxIngestBytes"`
	Settings       statusConfig `json:"settings"`
	Kinds          []kindStatus `json:"kinds"`
}

// statusConfig says which optional settings are filled in, never their secrets.
type statusConfig struct {
	Postgres    bool `json:"postgres"`
	Prometheus  bool `json:"prometheus"`
	IngestToken bool `json:"ingestToken"`
}

// kindStatus is one ingest kind: what it accepts, how many rows it holds and when it
// was last written.
type kindStatus struct {
	Kind   string        `json:"kind"`
	Table  string        `json:"table"`
	Key    []string      `json:"key"`
	Fields []fieldStatus `json:"fields"`
	Count  int64         `json:"count"`
	// LastIngestAt is the newest ingested_at (RFC 3339 UTC); absent when the table is
	// empty or when NotTracked says why it was not read.
	LastIngestAt string `json:"lastIngestAt,omitempty"`
	NotTracked   string `json:"notTracked,omitempty"`
}

type fieldStatus struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Default  string   `json:"default,omitempty"`
}

func (d *Datasource) statusRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /status", d.handleStatus)
}

// handleStatus is read-only: counts come from the store's own Counts, and the last
// ingest from MAX(ingested_at) where that is an index lookup or a bounded scan.
func (d *Datasource) handleStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	version, err := d.store.SchemaVersion(ctx)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "%s: reading the schema version: %v", d.store.Describe(), err)
		return
	}
	counts, err := d.store.Counts(ctx)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "%s: counting events: %v", d.store.Describe(), err)
		return
	}
	res := statusResponse{
		Store:          d.store.Describe(),
		StoreType:      d.settings.Store,
		SchemaVersion:  version,
		MaxIngestBytes: d.settings.MaxIngestBytes,
		Settings: statusConfig{
			Postgres:    d.settings.Store == models.StorePostgres,
			Prometheus:  d.settings.PrometheusURL != "",
			IngestToken: d.settings.IngestToken != "",
		},
		Kinds: []kindStatus{},
	}
	for _, name := range d.kinds.Names() {
		k := d.kinds[name]
		ks := kindStatus{Kind: k.Name, Table: k.Table, Key: k.Key, Fields: fieldsStatus(k.Fields), Count: counts[k.Table]}
		if ks.Count > 0 {
			ks.LastIngestAt, ks.NotTracked, err = lastIngest(ctx, d.store, k.Table, ks.Count, statusScanRows)
			if err != nil {
				writeError(w, http.StatusServiceUnavailable, "%s: reading the last ingest of %s: %v", d.store.Describe(), k.Name, err)
				return
			}
		}
		res.Kinds = append(res.Kinds, ks)
	}
	writeJSON(w, http.StatusOK, res)
}

func fieldsStatus(fields []ingest.Field) []fieldStatus {
	out := make([]fieldStatus, len(fields))
	for i, f := range fields {
		out[i] = fieldStatus{Name: f.Name, Type: fieldTypeName(f.Type), Required: f.Required, Enum: f.Enum, Default: f.Default}
	}
	return out
}

func fieldTypeName(t ingest.FieldType) string {
	switch t {
	case ingest.Time:
		return "time"
	case ingest.Number:
		return "number"
	case ingest.Labels:
		return "labels"
	case ingest.Enum:
		return "enum"
	}
	return "string"
}

// lastIngest returns the newest ingested_at of a table (from ingest.Kind, never a
// request), or why it was not read.
func lastIngest(ctx context.Context, st store.Store, table string, count, scanLimit int64) (at, notTracked string, err error) {
	if count > scanLimit {
		indexed, err := ingestedAtIndexed(ctx, st, table)
		if err != nil {
			return "", "", err
		}
		if !indexed {
			return "", fmt.Sprintf("not tracked: %d rows and no index on ingested_at", count), nil
		}
	}
	var ms sql.NullInt64
	if err := st.QueryRowContext(ctx, `SELECT MAX(ingested_at) FROM `+table).Scan(&ms); err != nil {
		return "", "", err
	}
	if !ms.Valid {
		return "", "", nil
	}
	return time.UnixMilli(ms.Int64).UTC().Format(time.RFC3339), "", nil
}

// ingestedAtIndexed reports whether an index on the table starts with ingested_at,
// which makes MAX(ingested_at) a lookup instead of a scan.
func ingestedAtIndexed(ctx context.Context, st store.Store, table string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql LIKE '%(ingested_at%'`
	if st.Dialect().Name == store.Postgres.Name {
		q = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexdef LIKE '%(ingested_at%'`
	}
	var n int
	if err := st.QueryRowContext(ctx, q, table).Scan(&n); err != nil {
		return false, fmt.Errorf("looking up indexes of %s: %w", table, err)
	}
	return n > 0, nil
}
