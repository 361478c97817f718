package reliability

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/plugin"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/postgres"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// relToken is the ingest token every data source in these tests is configured with.
const relToken = "rel-ingest-token-7d1f"

// relTarget is one store a data source instance is configured on, the way Grafana
// configures it (jsonData + secureJsonData), and a second handle on the same store
// to check what the instance stored.
type relTarget struct {
	name     string
	jsonData map[string]any
	secure   map[string]string
	check    store.Store
}

// relEachStore is storetest.Each for tests that need the data source to open the
// store itself from its settings (as NewDatasource does): SQLite always, PostgreSQL
// in a schema of its own when KAIZEN_TEST_POSTGRES_DSN is set.
func relEachStore(t *testing.T, fn func(t *testing.T, tg relTarget)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kaizen.db")
		check, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = check.Close() })
		fn(t, relTarget{name: "sqlite", jsonData: map[string]any{"path": path}, secure: map[string]string{"ingestToken": relToken}, check: check})
	})
	if os.Getenv(storetest.PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) {
			cfg := storetest.PostgresConfig(t)
			check, err := postgres.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = check.Close() })
			fn(t, relTarget{name: "postgres", jsonData: relPostgresJSON(cfg), secure: map[string]string{"ingestToken": relToken, "password": cfg.Password}, check: check})
		})
	}
}

func relPostgresJSON(cfg postgres.Config) map[string]any {
	mode := cfg.SSLMode
	if mode == "" {
		mode = "disable"
	}
	return map[string]any{"store": "postgres", "host": cfg.Host, "port": cfg.Port, "database": cfg.Database, "user": cfg.User, "sslmode": mode, "schema": cfg.Schema}
}

// relInstance builds the data source as the SDK's instance manager does.
func relInstance(t *testing.T, jsonData map[string]any, secure map[string]string) *plugin.Datasource {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "rel", JSONData: raw, DecryptedSecureJSONData: secure})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	ds := inst.(*plugin.Datasource)
	t.Cleanup(ds.Dispose)
	return ds
}

type relResponse struct {
	status int
	body   []byte
}

func (r *relResponse) Send(resp *backend.CallResourceResponse) error {
	if resp.Status != 0 {
		r.status = resp.Status
	}
	r.body = append(r.body, resp.Body...)
	return nil
}

// relCall sends a Grafana-shaped resource request (role "" is anonymous).
func relCall(t *testing.T, ds *plugin.Datasource, role, method, url string, headers map[string]string, body []byte) relResponse {
	t.Helper()
	path, _, _ := strings.Cut(url, "?")
	req := &backend.CallResourceRequest{Method: method, Path: strings.TrimPrefix(path, "/"), URL: strings.TrimPrefix(url, "/"), Body: body, Headers: map[string][]string{}}
	req.PluginContext.OrgID = 1
	if role != "" {
		req.PluginContext.User = &backend.User{Login: "rel", Role: role}
	}
	for k, v := range headers {
		req.Headers[k] = []string{v}
	}
	var r relResponse
	if err := ds.CallResource(context.Background(), req, &r); err != nil {
		t.Fatalf("CallResource %s %s: %v", method, url, err)
	}
	return r
}

// relSnapshot is every table's row count and a digest of its rows, order-independent.
type relSnapshot map[string]struct {
	Rows   int
	Digest string
}

// relTables lists every table of the store (event kinds, definitions, rollups,
// migrations), so a write anywhere shows up.
func relTables(ctx context.Context, st store.Store) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if st.Dialect().Name == store.Postgres.Name {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := st.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out, rows.Err()
}

var relIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

func relTakeSnapshot(t *testing.T, st store.Store) relSnapshot {
	t.Helper()
	ctx := context.Background()
	tables, err := relTables(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	snap := relSnapshot{}
	for _, table := range tables {
		if !relIdent.MatchString(table) {
			t.Fatalf("unexpected table name %q", table)
		}
		rows, err := st.QueryContext(ctx, "SELECT * FROM "+table) // names from the catalog, checked above
		if err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("reading %s: %v", table, err)
			}
			var b strings.Builder
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%T:%v\x1f", v, v)
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		sort.Strings(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\x1e")))
		snap[table] = struct {
			Rows   int
			Digest string
		}{len(lines), hex.EncodeToString(h[:8])}
	}
	return snap
}

// relDiff lists the tables whose rows changed between two snapshots.
func relDiff(before, after relSnapshot) []string {
	var out []string
	for table, a := range after {
		if b := before[table]; a != b {
			out = append(out, fmt.Sprintf("%s: %d rows (%s) -> %d rows (%s)", table, b.Rows, b.Digest, a.Rows, a.Digest))
		}
	}
	for table := range before {
		if _, ok := after[table]; !ok {
			out = append(out, table+": dropped")
		}
	}
	sort.Strings(out)
	return out
}

// relRoute is one resource route as registered on the plugin's mux.
type relRoute struct {
	Method, Path string
	// Guarded says the handler is wrapped in requireWriter where it is registered.
	Guarded bool
	Pos     string
}

func (r relRoute) String() string { return r.Method + " " + r.Path }

// write says whether the route changes state (anything but GET/HEAD).
func (r relRoute) write() bool { return r.Method != http.MethodGet && r.Method != http.MethodHead }

// relRoutes reads every mux.Handle/HandleFunc call in pkg/plugin's sources, so a
// route added anywhere is listed without editing this test. Patterns are string
// constants, possibly joined with ingest's kind constants; anything else fails the
// test rather than being skipped.
func relRoutes(t *testing.T) []relRoute {
	t.Helper()
	fset := token.NewFileSet()
	consts := map[string]string{}
	for _, pkg := range []string{"../ingest", "../plugin"} {
		files, _ := filepath.Glob(filepath.Join(pkg, "*.go"))
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			prefix := ""
			if f.Name.Name != "plugin" {
				prefix = f.Name.Name + "."
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								consts[prefix+name.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			}
		}
	}
	var eval func(e ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		case *ast.Ident:
			s, ok := consts[x.Name]
			return s, ok
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				s, ok := consts[id.Name+"."+x.Sel.Name]
				return s, ok
			}
		case *ast.BinaryExpr:
			if x.Op == token.ADD {
				a, ok1 := eval(x.X)
				b, ok2 := eval(x.Y)
				return a + b, ok1 && ok2
			}
		case *ast.ParenExpr:
			return eval(x.X)
		}
		return "", false
	}
	files, _ := filepath.Glob("../plugin/*.go")
	var routes []relRoute
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") || len(call.Args) != 2 {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "mux" {
				return true
			}
			pos := fset.Position(call.Pos()).String()
			pattern, ok := eval(call.Args[0])
			if !ok {
				t.Fatalf("%s: cannot read the route pattern; keep patterns constant (or teach relRoutes the new form)", pos)
			}
			method, path, found := strings.Cut(pattern, " ")
			if !found {
				method, path = "", pattern // a pattern without a method takes every method: a write route
			}
			guarded := false
			ast.Inspect(call.Args[1], func(n ast.Node) bool {
				if s, ok := n.(*ast.SelectorExpr); ok && s.Sel.Name == "requireWriter" {
					guarded = true
				}
				return true
			})
			routes = append(routes, relRoute{Method: method, Path: path, Guarded: guarded, Pos: pos})
			return true
		})
	}
	if len(routes) < 10 {
		t.Fatalf("found only %d routes in pkg/plugin; the route reader is broken", len(routes))
	}
	return routes
}

// relFill puts a value into every {param} of a route path.
func relFill(path string, value func(param string) string) string {
	return regexp.MustCompile(`\{([^}]+)\}`).ReplaceAllStringFunc(path, func(m string) string {
		return value(strings.Trim(m, "{}."))
	})
}
