package reliability

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// TestFaultFullDisk puts the SQLite store on a "full disk": RLIMIT_FSIZE of 4 KiB on
// the running plugin, so every write that would extend a file (the WAL's first frame
// already ends past 4 KiB) fails with EFBIG, without root or a mount. The health
// check and ingest must say so; queries keep answering; nothing stored is lost; once
// the limit is lifted ("disk freed") writes work again and the file is intact.
func TestFaultFullDisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaizen.db")
	tg := faultTarget{name: "sqlite", jsonData: map[string]any{"path": path}}
	p := faultStart(t, tg.jsonData, nil)
	faultIngestOK(t, p, "before", 200)

	p.limitFileSize(t, 4096)
	faultHealthFails(t, p, path, "store is not writable")
	faultIngestFails(t, p, "during", 2000)
	faultCountIs(t, p, 200) // reads still work

	p.limitFileSize(t, ^uint64(0))
	if h, err := p.checkHealth(ctx); err != nil || h.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("health once the limit is lifted: %v %v %q", err, h.GetStatus(), h.GetMessage())
	}
	faultIngestOK(t, p, "after", 200)
	p.sigkill(t)
	faultCheckFile(t, path, map[string]int{"before": 200, "after": 200})
}

// TestFaultReadOnlyStore reopens a store whose file and directory became read-only
// (a volume remounted read-only). As root, permissions do not bind, so the plugin
// then runs as nobody (uid 65534) on files it owns.
func TestFaultReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kaizen-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755); _ = os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		// nobody may not reach the executable where it was built (a checkout under /root).
		t.Setenv("KAIZEN_PLUGIN_BINARY", faultCopyExecutable(t, faultBinary(t), dir))
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "kaizen.db")
	p := faultStartAs(t, map[string]any{"path": path}, nil, cred)
	faultIngestOK(t, p, "before", 200)
	p.sigkill(t)

	readOnly := func(dirMode, fileMode os.FileMode) {
		t.Helper()
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Chmod(f, fileMode); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(dir, dirMode); err != nil {
			t.Fatal(err)
		}
	}
	readOnly(0o555, 0o444)
	p = faultStartAs(t, map[string]any{"path": path}, nil, cred)
	h := faultHealthFails(t, p, path, "")
	if !strings.Contains(h.Message, "readonly") && !strings.Contains(h.Message, "read-only") && !strings.Contains(h.Message, "not writable") {
		t.Fatalf("health on a read-only store does not say so: %q", h.Message)
	}
	faultIngestFails(t, p, "during", 200)
	faultCountIs(t, p, 200) // reads still work
	p.sigkill(t)

	readOnly(0o755, 0o644)
	p = faultStartAs(t, map[string]any{"path": path}, nil, cred)
	if h, err := p.checkHealth(ctx); err != nil || h.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("health once writable again: %v %v %q", err, h.GetStatus(), h.GetMessage())
	}
	faultIngestOK(t, p, "after", 200)
	p.sigkill(t)
	faultCheckFile(t, path, map[string]int{"before": 200, "after": 200})
}

func faultIngestOK(t *testing.T, p *faultProc, prefix string, n int) {
	t.Helper()
	status, body, err := p.call(context.Background(), "Editor", "POST", "ingest/incidents", "format=ndjson", faultBatch(prefix, n))
	if err != nil || status != 200 || !strings.Contains(string(body), `"stored":`+itoa(n)+`,`) {
		t.Fatalf("ingest %s: %v %d %s", prefix, err, status, body)
	}
}

// faultIngestFails wants a 500 whose message says the write failed and nothing was stored.
func faultIngestFails(t *testing.T, p *faultProc, prefix string, n int) {
	t.Helper()
	status, body, err := p.call(context.Background(), "Editor", "POST", "ingest/incidents", "format=ndjson", faultBatch(prefix, n))
	if err != nil || status != 500 || !strings.Contains(string(body), "storing records failed, nothing was stored") {
		t.Fatalf("ingest %s on a store that cannot be written: %v %d %s", prefix, err, status, body)
	}
	t.Logf("ingest error: %s", strings.TrimSpace(string(body)))
}

// faultHealthFails wants an error status whose message names the store file and says what failed.
func faultHealthFails(t *testing.T, p *faultProc, path, want string) *pluginv2.CheckHealthResponse {
	t.Helper()
	h, err := p.checkHealth(context.Background())
	if err != nil {
		t.Fatalf("health: %v", err)
	}
	if h.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(h.Message, path) || !strings.Contains(h.Message, want) {
		t.Fatalf("health: %v %q, want an error naming %s and %q", h.Status, h.Message, path, want)
	}
	t.Logf("health error: %s", h.Message)
	return h
}

// faultCountIs checks the incident count through QueryData (the read path).
func faultCountIs(t *testing.T, p *faultProc, want float64) {
	t.Helper()
	r, err := p.query(context.Background(), `{"queryType":"incidents","metric":"count","bucket":"none"}`, faultEpoch.AddDate(0, 0, -1), faultEpoch.AddDate(0, 0, 2))
	if err != nil || r.Error != "" {
		t.Fatalf("count query: %v %q", err, r.GetError())
	}
	frames, err := data.UnmarshalArrowFrames(r.Frames)
	if err != nil || len(frames) != 1 || len(frames[0].Fields) == 0 {
		t.Fatalf("count frames: %v %d", err, len(frames))
	}
	f := frames[0].Fields[len(frames[0].Fields)-1]
	if v, ok := f.ConcreteAt(0); !ok || v.(float64) != want {
		t.Fatalf("count %v, want %v", v, want)
	}
}

// faultCheckFile opens the SQLite file directly: integrity_check, and exactly the
// given batches stored in full.
func faultCheckFile(t *testing.T, path string, want map[string]int) {
	t.Helper()
	ctx := context.Background()
	tg := faultTarget{name: "sqlite"}
	db, err := openSQLiteForCheck(ctx, path)
	if err != nil {
		t.Fatalf("reopening %s: %v", path, err)
	}
	defer db.Close()
	if err := faultIntegrity(ctx, tg, db.DB); err != nil {
		t.Fatal(err)
	}
	found, err := faultStored(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != len(want) {
		t.Fatalf("batches stored %v, want %v", found, want)
	}
	for k, n := range want {
		if found[k] != n {
			t.Fatalf("batches stored %v, want %v", found, want)
		}
	}
}

// faultCopyExecutable copies the plugin executable into dir, readable by everyone.
func faultCopyExecutable(t *testing.T, bin, dir string) string {
	t.Helper()
	raw, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, filepath.Base(bin))
	if err := os.WriteFile(out, raw, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}
