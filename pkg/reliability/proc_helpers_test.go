package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// faultProc is the backend executable started as Grafana starts it (go-plugin over
// gRPC), with its process at hand so a test can kill it or limit it.
type faultProc struct {
	client   *goplugin.Client
	cmd      *exec.Cmd
	data     grpcplugin.DataClient
	health   grpcplugin.DiagnosticsClient
	resource grpcplugin.ResourceClient
	settings *pluginv2.DataSourceInstanceSettings
}

// faultBuiltBinary is built at most once per test run.
var faultBuiltBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "kaizen-reliability-")
	if err != nil {
		return "", err
	}
	// Readable by every user: the read-only test runs the plugin as nobody when root.
	if err := os.Chmod(dir, 0o755); err != nil {
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

// faultBinary is $KAIZEN_PLUGIN_BINARY (CI's mage build) or one built for this run.
func faultBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("KAIZEN_PLUGIN_BINARY"); p != "" {
		return p
	}
	bin, err := faultBuiltBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// faultStart launches the executable with a data source on the given settings. The
// process is killed when the test ends, whatever state it is in.
func faultStart(t testing.TB, jsonData map[string]any, secure map[string]string) *faultProc {
	t.Helper()
	return faultStartAs(t, jsonData, secure, nil)
}

// faultStartAs is faultStart with the process credential set (nil: ours).
func faultStartAs(t testing.TB, jsonData map[string]any, secure map[string]string, cred *syscall.Credential) *faultProc {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(faultBinary(t))
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
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
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Error}),
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
	return &faultProc{
		client:   client,
		cmd:      cmd,
		data:     dispense("data").(grpcplugin.DataClient),
		health:   dispense("diagnostics").(grpcplugin.DiagnosticsClient),
		resource: dispense("resource").(grpcplugin.ResourceClient),
		settings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "kaizen-reliability", Name: "Kaizen Ops", JsonData: raw,
			DecryptedSecureJsonData: secure, LastUpdatedMS: time.Now().UnixMilli(),
		},
	}
}

func (p *faultProc) pid() int { return p.cmd.Process.Pid }

// sigkill ends the process as the OOM killer would: no cleanup runs (the OS still
// writes out what the process had written; a power cut is a different fault).
func (p *faultProc) sigkill(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL %d: %v", p.pid(), err)
	}
	// go-plugin reaps the process; wait until it has exited so the store is released.
	deadline := time.Now().Add(10 * time.Second)
	for !p.client.Exited() {
		if time.Now().After(deadline) {
			t.Fatalf("plugin %d still running 10 s after SIGKILL", p.pid())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// limitFileSize sets the soft RLIMIT_FSIZE of the running plugin (prlimit(2), no
// privilege needed): a write past the limit fails with EFBIG, as on a full disk. Go
// ignores SIGXFSZ, so the process sees the error instead of dying. The hard limit
// stays unlimited so the test can lift it again ("the disk was freed").
func (p *faultProc) limitFileSize(t testing.TB, bytes uint64) {
	t.Helper()
	lim := syscall.Rlimit{Cur: bytes, Max: ^uint64(0)}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(p.pid()), syscall.RLIMIT_FSIZE, uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		t.Fatalf("prlimit RLIMIT_FSIZE on %d: %v", p.pid(), errno)
	}
}

func (p *faultProc) pluginContext(role string) *pluginv2.PluginContext {
	pc := &pluginv2.PluginContext{OrgId: 1, PluginId: "kaizenops-metrics-datasource", DataSourceInstanceSettings: p.settings}
	if role != "" {
		pc.User = &pluginv2.User{Login: "reliability", Role: role}
	}
	return pc
}

// call sends one resource request and gathers the streamed response. Errors are
// returned, not fatal: fault and load tests count them.
func (p *faultProc) call(ctx context.Context, role, method, path, rawQuery string, body []byte) (int, []byte, error) {
	url := path
	if rawQuery != "" {
		url += "?" + rawQuery
	}
	stream, err := p.resource.CallResource(ctx, &pluginv2.CallResourceRequest{
		PluginContext: p.pluginContext(role), Path: path, Method: method, Url: url, Body: body,
	})
	if err != nil {
		return 0, nil, fmt.Errorf("CallResource %s %s: %w", method, path, err)
	}
	status := 0
	var out []byte
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return status, out, fmt.Errorf("CallResource %s %s: receiving: %w", method, path, err)
		}
		if msg.Code != 0 {
			status = int(msg.Code)
		}
		out = append(out, msg.Body...)
	}
	return status, out, nil
}

// query sends one query as Grafana does and returns its response.
func (p *faultProc) query(ctx context.Context, queryJSON string, from, to time.Time) (*pluginv2.DataResponse, error) {
	resp, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
		PluginContext: p.pluginContext("Viewer"),
		Queries: []*pluginv2.DataQuery{{
			RefId: "A", Json: []byte(queryJSON), MaxDataPoints: 1000, IntervalMS: time.Hour.Milliseconds(),
			TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
		}},
	})
	if err != nil {
		return nil, err
	}
	r, ok := resp.Responses["A"]
	if !ok {
		return nil, fmt.Errorf("no response for refId A")
	}
	return r, nil
}

func (p *faultProc) checkHealth(ctx context.Context) (*pluginv2.CheckHealthResponse, error) {
	return p.health.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: p.pluginContext("Admin")})
}

// loadRSS reads the resident set size of a process, in bytes, from /proc.
func loadRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			fields := strings.Fields(rest) // "123456 kB"
			if len(fields) != 2 || fields[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmRSS line %q", line)
			}
			kb, err := strconv.ParseInt(fields[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmRSS %q: %w", line, err)
			}
			return kb * 1024, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// faultLong says whether the long variants run (KAIZEN_LONG=1).
func faultLong() bool { return os.Getenv("KAIZEN_LONG") == "1" }
