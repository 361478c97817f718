package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/kaizenops/suite/pkg/plugin"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Backend is one data set on one store: the store the engine queries, the data source
// instance Grafana would talk to (for variable values), and the data's end.
type Backend struct {
	Dataset string
	Store   string // sqlite | postgres
	St      store.Store
	List    ValueLister
	End     time.Time
	ds      instancemgmt.Instance
}

// Close releases the store and the data source instance.
func (b *Backend) Close() {
	if d, ok := b.ds.(instancemgmt.InstanceDisposer); ok {
		d.Dispose()
	}
	_ = b.St.Close()
}

// OpenSQLite opens a data set file as the embedded store.
func OpenSQLite(ctx context.Context, name, path, endSQL string) (*Backend, error) {
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	settings, _ := json.Marshal(map[string]any{"store": "sqlite", "path": path})
	return newBackend(ctx, name, "sqlite", st, endSQL, settings, nil)
}

// OpenPostgres opens a data set's schema on PostgreSQL.
func OpenPostgres(ctx context.Context, name string, cfg postgres.Config, endSQL string) (*Backend, error) {
	st, err := postgres.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	settings, _ := json.Marshal(map[string]any{"store": "postgres", "host": cfg.Host, "port": cfg.Port,
		"database": cfg.Database, "user": cfg.User, "sslmode": cfg.SSLMode, "schema": cfg.Schema})
	return newBackend(ctx, name, "postgres", st, endSQL, settings, map[string]string{"password": cfg.Password})
}

func newBackend(ctx context.Context, name, kind string, st store.Store, endSQL string, settings []byte, secure map[string]string) (*Backend, error) {
	end, err := dataEnd(ctx, st, endSQL)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("data set %s on %s: %w", name, kind, err)
	}
	inst, err := plugin.NewDatasource(ctx, backend.DataSourceInstanceSettings{UID: "kaizenops", JSONData: settings, DecryptedSecureJSONData: secure})
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("data set %s on %s: the data source: %w", name, kind, err)
	}
	b := &Backend{Dataset: name, Store: kind, St: st, End: end, ds: inst}
	b.List = resourceLister(inst)
	return b, nil
}

// resourceLister asks the data source's resource API, as a dashboard variable does.
func resourceLister(inst instancemgmt.Instance) ValueLister {
	h, _ := inst.(backend.CallResourceHandler)
	return func(ctx context.Context, path string) ([]string, error) {
		if h == nil {
			return nil, fmt.Errorf("the data source serves no resources")
		}
		req := &backend.CallResourceRequest{Method: "GET", Path: path, URL: path}
		req.PluginContext.User = &backend.User{Login: "bench", Role: "Viewer"}
		var status int
		var body []byte
		err := h.CallResource(ctx, req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
			if r.Status != 0 {
				status = r.Status
			}
			body = append(body, r.Body...)
			return nil
		}))
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", path, err)
		}
		if status != 200 {
			return nil, fmt.Errorf("GET %s: status %d: %s", path, status, strings.TrimSpace(string(body)))
		}
		var values []string
		if err := json.Unmarshal(body, &values); err != nil {
			return nil, fmt.Errorf("GET %s: not a list of strings: %w", path, err)
		}
		return values, nil
	}
}
