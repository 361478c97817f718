package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/plugin"
)

// relInjection is put in every string field, path parameter and query option: quotes
// of both kinds, a statement terminator, a comment, a backslash and LIKE wildcards.
const relInjection = "x'); DROP TABLE incidents; --\"\\%_"

// relBadBodies are payloads no route may store anything from, nor answer with 5xx.
func relBadBodies() map[string][]byte {
	return map[string][]byte{
		"empty":                 nil,
		"truncated array":       []byte(`[{"id":"t1","started_at":"2024-05-01T10:00:00Z"}`),
		"truncated string":      []byte(`{"id":"t1`),
		"deeply nested":         []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)),
		"deeply nested objects": []byte(strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000)),
		"NaN literal":           []byte(`[{"id":"n1","value":NaN,"started_at":"2024-05-01T10:00:00Z"}]`),
		"Infinity literal":      []byte(`{"name":"x","objective":Infinity}`),
		"not JSON":              []byte("\x00\x01\x02\xff"),
		"a number":              []byte(`1e999`),
		"a string":              []byte(`"` + relInjection + `"`),
	}
}

// relIngestURLs lists every ingest URL: /ingest/<kind> for each kind GET /kinds
// names, plus each route registered under /ingest/ or /webhooks/ on its own.
func relIngestURLs(t *testing.T, ds *plugin.Datasource, routes []relRoute) []string {
	t.Helper()
	resp := relCall(t, ds, "Viewer", http.MethodGet, "kinds", nil, nil)
	var kinds []string
	if err := json.Unmarshal(resp.body, &kinds); err != nil || len(kinds) == 0 {
		t.Fatalf("GET kinds: %d %s", resp.status, resp.body)
	}
	var urls []string
	for _, k := range kinds {
		urls = append(urls, "ingest/"+k)
	}
	for _, r := range routes {
		if r.write() && !strings.Contains(r.Path, "{") && (strings.HasPrefix(r.Path, "/ingest/") || strings.HasPrefix(r.Path, "/webhooks/")) {
			urls = append(urls, strings.TrimPrefix(r.Path, "/"))
		}
	}
	slices.Sort(urls)
	return slices.Compact(urls)
}

// relWriteURLs is every write route with its parameters filled by the injection string.
func relWriteURLs(routes []relRoute) [][2]string {
	var out [][2]string
	for _, r := range routes {
		if !r.write() {
			continue
		}
		method := r.Method
		if method == "" {
			method = http.MethodPost
		}
		u := relFill(r.Path, func(p string) string {
			if p == "kind" {
				return "incidents"
			}
			return url.PathEscape(relInjection)
		})
		out = append(out, [2]string{method, strings.TrimPrefix(u, "/")})
	}
	return out
}

// TestBadInputEveryWriteRoute sends each bad body to every write route (each ingest
// kind, each webhook, each definition endpoint) as an Editor would through Grafana:
// the answer is a 4xx with a JSON error (or a 200 that stores nothing), never a 5xx
// or a panic, and every table's rows are exactly as before.
func TestBadInputEveryWriteRoute(t *testing.T) {
	routes := relRoutes(t)
	relEachStore(t, func(t *testing.T, tg relTarget) {
		ds := relInstance(t, tg.jsonData, tg.secure)
		// Something stored, so "unchanged" means more than "still empty".
		if r := relCall(t, ds, "Editor", "POST", "ingest/incidents", nil, []byte(`[{"id":"keep","service":"api","started_at":"2024-05-01T10:00:00Z"}]`)); r.status != 200 {
			t.Fatalf("seed: %d %s", r.status, r.body)
		}
		targets := relWriteURLs(routes)
		for _, u := range relIngestURLs(t, ds, routes) {
			targets = append(targets, [2]string{"POST", u})
		}
		before := relTakeSnapshot(t, tg.check)
		for _, target := range targets {
			for name, body := range relBadBodies() {
				resp := relCall(t, ds, "Editor", target[0], target[1], nil, body)
				where := fmt.Sprintf("%s %s with %s", target[0], target[1], name)
				if resp.status >= 500 || resp.status == 0 {
					t.Errorf("%s: status %d: %.300s", where, resp.status, resp.body)
					continue
				}
				var e struct {
					Error  string `json:"error"`
					Stored *int   `json:"stored"`
				}
				if err := json.Unmarshal(resp.body, &e); err != nil {
					t.Errorf("%s: status %d, body is not JSON: %.200s", where, resp.status, resp.body)
					continue
				}
				if resp.status >= 400 && strings.TrimSpace(e.Error) == "" {
					t.Errorf("%s: status %d without an error message: %s", where, resp.status, resp.body)
				}
				if resp.status < 300 && e.Stored != nil && *e.Stored != 0 {
					t.Errorf("%s: stored %d records from a bad payload", where, *e.Stored)
				}
				if d := relDiff(before, relTakeSnapshot(t, tg.check)); len(d) > 0 {
					t.Errorf("%s (status %d %.200s) changed the store: %v", where, resp.status, resp.body, d)
					before = relTakeSnapshot(t, tg.check)
				}
			}
		}
	})
}

// relRecord is one record of a kind with every string field set to the injection
// string (ids made unique by tag), every time field to a valid instant, every
// number to 1 and every label map to keys and values with quotes.
func relRecord(k ingest.Kind, tag string, at string) map[string]any {
	rec := map[string]any{}
	for _, f := range k.Fields {
		switch f.Type {
		case ingest.String:
			rec[f.Name] = relInjection + tag
			if strings.HasSuffix(f.Name, "_at") { // a date kept as text (headcount's effective_at)
				rec[f.Name] = at
			}
		case ingest.Time:
			rec[f.Name] = at
		case ingest.Number:
			rec[f.Name] = 1
		case ingest.Labels:
			rec[f.Name] = map[string]string{"it's": `a "label"; DROP TABLE x; --`}
		case ingest.Enum:
			rec[f.Name] = f.Enum[len(f.Enum)-1] // e.g. a resolved alert, which may carry ends_at
		}
	}
	return rec
}

// TestBadInputIngestRecords sends, for every ingest kind, records with SQL
// metacharacters in every string field, duplicate keys within one batch, invalid
// UTF-8, non-finite numbers and times far in the past and future. The response says
// what was stored and what was rejected (naming the field), and the store shows
// exactly that: the kind's table grows by what was stored, no other table loses or
// gains rows, and the injected text is stored byte for byte.
func TestBadInputIngestRecords(t *testing.T) {
	kinds := ingest.DefaultKinds()
	relEachStore(t, func(t *testing.T, tg relTarget) {
		ds := relInstance(t, tg.jsonData, tg.secure)
		at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
		injected := 0
		for _, name := range kinds.Names() {
			k := kinds[name]
			cases := map[string][]map[string]any{
				"injection in every string field": {relRecord(k, "-1", at)},
				"duplicate keys in one batch":     {relRecord(k, "-2", at), relRecord(k, "-2", at)},
				"time in year 1":                  {relRecord(k, "-3", "0001-01-01T00:00:00Z")},
				"time in year 9999":               {relRecord(k, "-4", "9999-12-31T23:59:59Z")},
				"time without a zone":             {relRecord(k, "-5", "2024-05-01T10:00:00")},
				"NUL in every string field":       {relRecord(k, "-9\x00", at)},
			}
			for _, f := range k.Fields {
				if f.Type == ingest.Number {
					r := relRecord(k, "-6", at)
					r[f.Name] = "NaN"
					r2 := relRecord(k, "-7", at)
					r2[f.Name] = "Infinity" // encoding/json cannot marshal a float Inf
					cases["non-finite "+f.Name] = []map[string]any{r, r2}
				}
			}
			for cname, recs := range cases {
				body, err := json.Marshal(recs)
				if err != nil {
					t.Fatal(err)
				}
				res := relIngestCase(t, ds, tg, k, name+": "+cname, body)
				// Stored, or refused by a named field's own rule (an id format, a
				// cross-field check); never silently dropped.
				if cname == "injection in every string field" {
					if res.Stored == 1 {
						injected++
					} else if len(res.Rejected) != 1 || res.Rejected[0].Field == "" {
						t.Errorf("%s: the injection record was neither stored nor refused by a named field: %+v", name, res)
					}
				}
			}
			// Invalid UTF-8 cannot go through json.Marshal; write it by hand.
			bad := relRecord(k, "-8", at)
			raw, _ := json.Marshal([]map[string]any{bad})
			raw = []byte(strings.Replace(string(raw), "-8", "-8\xff\xfe", 1))
			relIngestCase(t, ds, tg, k, name+": invalid UTF-8", raw)
		}
		if injected < len(kinds)/2 {
			t.Errorf("the injection record was stored for only %d of %d kinds", injected, len(kinds))
		}
		t.Logf("%s: injection text stored verbatim for %d of %d kinds (the rest refuse it by an id rule)", tg.name, injected, len(kinds))
		// The tables are all still there and the injected text was stored as text.
		var got string
		err := tg.check.QueryRowContext(context.Background(), `SELECT id FROM incidents WHERE id = $1`, relInjection+"-1").Scan(&got)
		if err != nil || got != relInjection+"-1" {
			t.Errorf("the injected incident id did not round-trip: %q, %v", got, err)
		}
	})
}

func relIngestCase(t *testing.T, ds *plugin.Datasource, tg relTarget, k ingest.Kind, where string, body []byte) ingest.Result {
	t.Helper()
	before := relTakeSnapshot(t, tg.check)
	resp := relCall(t, ds, "Editor", "POST", "ingest/"+k.Name, nil, body)
	after := relTakeSnapshot(t, tg.check)
	if testing.Verbose() {
		t.Logf("%s: %d %.300s", where, resp.status, resp.body)
	}
	if resp.status != http.StatusOK {
		if resp.status >= 500 || !strings.Contains(string(resp.body), `"error"`) {
			t.Errorf("%s: status %d: %.300s", where, resp.status, resp.body)
		}
		if d := relDiff(before, after); len(d) > 0 {
			t.Errorf("%s: refused (%d) but the store changed: %v", where, resp.status, d)
		}
		return ingest.Result{}
	}
	var res ingest.Result
	if err := json.Unmarshal(resp.body, &res); err != nil {
		t.Fatalf("%s: %v: %s", where, err, resp.body)
	}
	for _, r := range res.Rejected {
		if r.Reason == "" || r.Position == 0 {
			t.Errorf("%s: a rejection without a position or reason: %+v", where, r)
		}
	}
	if grew := after[k.Table].Rows - before[k.Table].Rows; grew != res.Stored {
		t.Errorf("%s: response says %d stored, %s grew by %d (%s)", where, res.Stored, k.Table, grew, resp.body)
	}
	for table, a := range after {
		if table == k.Table {
			continue
		}
		// *_state tables are rollup bookkeeping, rewritten by every ingest of their kind.
		if b := before[table]; a.Rows < b.Rows || (res.Stored == 0 && a != b && !strings.HasSuffix(table, "_state")) {
			t.Errorf("%s: %s changed from %+v to %+v", where, table, b, a)
		}
	}
	return res
}

// relFillOptions sets every string and string-list field of every family's options
// (reached through models.Query's pointer fields) to the injection string.
// Nested queries (an spc or backtest source) are filled one level deep.
func relFillOptions(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() && v.Type().Elem().Kind() == reflect.Struct && depth < 3 {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if !v.IsNil() {
			relFillOptions(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				relFillOptions(v.Field(i), depth)
			}
		}
	case reflect.String:
		v.SetString(relInjection)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf([]string{relInjection}).Convert(v.Type()))
		}
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String && v.Type().Elem().Kind() == reflect.Slice && v.Type().Elem().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf(map[string][]string{relInjection: {relInjection}, "service": {relInjection}}).Convert(v.Type()))
		}
	}
}

// TestBadInputQueryOptions sends every query type with the injection string in
// every common field and in every option of every family (group-by, filters,
// metric, stat, bucket, format, and each family's own options; nested source
// queries left empty): each answers frames or its own error, no query fails the
// others, and the store is unchanged.
func TestBadInputQueryOptions(t *testing.T) {
	relEachStore(t, func(t *testing.T, tg relTarget) {
		ds := relInstance(t, tg.jsonData, tg.secure)
		if r := relCall(t, ds, "Editor", "POST", "ingest/incidents", nil, []byte(`[{"id":"keep","service":"api","started_at":"2024-05-01T10:00:00Z"}]`)); r.status != 200 {
			t.Fatalf("seed: %d %s", r.status, r.body)
		}
		before := relTakeSnapshot(t, tg.check)
		var queries []backend.DataQuery
		for i, qt := range metrics.Engine().Types() {
			for j, variant := range []func(q *models.Query){
				func(q *models.Query) { q.GroupBy = []string{relInjection} },
				func(q *models.Query) { q.Filters = map[string][]string{relInjection: {"a"}} },
				func(q *models.Query) {
					q.Filters = map[string][]string{"service": {relInjection}, "team": {relInjection}}
				},
				func(q *models.Query) { q.Metric, q.Stat = relInjection, relInjection },
				func(q *models.Query) { q.Bucket = "1d; " + relInjection },
				func(q *models.Query) { q.Format = relInjection },
				func(q *models.Query) { relFillOptions(reflect.ValueOf(q).Elem(), 0); q.QueryType = qt },
			} {
				q := models.Query{QueryType: qt}
				variant(&q)
				raw, err := json.Marshal(q)
				if err != nil {
					t.Fatal(err)
				}
				queries = append(queries, backend.DataQuery{
					RefID: fmt.Sprintf("%s-%d-%d", qt, i, j), QueryType: qt, JSON: raw, Interval: time.Hour, MaxDataPoints: 500,
					TimeRange: backend.TimeRange{From: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
				})
			}
		}
		resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: queries})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queries {
			r, ok := resp.Responses[q.RefID]
			if !ok {
				t.Errorf("%s: no response", q.RefID)
				continue
			}
			if r.Error != nil {
				msg := r.Error.Error()
				if r.Status >= 500 || strings.Contains(msg, "syntax error") || strings.Contains(msg, "SQL logic error") || strings.Contains(msg, "SQLSTATE") {
					t.Errorf("%s: %s reached the database as SQL: %s", q.RefID, q.JSON, msg)
				}
			}
		}
		if d := relDiff(before, relTakeSnapshot(t, tg.check)); len(d) > 0 {
			t.Errorf("queries changed the store: %v", d)
		}
	})
}

// TestBadInputTemplateValuesWithQuotes: dashboard variable values with quotes,
// commas and braces (what Grafana's interpolation can produce) are matched as plain
// values, each selecting exactly its own incident.
func TestBadInputTemplateValuesWithQuotes(t *testing.T) {
	values := []string{`O'Brien`, `a","b`, `'api','web'`, `{api,web}`, `api' OR '1'='1`, `$service`, `\'`}
	relEachStore(t, func(t *testing.T, tg relTarget) {
		ds := relInstance(t, tg.jsonData, tg.secure)
		var recs []map[string]any
		for i, v := range values {
			recs = append(recs, map[string]any{"id": fmt.Sprintf("q%d", i), "service": v, "started_at": "2024-05-01T10:00:00Z"})
		}
		recs = append(recs, map[string]any{"id": "plain", "service": "api", "started_at": "2024-05-01T10:00:00Z"})
		body, _ := json.Marshal(recs)
		if r := relCall(t, ds, "Editor", "POST", "ingest/incidents", nil, body); r.status != 200 || !strings.Contains(string(r.body), fmt.Sprintf(`"stored":%d`, len(recs))) {
			t.Fatalf("ingest: %d %s", r.status, r.body)
		}
		for _, v := range values {
			q, _ := json.Marshal(models.Query{QueryType: "incidents", Metric: "count", Bucket: "none", Filters: map[string][]string{"service": {v}}})
			resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
				RefID: "A", JSON: q, TimeRange: backend.TimeRange{From: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
			}}})
			if err != nil {
				t.Fatal(err)
			}
			r := resp.Responses["A"]
			if r.Error != nil {
				t.Errorf("service %q: %v", v, r.Error)
				continue
			}
			total := 0.0
			for _, fr := range r.Frames {
				for _, f := range fr.Fields {
					for i := range f.Len() {
						if x, ok := f.ConcreteAt(i); ok {
							if n, ok := x.(float64); ok {
								total += n
							}
						}
					}
				}
			}
			if total != 1 {
				t.Errorf("service %q: count %v, want 1 (only the incident with that exact service)", v, total)
			}
		}
	})
}

// TestBadInputHugeBody sends a 100 MB body in-process, as httpadapter hands it to the
// handlers: refused with 413 before it is read (no copy: the heap grows by far less
// than the body), nothing stored; and a body just over a configured 1 MiB limit
// with no Content-Length is cut off at the limit, also 413.
func TestBadInputHugeBody(t *testing.T) {
	relEachStore(t, func(t *testing.T, tg relTarget) {
		jsonData := map[string]any{"maxIngestBytes": 1 << 20}
		for k, v := range tg.jsonData {
			jsonData[k] = v
		}
		ds := relInstance(t, jsonData, tg.secure)
		before := relTakeSnapshot(t, tg.check)
		huge := relHugeIncidents(100 << 20)
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		resp := relCall(t, ds, "Editor", "POST", "ingest/incidents", nil, huge)
		runtime.ReadMemStats(&m1)
		allocated := m1.TotalAlloc - m0.TotalAlloc
		t.Logf("%s: 100 MB body: status %d, %d bytes allocated while answering", tg.name, resp.status, allocated)
		if resp.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(resp.body), "nothing was stored") {
			t.Errorf("100 MB body: status %d %s, want 413 saying nothing was stored", resp.status, resp.body)
		}
		if allocated > 8<<20 {
			t.Errorf("answering a 100 MB body allocated %d bytes: the body was buffered", allocated)
		}
		for _, u := range []string{"webhooks/alertmanager", "webhooks/github", "ingest/observations-batch", "kpis", "slos"} {
			if r := relCall(t, ds, "Editor", "POST", u, nil, huge[:2<<20]); r.status != http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s with 2 MiB over a 1 MiB limit: status %d %.200s, want 413", u, r.status, r.body)
			}
		}
		if d := relDiff(before, relTakeSnapshot(t, tg.check)); len(d) > 0 {
			t.Errorf("an oversized body changed the store: %v", d)
		}
	})
}

// relHugeIncidents is a valid incidents payload of about n bytes: if the limit did
// not hold, every record would be stored.
func relHugeIncidents(n int) []byte {
	var b strings.Builder
	b.Grow(n + 200)
	b.WriteString("[")
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"huge-%d","service":"api","started_at":"2024-05-01T10:00:00Z"}`, i)
	}
	b.WriteString("]")
	return []byte(b.String())
}

// TestBadInputThroughTheExecutable sends a subset of the catalogue through the real
// executable over gRPC, as Grafana does: a truncated body, invalid UTF-8, the
// injection record, duplicate ids, a body over the configured limit (413), and a
// 100 MB body, which the SDK's gRPC server refuses at its 16 MiB message limit
// before the plugin sees it. After each, the store holds exactly what the responses
// said, and the process's peak memory stays far below the body's size.
func TestBadInputThroughTheExecutable(t *testing.T) {
	relEachStore(t, func(t *testing.T, tg relTarget) {
		jsonData := map[string]any{"maxIngestBytes": 1 << 20}
		for k, v := range tg.jsonData {
			jsonData[k] = v
		}
		p := relStart(t, jsonData, tg.secure)
		at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
		inj, _ := json.Marshal([]map[string]any{relRecord(ingest.DefaultKinds()["incidents"], "-grpc", at)})
		dup, _ := json.Marshal([]map[string]any{{"id": "d", "started_at": at}, {"id": "d", "started_at": at, "service": "web"}})
		baseline := p.peakRSS(t)
		stored := 0
		for _, c := range []struct {
			name   string
			body   []byte
			status int
			stored int
		}{
			{"truncated", []byte(`[{"id":"t","started_at":"` + at + `"}`), http.StatusBadRequest, 0},
			{"invalid UTF-8", []byte("[{\"id\":\"u\xff\",\"started_at\":\"" + at + "\"}]"), http.StatusOK, 0},
			{"injection", inj, http.StatusOK, 1},
			{"duplicate ids", dup, http.StatusOK, 1},
			{"2 MiB over a 1 MiB limit", relHugeIncidents(2 << 20), http.StatusRequestEntityTooLarge, 0},
		} {
			before := relTakeSnapshot(t, tg.check)
			status, body, err := p.call("Editor", "POST", "ingest/incidents", nil, c.body)
			if err != nil || status != c.status {
				t.Errorf("%s: status %d %v %.200s, want %d", c.name, status, err, body, c.status)
				continue
			}
			after := relTakeSnapshot(t, tg.check)
			if grew := after["incidents"].Rows - before["incidents"].Rows; grew != c.stored {
				t.Errorf("%s: incidents grew by %d, want %d (%s)", c.name, grew, c.stored, body)
			}
			stored += c.stored
		}
		huge := relHugeIncidents(100 << 20)
		before := relTakeSnapshot(t, tg.check)
		status, body, err := p.call("Editor", "POST", "ingest/incidents", nil, huge)
		peak := p.peakRSS(t)
		t.Logf("%s: 100 MB over gRPC: status %d, error %v; plugin peak RSS %d MiB -> %d MiB", tg.name, status, err, baseline>>20, peak>>20)
		if err == nil && status != http.StatusRequestEntityTooLarge {
			t.Errorf("100 MB body: status %d %.200s, want 413 or the gRPC size refusal", status, body)
		}
		if err != nil && !strings.Contains(err.Error(), "ResourceExhausted") {
			t.Errorf("100 MB body: %v, want ResourceExhausted (the gRPC message limit)", err)
		}
		if peak-baseline > 48<<20 {
			t.Errorf("the plugin's peak RSS grew by %d MiB on a 100 MB body", (peak-baseline)>>20)
		}
		if d := relDiff(before, relTakeSnapshot(t, tg.check)); len(d) > 0 {
			t.Errorf("100 MB body changed the store: %v", d)
		}
		// Still healthy and answering.
		if status, body, err := p.call("Editor", "POST", "ingest/incidents", nil, dup); err != nil || status != http.StatusOK {
			t.Errorf("after the bad input: %d %v %s", status, err, body)
		}
		if n := relTakeSnapshot(t, tg.check)["incidents"].Rows; n != stored {
			t.Errorf("incidents: %d rows, want %d", n, stored)
		}
	})
}

// TestBadInputReadRoutes sends the injection string as every path parameter of every
// read route (values/<dimension> pickers, definitions by id) and as a query-string
// value: each answers without a 5xx and without a database syntax error, which would
// mean the text reached SQL as SQL.
func TestBadInputReadRoutes(t *testing.T) {
	relEachStore(t, func(t *testing.T, tg relTarget) {
		ds := relInstance(t, tg.jsonData, tg.secure)
		before := relTakeSnapshot(t, tg.check)
		for _, r := range relRoutes(t) {
			if r.write() {
				continue
			}
			u := strings.TrimPrefix(relFill(r.Path, func(string) string { return url.PathEscape(relInjection) }), "/")
			for _, full := range []string{u, u + "?model=" + url.QueryEscape(relInjection) + "&stream=" + url.QueryEscape(relInjection)} {
				resp := relCall(t, ds, "Viewer", r.Method, full, nil, nil)
				body := string(resp.body)
				if resp.status >= 500 || strings.Contains(body, "syntax error") || strings.Contains(body, "SQLSTATE") || strings.Contains(body, "SQL logic error") {
					t.Errorf("%s %s: status %d %.300s", r.Method, full, resp.status, body)
				}
			}
		}
		if d := relDiff(before, relTakeSnapshot(t, tg.check)); len(d) > 0 {
			t.Errorf("read routes changed the store: %v", d)
		}
	})
}

// relLeaves returns copies of v, each with one string leaf (object values, array
// items, and object keys of label maps) replaced by the injection string.
func relLeaves(v any) []any {
	var out []any
	var walk func(cur any, set func(any) any)
	walk = func(cur any, set func(any) any) {
		switch x := cur.(type) {
		case string:
			out = append(out, set(relInjection))
		case map[string]any:
			for k, e := range x {
				walk(e, func(n any) any {
					cp := maps.Clone(x)
					cp[k] = n
					return set(cp)
				})
			}
		case []any:
			for i, e := range x {
				walk(e, func(n any) any {
					cp := slices.Clone(x)
					cp[i] = n
					return set(cp)
				})
			}
		}
	}
	walk(v, func(n any) any { return n })
	return out
}

// TestBadInputDefinitionAndWebhookStrings takes a valid body for every definition
// endpoint (SLOs, KPIs, kaizen events, value streams) and every sender (Alertmanager,
// GitHub, GitLab, transitions) and sends it once per string in it, that string
// replaced by the injection text: each answer is a 2xx or a 4xx naming what was
// wrong, never a 5xx; a refusal changes no table; and the store still reads.
func TestBadInputDefinitionAndWebhookStrings(t *testing.T) {
	read := func(file string) string {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	bodies := []struct{ method, url, body string }{
		{"POST", "slos", `{"id":"checkout","name":"Checkout availability","service":"shop","objective":99.9,"window":"30d","sla":{"period":"month","tiers":[{"below":99.9,"credit":10}],"contract_value":12000,"currency":"EUR"}}`},
		{"POST", "kpis", `{"id":"availability","name":"Availability","unit":"percent","direction":"higher","target":99.9,"warning":99.5,"critical":99,"owner":"sre"}`},
		{"POST", "kaizen/events", `{"id":"kz-runbook","name":"Checkout runbook","owner":"sre","hypothesis":"h","target":{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d","filters":{"service":["checkout"]}},"proposed_at":"2025-01-10T00:00:00Z"}`},
		{"PUT", "flow/streams/delivery", `{"description":"delivery","stages":[{"name":"Backlog","kind":"waiting"},{"name":"Dev","kind":"active","wip_limit":3},{"name":"Done","kind":"done"}]}`},
		{"POST", "webhooks/transitions", `{"item_id":"A","to":"Dev","at":"2024-05-01T10:00:00Z","value_stream":"delivery","type":"story"}`},
		{"POST", "webhooks/alertmanager", read("../ingest/testdata/alertmanager_firing.json")},
		{"POST", "webhooks/github", read("../ingest/testdata/github_deployment_status_success.json")},
		{"POST", "webhooks/gitlab", read("../ingest/testdata/gitlab_deployment_success.json")},
	}
	relEachStore(t, func(t *testing.T, tg relTarget) {
		ds := relInstance(t, tg.jsonData, tg.secure)
		headers := map[string]string{"X-GitHub-Event": "deployment_status", "X-Gitlab-Event": "Deployment Hook"}
		sent := 0
		for _, b := range bodies {
			var v any
			if err := json.Unmarshal([]byte(b.body), &v); err != nil {
				t.Fatalf("%s: %v", b.url, err)
			}
			for _, mutated := range relLeaves(v) {
				raw, _ := json.Marshal(mutated)
				before := relTakeSnapshot(t, tg.check)
				resp := relCall(t, ds, "Editor", b.method, b.url, headers, raw)
				sent++
				where := b.method + " " + b.url + " " + string(raw)
				if resp.status >= 500 || resp.status == 0 || !json.Valid(resp.body) {
					t.Errorf("%s: status %d %.300s", where, resp.status, resp.body)
					continue
				}
				if resp.status >= 400 {
					if !strings.Contains(string(resp.body), `"error"`) {
						t.Errorf("%s: %d without an error: %s", where, resp.status, resp.body)
					}
					if d := relDiff(before, relTakeSnapshot(t, tg.check)); len(d) > 0 {
						t.Errorf("%s: refused (%d) but changed %v", where, resp.status, d)
					}
				}
			}
		}
		t.Logf("%s: %d bodies with one string replaced by injection text", tg.name, sent)
		for _, u := range []string{"slos", "kpis", "kaizen/events", "flow/streams"} {
			if r := relCall(t, ds, "Viewer", "GET", u, nil, nil); r.status != http.StatusOK {
				t.Errorf("GET %s after the injections: %d %.200s", u, r.status, r.body)
			}
		}
	})
}
