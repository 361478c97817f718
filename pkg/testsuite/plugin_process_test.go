package testsuite

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// pluginProcess is the backend executable started as Grafana starts it.
type pluginProcess struct {
	client   *goplugin.Client
	data     grpcplugin.DataClient
	health   grpcplugin.DiagnosticsClient
	resource grpcplugin.ResourceClient
	settings *pluginv2.DataSourceInstanceSettings
}

// builtBinary is built at most once per test run, however many tests start the plugin.
var builtBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "kaizen-plugin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "gpx_kaizenops_"+runtime.GOOS+"_"+runtime.GOARCH)
	cmd := exec.Command("go", "build", "-o", bin, "../../pkg")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the plugin: %v\n%s", err, out)
	}
	return bin, nil
})

// pluginBinary is the executable under test: $KAIZEN_PLUGIN_BINARY (CI points it at
// the mage build in dist/), else one built from ./pkg for this test run.
func pluginBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("KAIZEN_PLUGIN_BINARY"); p != "" {
		return p
	}
	bin, err := builtBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// startPlugin launches the executable with a data source configured on a fresh store.
func startPlugin(t *testing.T, jsonData map[string]any, secure map[string]string) *pluginProcess {
	t.Helper()
	bin := pluginBinary(t)
	if jsonData == nil {
		jsonData = map[string]any{}
	}
	if _, ok := jsonData["path"]; !ok {
		jsonData["path"] = filepath.Join(t.TempDir(), "kaizen.db")
	}
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"data":        &grpcplugin.DataGRPCPlugin{},
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
			},
		},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Error}),
		StartTimeout:     30 * time.Second,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("go-plugin handshake with %s: %v", bin, err)
	}
	dispense := func(name string) any {
		v, err := rpc.Dispense(name)
		if err != nil {
			t.Fatalf("dispensing %s: %v", name, err)
		}
		return v
	}
	return &pluginProcess{
		client:   client,
		data:     dispense("data").(grpcplugin.DataClient),
		health:   dispense("diagnostics").(grpcplugin.DiagnosticsClient),
		resource: dispense("resource").(grpcplugin.ResourceClient),
		settings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "kaizen-test", Name: "Kaizen Ops", JsonData: raw,
			DecryptedSecureJsonData: secure, LastUpdatedMS: time.Now().UnixMilli(),
		},
	}
}

func (p *pluginProcess) pluginContext(role string) *pluginv2.PluginContext {
	pc := &pluginv2.PluginContext{OrgId: 1, PluginId: "kaizenops-metrics-datasource", DataSourceInstanceSettings: p.settings}
	if role != "" {
		pc.User = &pluginv2.User{Login: "tester", Role: role}
	}
	return pc
}

// callResource sends one resource request and gathers the streamed response.
func (p *pluginProcess) callResource(t *testing.T, role, method, path, rawQuery string, headers map[string]string, body []byte) (int, []byte) {
	t.Helper()
	url := path
	if rawQuery != "" {
		url += "?" + rawQuery
	}
	hs := map[string]*pluginv2.StringList{}
	for k, v := range headers {
		hs[k] = &pluginv2.StringList{Values: []string{v}}
	}
	stream, err := p.resource.CallResource(context.Background(), &pluginv2.CallResourceRequest{
		PluginContext: p.pluginContext(role), Path: path, Method: method, Url: url, Headers: hs, Body: body,
	})
	if err != nil {
		t.Fatalf("CallResource %s %s: %v", method, path, err)
	}
	status := 0
	var out []byte
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("CallResource %s %s: receiving: %v", method, path, err)
		}
		if msg.Code != 0 {
			status = int(msg.Code)
		}
		out = append(out, msg.Body...)
	}
	return status, out
}

// queryData sends one query with the given time range.
func (p *pluginProcess) queryData(t *testing.T, refID string, queryJSON string, from, to time.Time, interval time.Duration) *pluginv2.DataResponse {
	t.Helper()
	resp, err := p.data.QueryData(context.Background(), &pluginv2.QueryDataRequest{
		PluginContext: p.pluginContext("Viewer"),
		Queries: []*pluginv2.DataQuery{{
			RefId: refID, Json: []byte(queryJSON), MaxDataPoints: 1000, IntervalMS: interval.Milliseconds(),
			TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
		}},
	})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r, ok := resp.Responses[refID]
	if !ok {
		t.Fatalf("QueryData: no response for %s", refID)
	}
	return r
}
