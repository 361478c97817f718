package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// relLog collects everything the executable writes: the structured log lines
// go-plugin forwards and any raw stderr.
type relLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *relLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *relLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// relProc is the executable started as Grafana starts it, with its logs captured
// (the SDK logs at debug level by default) and its settings changeable between requests.
type relProc struct {
	cmd      *exec.Cmd
	log      *relLog
	resource grpcplugin.ResourceClient
	data     grpcplugin.DataClient
	health   grpcplugin.DiagnosticsClient
	settings *pluginv2.DataSourceInstanceSettings
}

func relStart(t *testing.T, jsonData map[string]any, secure map[string]string) *relProc {
	t.Helper()
	logs := &relLog{}
	cmd := exec.Command(faultBinary(t))
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
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Trace}),
		Stderr:           logs,
		StartTimeout:     30 * time.Second,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("go-plugin handshake: %v", err)
	}
	dispense := func(name string) any {
		v, err := rpc.Dispense(name)
		if err != nil {
			t.Fatalf("dispensing %s: %v", name, err)
		}
		return v
	}
	p := &relProc{
		cmd: cmd, log: logs,
		resource: dispense("resource").(grpcplugin.ResourceClient),
		data:     dispense("data").(grpcplugin.DataClient),
		health:   dispense("diagnostics").(grpcplugin.DiagnosticsClient),
	}
	p.configure(t, jsonData, secure)
	return p
}

// configure changes the settings the next requests carry, as Grafana does after a
// save: new JSON and a new LastUpdatedMS, so the SDK rebuilds the instance.
func (p *relProc) configure(t *testing.T, jsonData map[string]any, secure map[string]string) {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	updated := time.Now().UnixMilli()
	if p.settings != nil && updated <= p.settings.LastUpdatedMS {
		updated = p.settings.LastUpdatedMS + 1
	}
	p.settings = &pluginv2.DataSourceInstanceSettings{
		Id: 1, Uid: "kaizen-rel", Name: "Kaizen Ops", JsonData: raw,
		DecryptedSecureJsonData: secure, LastUpdatedMS: updated,
	}
}

func (p *relProc) pluginContext(role string) *pluginv2.PluginContext {
	pc := &pluginv2.PluginContext{OrgId: 1, PluginId: "kaizenops-metrics-datasource", DataSourceInstanceSettings: p.settings}
	if role != "" {
		pc.User = &pluginv2.User{Login: "rel", Role: role}
	}
	return pc
}

// call sends one resource request; a transport error is returned, not fatal.
func (p *relProc) call(role, method, url string, headers map[string]string, body []byte) (int, []byte, error) {
	path, _, _ := strings.Cut(url, "?")
	hs := map[string]*pluginv2.StringList{}
	for k, v := range headers {
		hs[k] = &pluginv2.StringList{Values: []string{v}}
	}
	stream, err := p.resource.CallResource(context.Background(), &pluginv2.CallResourceRequest{
		PluginContext: p.pluginContext(role), Path: path, Method: method, Url: url, Headers: hs, Body: body,
	})
	if err != nil {
		return 0, nil, err
	}
	status := 0
	var out []byte
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			return status, out, nil
		}
		if err != nil {
			return status, out, err
		}
		if msg.Code != 0 {
			status = int(msg.Code)
		}
		out = append(out, msg.Body...)
	}
}

func (p *relProc) query(queryJSON string) (*pluginv2.DataResponse, error) {
	to := time.Now()
	resp, err := p.data.QueryData(context.Background(), &pluginv2.QueryDataRequest{
		PluginContext: p.pluginContext("Viewer"),
		Queries: []*pluginv2.DataQuery{{
			RefId: "A", Json: []byte(queryJSON), MaxDataPoints: 1000, IntervalMS: time.Hour.Milliseconds(),
			TimeRange: &pluginv2.TimeRange{FromEpochMS: to.Add(-24 * time.Hour).UnixMilli(), ToEpochMS: to.UnixMilli()},
		}},
	})
	if err != nil {
		return nil, err
	}
	return resp.Responses["A"], nil
}

func (p *relProc) checkHealth(t *testing.T) *pluginv2.CheckHealthResponse {
	t.Helper()
	r, err := p.health.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: p.pluginContext("Admin")})
	if err != nil {
		return &pluginv2.CheckHealthResponse{Message: err.Error()}
	}
	return r
}

// openFDs counts the process's open file descriptors (sockets, the SQLite file and
// its WAL, pipes).
func (p *relProc) openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/fd")
	if err != nil {
		t.Skipf("counting file descriptors needs /proc: %v", err)
	}
	return len(ents)
}

// peakRSS is the process's high-water resident set (VmHWM), in bytes.
func (p *relProc) peakRSS(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Skipf("reading memory needs /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
	return 0
}

// tcpPorts lists the local ports of the process's TCP sockets (/proc/<pid>/net/tcp
// and tcp6, matched to its fds by socket inode).
func (p *relProc) tcpPorts(t *testing.T) map[int]bool {
	t.Helper()
	pid := strconv.Itoa(p.cmd.Process.Pid)
	inodes := map[string]bool{}
	ents, err := os.ReadDir("/proc/" + pid + "/fd")
	if err != nil {
		t.Skipf("needs /proc: %v", err)
	}
	for _, e := range ents {
		if link, err := os.Readlink("/proc/" + pid + "/fd/" + e.Name()); err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	ports := map[int]bool{}
	for _, table := range []string{"tcp", "tcp6"} {
		b, err := os.ReadFile("/proc/" + pid + "/net/" + table)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || !inodes[f[9]] {
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			if port, err := strconv.ParseInt(hexPort, 16, 32); err == nil {
				ports[int(port)] = true
			}
		}
	}
	return ports
}

// fdTargets counts the process's open descriptors by what they point at, to say
// what leaked.
func (p *relProc) fdTargets(t *testing.T) map[string]int {
	t.Helper()
	dir := "/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/fd/"
	ents, _ := os.ReadDir(dir)
	out := map[string]int{}
	for _, e := range ents {
		link, _ := os.Readlink(dir + e.Name())
		if i := strings.Index(link, ":["); i > 0 {
			link = link[:i]
		}
		out[link]++
	}
	return out
}
