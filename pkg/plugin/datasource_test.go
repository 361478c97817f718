package plugin

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// postgresInstance is how Grafana hands over a data source configured for PostgreSQL.
func postgresInstance(t *testing.T, cfg postgres.Config) backend.DataSourceInstanceSettings {
	t.Helper()
	jsonData, err := json.Marshal(map[string]any{
		"store": "postgres", "host": cfg.Host, "port": cfg.Port, "database": cfg.Database, "user": cfg.User,
		"sslmode": "disable", "schema": cfg.Schema, "maxOpenConns": 4, "connectTimeout": 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	return backend.DataSourceInstanceSettings{UID: "kaizen", JSONData: jsonData, DecryptedSecureJSONData: map[string]string{"password": cfg.Password}}
}

func TestNewDatasourceOpensTheConfiguredStore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		jsonData := []byte(`{"path":` + jsonString(filepath.Join(t.TempDir(), "k.db")) + `}`)
		inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{JSONData: jsonData})
		if err != nil {
			t.Fatal(err)
		}
		ds := inst.(*Datasource)
		defer ds.Dispose()
		if got := ds.store.Dialect().Name; got != "sqlite" {
			t.Fatalf("dialect %s", got)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		cfg := storetest.PostgresConfig(t)
		inst, err := NewDatasource(context.Background(), postgresInstance(t, cfg))
		if err != nil {
			t.Fatal(err)
		}
		ds := inst.(*Datasource)
		defer ds.Dispose()
		got := call(t, ds, "POST", "ingest/incidents", "Editor", nil, []byte(oneIncident))
		if got.status != 200 {
			t.Fatalf("ingest: %d %s", got.status, got.body)
		}
		res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if err != nil {
			t.Fatal(err)
		}
		wantStart := "postgres " + cfg.User + "@" + cfg.Host
		if res.Status != backend.HealthStatusOk || !strings.HasPrefix(res.Message, wantStart) ||
			!strings.Contains(res.Message, "schema "+cfg.Schema+" (sslmode disable), schema version") || !strings.Contains(res.Message, "1 incidents") {
			t.Fatalf("health %v %q", res.Status, res.Message)
		}
		for _, text := range []string{res.Message, string(res.JSONDetails)} {
			if strings.Contains(text, cfg.Password) {
				t.Fatalf("health shows the password: %s", text)
			}
		}
	})
	t.Run("postgres with a wrong password", func(t *testing.T) {
		cfg := storetest.PostgresConfig(t)
		cfg.Password = "definitely-wrong-pw"
		_, err := NewDatasource(context.Background(), postgresInstance(t, cfg))
		if err == nil {
			t.Fatal("opened with a wrong password")
		}
		want := `opening the store: postgres store: PostgreSQL at ` + cfg.Host
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), `refused the password for user "`+cfg.User+`"`) ||
			strings.Contains(err.Error(), cfg.Password) {
			t.Fatalf("error %q", err)
		}
	})
	t.Run("postgres without a host", func(t *testing.T) {
		_, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{JSONData: []byte(`{"store":"postgres","database":"d","user":"u"}`)})
		if err == nil || !strings.Contains(err.Error(), "postgres store settings: host is required") {
			t.Fatalf("error %v", err)
		}
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
