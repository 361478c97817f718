package reliability

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/plugin"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// relParam is the value a route's {param} takes in the access tests: a real kind for
// /ingest/{kind}, else a name that exists nowhere.
func relParam(p string) string {
	if p == "kind" {
		return "incidents"
	}
	return "rel-none"
}

// TestAccessEveryWriteRouteIsGuarded reads every route registered in pkg/plugin and
// requires each write route (anything but GET) to be wrapped in requireWriter
// where it is registered; then sends each one, as Grafana would, with every role.
func TestAccessEveryWriteRouteIsGuarded(t *testing.T) {
	routes := relRoutes(t)
	ds := relInstance(t, map[string]any{"path": t.TempDir() + "/kaizen.db"}, map[string]string{"ingestToken": relToken})
	writes := 0
	for _, r := range routes {
		if !r.write() {
			continue
		}
		writes++
		if !r.Guarded {
			t.Errorf("%s (%s) changes state but is not wrapped in requireWriter", r, r.Pos)
		}
		method := r.Method
		if method == "" {
			method = http.MethodPost
		}
		url := relFill(r.Path, relParam)
		t.Run(r.String(), func(t *testing.T) {
			for _, c := range []struct {
				name    string
				role    string
				headers map[string]string
				allowed bool
			}{
				{"viewer", "Viewer", nil, false},
				{"anonymous", "", nil, false},
				{"lower-case viewer", "viewer", nil, false},
				{"unknown role", "Superuser", nil, false},
				{"editor with a wrong token", "Editor", map[string]string{plugin.IngestTokenHeader: relToken + "x"}, false},
				{"anonymous with the token's prefix", "", map[string]string{plugin.IngestTokenHeader: relToken[:len(relToken)-1]}, false},
				{"anonymous with the token in another case", "", map[string]string{plugin.IngestTokenHeader: strings.ToUpper(relToken)}, false},
				{"editor", "Editor", nil, true},
				{"admin", "Admin", nil, true},
				{"grafana admin", "Grafana Admin", nil, true},
				{"viewer with the token", "Viewer", map[string]string{plugin.IngestTokenHeader: relToken}, true},
				{"anonymous with the token", "", map[string]string{plugin.IngestTokenHeader: relToken}, true},
			} {
				resp := relCall(t, ds, c.role, method, url, c.headers, nil)
				if !c.allowed {
					if resp.status != http.StatusForbidden {
						t.Errorf("%s: status %d, want 403: %s", c.name, resp.status, resp.body)
					}
					continue
				}
				// Allowed: the handler itself answered (JSON), whatever it thought of the
				// empty body, and not the mux (404/405 in plain text).
				if resp.status == http.StatusForbidden || resp.status == http.StatusUnauthorized || !json.Valid(resp.body) {
					t.Errorf("%s: status %d %s, want the handler's own answer", c.name, resp.status, resp.body)
				}
			}
		})
	}
	if writes < 20 {
		t.Errorf("found %d write routes; expected the ~30 the resource API has", writes)
	}
	// Reads stay open to viewers.
	for _, r := range routes {
		if r.write() || strings.Contains(r.Path, "{") {
			continue
		}
		if resp := relCall(t, ds, "Viewer", r.Method, r.Path, nil, nil); resp.status == http.StatusForbidden {
			t.Errorf("%s refuses a viewer: %s", r, resp.body)
		}
	}
}

// TestAccessNoTokenConfigured: with no ingest token set, no header value opens a
// write route, not even an empty-looking one.
func TestAccessNoTokenConfigured(t *testing.T) {
	ds := relInstance(t, map[string]any{"path": t.TempDir() + "/kaizen.db"}, nil)
	for _, token := range []string{" ", "null", "undefined", relToken} {
		resp := relCall(t, ds, "", http.MethodPost, "ingest/incidents", map[string]string{plugin.IngestTokenHeader: token}, []byte(`[]`))
		if resp.status != http.StatusForbidden {
			t.Errorf("token %q with none configured: status %d, want 403", token, resp.status)
		}
	}
}

// TestAccessTokenComparisonIsConstantTime checks the comparison's code rather than
// timing it (a timing test on a shared 2-core machine would flake): tokensEqual
// must go through crypto/subtle, with one return, no branch, no loop and no
// length or equality test of its own; and requireWriter compares the token only
// through tokensEqual.
func TestAccessTokenComparisonIsConstantTime(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../plugin/access.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			funcs[fd.Name.Name] = fd
		}
	}
	eq, ok := funcs["tokensEqual"]
	if !ok {
		t.Fatal("access.go has no tokensEqual; the ingest token must be compared by one function this test can read")
	}
	subtleCalls, returns := 0, 0
	ast.Inspect(eq.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.GoStmt:
			t.Errorf("tokensEqual has a %T: its time would depend on the input", x)
		case *ast.ReturnStmt:
			returns++
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "subtle" {
					subtleCalls++
				}
				if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "bytes" || id.Name == "strings") {
					t.Errorf("tokensEqual calls %s.%s, which returns early", id.Name, sel.Sel.Name)
				}
			}
			if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "len" {
				t.Error("tokensEqual compares lengths, which leaks the token's length")
			}
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				t.Errorf("tokensEqual short-circuits (%s)", x.Op)
			}
		}
		return true
	})
	if subtleCalls == 0 {
		t.Error("tokensEqual does not use crypto/subtle")
	}
	if returns != 1 {
		t.Errorf("tokensEqual has %d return statements; want exactly one (no early return)", returns)
	}
	rw, ok := funcs["requireWriter"]
	if !ok {
		t.Fatal("access.go has no requireWriter")
	}
	ast.Inspect(rw.Body, func(n ast.Node) bool {
		be, ok := n.(*ast.BinaryExpr)
		if !ok || (be.Op != token.EQL && be.Op != token.NEQ) {
			return true
		}
		mentions := func(e ast.Expr) bool {
			found := false
			ast.Inspect(e, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && (id.Name == "IngestToken" || id.Name == "token") {
					found = true
				}
				return true
			})
			return found
		}
		empty := func(e ast.Expr) bool {
			lit, ok := e.(*ast.BasicLit)
			return ok && lit.Value == `""`
		}
		if mentions(be.X) && mentions(be.Y) || (mentions(be.X) && !empty(be.Y)) || (mentions(be.Y) && !empty(be.X)) {
			t.Errorf("requireWriter compares the token with %s instead of tokensEqual", be.Op)
		}
		return true
	})
}

// TestAccessSecretsNeverLeak runs the executable with every secret set, makes each
// one matter (an unreachable PostgreSQL with a password, a Prometheus with basic
// auth or a bearer token, an ingest token sent right and wrong), and looks for the
// secrets in everything it says: its log lines and stderr, health messages,
// resource bodies, query errors and frames.
func TestAccessSecretsNeverLeak(t *testing.T) {
	const (
		pgPassword   = "pg-PASSWORD-1f9a7c"
		promPassword = "prom-PASSWORD-83be02"
		promToken    = "prom-BEARER-5d21aa"
	)
	secrets := []string{pgPassword, promPassword, promToken, relToken}
	var said []string
	look := func(t *testing.T, p *relProc) {
		t.Helper()
		h := p.checkHealth(t)
		said = append(said, h.Message, string(h.JsonDetails))
		for _, q := range []string{
			`{"queryType":"prometheus","prometheus":{"expr":"up"}}`,
			`{"queryType":"incidents","metric":"mttr"}`,
		} {
			r, err := p.query(q)
			if err != nil { // the instance could not be built (the PostgreSQL case)
				said = append(said, err.Error())
				continue
			}
			said = append(said, r.Error)
			for _, fr := range r.Frames {
				said = append(said, string(fr))
			}
		}
		for _, c := range []struct {
			role, method, url string
			headers           map[string]string
			body              string
		}{
			{"", "POST", "ingest/incidents", map[string]string{plugin.IngestTokenHeader: relToken}, `[{"id":"a","started_at":"2024-05-01T10:00:00Z"}]`},
			{"", "POST", "ingest/incidents", map[string]string{plugin.IngestTokenHeader: "wrong"}, `[]`},
			{"Editor", "POST", "ingest/incidents", nil, `[{"id":`},
			{"Viewer", "GET", "status", nil, ""},
			{"Viewer", "GET", "catalog", nil, ""},
		} {
			status, body, err := p.call(c.role, c.method, c.url, c.headers, []byte(c.body))
			said = append(said, string(body))
			if err != nil {
				said = append(said, err.Error())
			}
			_ = status
		}
	}
	t.Run("sqlite with prometheus basic auth", func(t *testing.T) {
		p := relStart(t, map[string]any{
			"path": t.TempDir() + "/kaizen.db", "prometheusUrl": "http://127.0.0.1:1", "prometheusUser": "kaizen", "prometheusTimeout": 2,
		}, map[string]string{"ingestToken": relToken, "prometheusPassword": promPassword})
		look(t, p)
		said = append(said, p.log.String())
	})
	t.Run("sqlite with a prometheus bearer token", func(t *testing.T) {
		p := relStart(t, map[string]any{
			"path": t.TempDir() + "/kaizen.db", "prometheusUrl": "http://127.0.0.1:1", "prometheusTimeout": 2,
		}, map[string]string{"ingestToken": relToken, "prometheusToken": promToken})
		look(t, p)
		said = append(said, p.log.String())
	})
	t.Run("postgres that refuses the password", func(t *testing.T) {
		// A real server when one is configured (it refuses the wrong password), else
		// a port where nothing listens.
		jsonData := map[string]any{"store": "postgres", "host": "127.0.0.1", "port": 1, "database": "kaizen", "user": "kaizen", "sslmode": "disable", "connectTimeout": 2}
		if dsn := relPostgresDSN(); dsn != nil {
			jsonData = relPostgresJSON(*dsn)
			jsonData["connectTimeout"] = 5
		}
		p := relStart(t, jsonData, map[string]string{"ingestToken": relToken, "password": pgPassword})
		look(t, p)
		said = append(said, p.log.String())
	})
	if !strings.Contains(strings.Join(said, ""), `"@level"`) {
		t.Fatal("no log line of the executable was captured")
	}
	t.Logf("%d bytes of logs, health messages, errors, bodies and frames searched", len(strings.Join(said, "")))
	for _, text := range said {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %q appears in: %.400s", s, text)
			}
		}
	}
}

// TestAccessRebuildDoesNotLeak changes the settings (a new LastUpdatedMS, as Grafana
// sends after a save) many times over gRPC: each change takes effect at once, and
// the old instances' stores are closed, so the process's open file descriptors (and
// PostgreSQL's connections) come back to where they were.
func TestAccessRebuildDoesNotLeak(t *testing.T) {
	rebuilds := 20
	if faultLong() {
		rebuilds = 400
	}
	relEachStore(t, func(t *testing.T, tg relTarget) {
		p := relStart(t, tg.jsonData, tg.secure)
		settings := func(limit int) map[string]any {
			m := map[string]any{"maxIngestBytes": limit}
			for k, v := range tg.jsonData {
				m[k] = v
			}
			return m
		}
		one := []byte(`[{"id":"r","started_at":"2024-05-01T10:00:00Z"}]`)
		ingest := func() int {
			status, body, err := p.call("Editor", "POST", "ingest/incidents", nil, one)
			if err != nil {
				t.Fatalf("ingest: %v", err)
			}
			if status != http.StatusOK && status != http.StatusRequestEntityTooLarge {
				t.Fatalf("ingest: status %d %s", status, body)
			}
			return status
		}
		ingest() // warm up: the first instance and its pool
		fdBefore := p.openFDs(t)
		connBefore := relPGConnections(t, p, tg)
		for i := range rebuilds {
			// Alternate a limit below and above the body's size: the answer proves the
			// request ran on the instance built from the new settings.
			limit, want := 10, http.StatusRequestEntityTooLarge
			if i%2 == 1 {
				limit, want = 1<<20, http.StatusOK
			}
			p.configure(t, settings(limit), tg.secure)
			if got := ingest(); got != want {
				t.Fatalf("rebuild %d (maxIngestBytes %d): status %d, want %d: the new settings were not applied", i, limit, got, want)
			}
		}
		// The SDK disposes a replaced instance 5 s after the swap.
		var fdAfter, connAfter int
		for deadline := time.Now().Add(12 * time.Second); ; {
			time.Sleep(time.Second)
			fdAfter, connAfter = p.openFDs(t), relPGConnections(t, p, tg)
			if (fdAfter <= fdBefore+2 && connAfter <= connBefore+2) || time.Now().After(deadline) {
				break
			}
		}
		t.Logf("%s: %d rebuilds; open fds %d -> %d; postgres connections %d -> %d", tg.name, rebuilds, fdBefore, fdAfter, connBefore, connAfter)
		if fdAfter > fdBefore+2 {
			t.Log(p.fdTargets(t))
			t.Errorf("open file descriptors grew from %d to %d over %d rebuilds", fdBefore, fdAfter, rebuilds)
		}
		if connAfter > connBefore+2 {
			t.Errorf("PostgreSQL connections grew from %d to %d over %d rebuilds", connBefore, connAfter, rebuilds)
		}
		if n := relTakeSnapshot(t, tg.check)["incidents"].Rows; n != 1 {
			t.Errorf("incidents: %d rows, want the one re-sent record", n)
		}
	})
}

// relPostgresDSN is the test PostgreSQL's settings, or nil when none is configured.
func relPostgresDSN() *postgres.Config {
	dsn := os.Getenv(storetest.PostgresEnv)
	if dsn == "" {
		return nil
	}
	cfg, err := postgres.ParseURL(dsn)
	if err != nil {
		return nil
	}
	return &cfg
}

// relPGConnections counts the PostgreSQL sessions the plugin process holds: rows of
// pg_stat_activity whose client port is one of the process's own TCP sockets (other
// test binaries share the server, so the application name alone would not do).
func relPGConnections(t *testing.T, p *relProc, tg relTarget) int {
	t.Helper()
	if tg.name != "postgres" {
		return 0
	}
	ports := p.tcpPorts(t)
	rows, err := tg.check.QueryContext(context.Background(), `SELECT client_port FROM pg_stat_activity WHERE application_name = $1 AND client_port IS NOT NULL`, "grafana-"+plugin.DatasourceID)
	if err != nil {
		t.Fatalf("pg_stat_activity: %v", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var port int
		if err := rows.Scan(&port); err != nil {
			t.Fatal(err)
		}
		if ports[port] {
			n++
		}
	}
	return n
}
