package testsuite

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// postgresSettings is the data source configuration Grafana would send for cfg.
func postgresSettings(cfg postgres.Config) (map[string]any, map[string]string) {
	return map[string]any{
			"store": "postgres", "host": cfg.Host, "port": cfg.Port, "database": cfg.Database,
			"user": cfg.User, "sslmode": "disable", "schema": cfg.Schema, "maxOpenConns": 4,
		}, map[string]string{
			"password": cfg.Password, "ingestToken": "contract-token",
		}
}

// TestContractPostgres runs the executable on a PostgreSQL store, as two Grafana
// replicas sharing it: health, ingestion through one replica, the same hand-worked
// answers from the other, and a wrong password reported by the health check.
func TestContractPostgres(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	jsonData, secure := postgresSettings(cfg)
	first := startPlugin(t, jsonData, secure)
	second := startPlugin(t, jsonData, secure)

	health := func(p *pluginProcess) *pluginv2.CheckHealthResponse {
		t.Helper()
		h, err := p.health.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: p.pluginContext("Admin")})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for i, p := range []*pluginProcess{first, second} {
		h := health(p)
		if h.Status != pluginv2.CheckHealthResponse_OK || !strings.HasPrefix(h.Message, "postgres "+cfg.User+"@") ||
			!strings.Contains(h.Message, "schema version") || !strings.Contains(h.Message, "0 incidents") {
			t.Fatalf("replica %d health on an empty store: %v %q", i, h.Status, h.Message)
		}
	}

	payload, err := os.ReadFile("../metrics/incidents/testdata/hand.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	// Both replicas receive the same payload (a retry through the load balancer).
	for i, p := range []*pluginProcess{first, second} {
		status, body := p.callResource(t, "Editor", "POST", "ingest/incidents", "format=ndjson", nil, payload)
		if status != 200 || !strings.Contains(string(body), `"stored":5`) {
			t.Fatalf("replica %d ingest: %d %s", i, status, body)
		}
	}
	status, body := second.callResource(t, "", "POST", "webhooks/alertmanager", "", map[string]string{"X-Kaizen-Ingest-Token": "contract-token"},
		[]byte(`{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Down","service":"db"},"startsAt":"2024-01-05T00:00:00Z","fingerprint":"f1"}]}`))
	if status != 200 || !strings.Contains(string(body), `"stored":1`) {
		t.Fatalf("token webhook: %d %s", status, body)
	}
	for i, p := range []*pluginProcess{first, second} {
		if h := health(p); h.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(h.Message, "6 incidents") {
			t.Fatalf("replica %d health after ingest: %v %q", i, h.Status, h.Message)
		}
	}

	// The hand-worked answers of TestContract, from the replica that ingested less.
	r := first.queryData(t, "A", `{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d"}`, rangeFrom, rangeTo, time.Hour)
	frames := decodeFrames(t, r)
	if len(frames) != 1 || frames[0].RefID != "A" {
		t.Fatalf("%d frames", len(frames))
	}
	checkValues(t, frames[0].Fields[1], []*float64{fp(5400), nil, fp(1860)})
	r = first.queryData(t, "C", `{"queryType":"incidents","metric":"mttr","stat":"p90","bucket":"none","groupBy":["service"]}`, rangeFrom, rangeTo, 0)
	frames = decodeFrames(t, r)
	if len(frames) != 2 {
		t.Fatalf("%d frames, want one per service", len(frames))
	}
	checkValues(t, frames[0].Fields[0], []*float64{fp(3600 + 0.9*3600)})
	checkValues(t, frames[1].Fields[0], []*float64{fp(1860)})
	status, body = second.callResource(t, "Viewer", "GET", "values/service", "", nil, nil)
	if status != 200 || strings.TrimSpace(string(body)) != `["api","db","web"]` {
		t.Fatalf("values: %d %s", status, body)
	}

	t.Run("wrong password", func(t *testing.T) {
		jsonData, secure := postgresSettings(cfg)
		secure["password"] = "wrong-password-for-contract"
		p := startPlugin(t, jsonData, secure)
		h := health(p)
		if h.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(h.Message, `refused the password for user "`+cfg.User+`"`) ||
			strings.Contains(h.Message, secure["password"]) {
			t.Fatalf("health: %v %q", h.Status, h.Message)
		}
		// Queries fail as a whole (Grafana shows the error on the panel), with the same message.
		_, err := p.data.QueryData(context.Background(), &pluginv2.QueryDataRequest{
			PluginContext: p.pluginContext("Viewer"),
			Queries: []*pluginv2.DataQuery{{RefId: "A", Json: []byte(`{"queryType":"incidents","metric":"count"}`),
				TimeRange: &pluginv2.TimeRange{FromEpochMS: rangeFrom.UnixMilli(), ToEpochMS: rangeTo.UnixMilli()}}},
		})
		if err == nil || !strings.Contains(err.Error(), "refused the password") || strings.Contains(err.Error(), secure["password"]) {
			t.Fatalf("query with a wrong password: %v", err)
		}
	})
}
