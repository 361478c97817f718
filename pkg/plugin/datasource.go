// Package plugin is the SDK glue: one instance per configured data source, and one
// file per SDK handler (query data, health, resources).
package plugin

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/prometheus"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// DatasourceID is the data source plugin id.
const DatasourceID = "kaizenops-metrics-datasource"

// Datasource is one configured data source instance and its open store.
type Datasource struct {
	settings  models.Settings
	store     store.Store
	engine    *query.Engine
	kinds     ingest.Kinds
	resources backend.CallResourceHandler
	// prometheus answers the prometheus query type; nil when not configured.
	prometheus *prometheus.Client
}

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// NewDatasource opens the store named in the settings. The SDK's instance manager
// calls it again (and disposes the old instance) whenever the settings change.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return newInstance(ctx, s, func(ctx context.Context, settings models.Settings) (store.Store, error) {
		return openStore(ctx, settings)
	})
}

// NewFactory is the instance factory the executable serves: instances on the same
// SQLite file share one store (sqliteShares), so rebuilding an instance after a
// settings change leaks no file descriptors.
func NewFactory() func(context.Context, backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	shares := newSQLiteShares()
	return func(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
		return newInstance(ctx, s, func(ctx context.Context, settings models.Settings) (store.Store, error) {
			if settings.Store == models.StorePostgres {
				return openStore(ctx, settings)
			}
			return shares.acquire(ctx, settings.Path)
		})
	}
}

func newInstance(ctx context.Context, s backend.DataSourceInstanceSettings, open func(context.Context, models.Settings) (store.Store, error)) (instancemgmt.Instance, error) {
	settings, err := models.LoadSettings(s.JSONData, s.DecryptedSecureJSONData)
	if err != nil {
		return nil, err
	}
	st, err := open(ctx, settings)
	if err != nil {
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	return newDatasource(settings, st), nil
}

// openStore opens the configured store. A PostgreSQL store that cannot be reached
// fails here with a message the health check shows; the SDK does not cache a failed
// instance, so the next request tries again once the database is back.
func openStore(ctx context.Context, s models.Settings) (store.Store, error) {
	if s.Store == models.StorePostgres {
		return postgres.Open(ctx, postgresConfig(s))
	}
	return sqlite.Open(ctx, s.Path)
}

func postgresConfig(s models.Settings) postgres.Config {
	return postgres.Config{
		Host: s.Host, Port: s.Port, Database: s.Database, User: s.User, Password: s.Password,
		SSLMode: s.SSLMode, CACertFile: s.SSLRootCertFile, CACert: s.TLSCACert, Schema: s.Schema,
		MaxOpenConns: s.MaxOpenConns, MaxIdleConns: s.MaxIdleConns,
		ConnMaxLifetime: time.Duration(s.ConnMaxLifetime) * time.Second,
		ConnectTimeout:  time.Duration(s.ConnectTimeout) * time.Second,
		ApplicationName: "grafana-" + DatasourceID,
	}
}

func newDatasource(settings models.Settings, st store.Store) *Datasource {
	ds := &Datasource{settings: settings, store: st, engine: metrics.Engine(), kinds: ingest.DefaultKinds()}
	ds.prometheus = prometheusClient(settings)
	mux := http.NewServeMux()
	ds.routes(mux)
	ds.resources = httpadapter.New(mux)
	return ds
}

// Dispose closes the store when Grafana replaces or removes the instance.
func (d *Datasource) Dispose() {
	if err := d.store.Close(); err != nil {
		backend.Logger.Warn("closing the store", "error", err)
	}
}
