package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The fuzz targets below feed every parser arbitrary bytes, seeded from the real
// payloads in testdata/ (here and under pkg/metrics/*/testdata). Run one for longer:
//
//	go test ./pkg/ingest -run '^$' -fuzz '^FuzzDecode$' -fuzztime 5m
//
// scripts/fuzz.sh runs each for a few seconds (FUZZTIME); inputs that once failed
// stay in testdata/fuzz/<target>/ and run with every go test.

var fuzzNow = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// fuzzKinds is every record kind a payload is read as, in a fixed order so a fuzz
// input's kind byte always means the same kind.
func fuzzKinds() []Kind {
	ks := DefaultKinds()
	out := make([]Kind, 0, len(ks)+2)
	for _, n := range ks.Names() {
		out = append(out, ks[n])
	}
	return append(out, KaizenEventKind(), KPIDefinitionKind())
}

var fuzzFormats = []Format{JSON, NDJSON, CSV}

// seedPayloads adds every payload file under the given directories, with the kind
// its name (or its directory) says and the format its extension says.
func seedPayloads(f *testing.F) {
	kinds := fuzzKinds()
	kindIndex := func(file string) int {
		base := strings.ToLower(filepath.Base(file))
		best, bestLen := 0, 0
		for i, k := range kinds {
			name := strings.TrimSuffix(k.Name, "s")
			if strings.Contains(base, name) && len(name) > bestLen {
				best, bestLen = i, len(name)
			}
		}
		return best
	}
	var files []string
	for _, pattern := range []string{"testdata/*", "../metrics/*/testdata/*"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	for _, file := range files {
		format := map[string]Format{".json": JSON, ".ndjson": NDJSON, ".csv": CSV}[filepath.Ext(file)]
		if format == "" {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 64<<10 {
			b = b[:64<<10] // a cut payload is an input worth trying too
		}
		f.Add(uint8(kindIndex(file)), uint8(slices.Index(fuzzFormats, format)), b)
	}
	// Hand-made edges: truncation, nesting, bad UTF-8, NUL, huge numbers, far times,
	// duplicate ids, SQL metacharacters.
	for _, s := range []string{
		`[{"id":"a","started_at":"2024-05-01T10:00:00Z"}`,
		`[` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `]`,
		`{"id":"\xff\xfe","started_at":"2024-05-01T10:00:00Z"}`,
		`{"id":"a\u0000b","started_at":"2024-05-01T10:00:00Z"}`,
		`{"id":"a","started_at":"2024-05-01T10:00:00Z","customer_impact":1e999}`,
		`{"id":"a","started_at":"0001-01-01T00:00:00Z"}`,
		`{"id":"a","started_at":"9999-12-31T23:59:59Z"}`,
		`[{"id":"a","started_at":"2024-05-01T10:00:00Z"},{"id":"a","started_at":"2024-05-02T10:00:00Z"}]`,
		`{"id":"x'); DROP TABLE incidents;--","service":"\" OR 1=1 --","started_at":"2024-05-01T10:00:00Z","labels":{"a'b":"c\"d"}}`,
		"id,started_at\n\"a,2024-05-01T10:00:00Z\n",
		"\xef\xbb\xbfid,started_at\r\na,2024-05-01T10:00:00Z\r\n",
	} {
		for fi := range fuzzFormats {
			f.Add(uint8(0), uint8(fi), []byte(s))
		}
	}
}

// FuzzDecode reads arbitrary payloads as every kind in every format, without a
// store. Whatever the bytes: no panic; records are numbered 1, 2, 3... with no more
// records than the payload has room for; every record either converts to values
// of its fields' types and limits or is rejected with a reason that names a field
// of the kind; and allocations stay proportional to the payload.
func FuzzDecode(f *testing.F) {
	seedPayloads(f)
	kinds := fuzzKinds()
	f.Fuzz(func(t *testing.T, kindIdx, formatIdx uint8, body []byte) {
		kind := kinds[int(kindIdx)%len(kinds)]
		format := fuzzFormats[int(formatIdx)%len(fuzzFormats)]
		var required []string
		for _, fl := range kind.Fields {
			if fl.Required {
				required = append(required, fl.Name)
			}
		}
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		records := 0
		err := decode(format, bytes.NewReader(body), required, func(d decoded) error {
			records++
			if d.position != records {
				t.Fatalf("record %d numbered %d", records, d.position)
			}
			if d.err == nil {
				rec, fe := kind.convert(d.raw, fuzzNow, map[string]bool{})
				if fe == nil {
					checkRecord(t, kind, rec)
					return nil
				}
				d.err = fe
			}
			checkFieldError(t, kind, d.err)
			return nil
		})
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if err != nil {
			var pe *PayloadError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("%s payload error %v (%T) is not a *PayloadError with a reason", format, err, err)
			}
		}
		if records > len(body)/2+1 {
			t.Fatalf("%d records from %d bytes", records, len(body))
		}
		// Decoding holds one record at a time; what it allocates in total is a
		// bounded multiple of the payload (maps, strings, the record's values).
		if grew, bound := after.TotalAlloc-before.TotalAlloc, uint64(1<<20+512*len(body)); grew > bound {
			t.Fatalf("%d-byte %s payload allocated %d bytes, more than %d", len(body), format, grew, bound)
		}
	})
}

// checkRecord asserts a converted record holds every field, typed and within limits.
func checkRecord(t *testing.T, k Kind, rec Record) {
	t.Helper()
	for _, fl := range k.Fields {
		v, ok := rec[fl.Name]
		if !ok {
			t.Fatalf("%s record lacks %s", k.Name, fl.Name)
		}
		if _, normalized := v.(int64); normalized && fl.Type != Time {
			continue // a kind's Check may turn a field into Unix ms or a whole number (headcount dates, seq)
		}
		switch fl.Type {
		case String, Enum:
			s, isString := v.(string)
			if !isString || !utf8.ValidString(s) || len(s) > maxStringBytes || strings.ContainsRune(s, 0) {
				t.Fatalf("%s.%s = %q is not a valid string", k.Name, fl.Name, v)
			}
			if fl.Type == Enum && s != fl.Default && !slices.Contains(fl.Enum, s) {
				t.Fatalf("%s.%s = %q is not one of %v", k.Name, fl.Name, s, fl.Enum)
			}
		case Time:
			if v == nil {
				if fl.Required {
					t.Fatalf("%s.%s is required but nil", k.Name, fl.Name)
				}
				continue
			}
			ms, isMs := v.(int64)
			limit := fuzzNow.Add(clockSkew)
			if fl.Future {
				limit = latestFuture
			}
			if !isMs || ms < 0 || ms > limit.UnixMilli() {
				t.Fatalf("%s.%s = %v is outside 1970..%s", k.Name, fl.Name, v, limit)
			}
		case Number:
			if v == nil {
				continue
			}
			x, isNum := v.(float64)
			if !isNum || math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%s.%s = %v is not a finite number", k.Name, fl.Name, v)
			}
		case Labels:
			s, _ := v.(string)
			var m map[string]string
			if err := json.Unmarshal([]byte(s), &m); err != nil || len(m) > maxLabels {
				t.Fatalf("%s.%s = %q is not a JSON object of at most %d strings: %v", k.Name, fl.Name, s, maxLabels, err)
			}
		}
	}
}

// checkFieldError asserts a rejection says why and, when it names a field, names
// one of the kind's (or an element of one, such as review_days).
func checkFieldError(t *testing.T, k Kind, fe *FieldError) {
	t.Helper()
	if fe == nil || strings.TrimSpace(fe.Reason) == "" {
		t.Fatalf("%s record rejected without a reason: %+v", k.Name, fe)
	}
	if fe.Field == "" {
		return
	}
	name := fe.Field
	if i := strings.IndexAny(name, ".["); i > 0 {
		name = name[:i]
	}
	if _, ok := k.field(name); !ok && name != "target" {
		t.Fatalf("%s record rejected on %q, not a field of the kind (%s)", k.Name, fe.Field, fe.Reason)
	}
}

// FuzzParseTime: any text is either an instant from 1970 to the allowed future,
// which reads back the same, or an error that quotes the text it refused.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-05-01T10:00:00Z", "2024-05-01T13:30:00+02:00", "2024-05-01T10:00:00.123456789Z",
		"2024-05-01T10:00:00", "2024-05-01 10:00:00Z", "1969-12-31T23:59:59Z", "2200-01-01T00:00:01Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-23:59", " 2024-05-01T10:00:00Z\t", "2024-13-45T25:61:61Z", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, future bool) {
		ms, err := parseTime(s, fuzzNow, future)
		if err != nil {
			// The message quotes the text with %q, so compare against the same quoting.
			quoted := strconv.Quote(strings.TrimSpace(s))
			if !strings.Contains(err.Error(), quoted[1:len(quoted)-1]) && utf8.ValidString(s) {
				t.Fatalf("error %q does not quote %q", err, s)
			}
			return
		}
		limit := fuzzNow.Add(clockSkew)
		if future {
			limit = latestFuture
		}
		if ms < 0 || ms > limit.UnixMilli() {
			t.Fatalf("%q accepted as %d ms, outside 1970..%s", s, ms, limit)
		}
		back, err := parseTime(time.UnixMilli(ms).UTC().Format(time.RFC3339Nano), fuzzNow, future)
		if err != nil || back != ms {
			t.Fatalf("%q = %d ms does not read back (%d, %v)", s, ms, back, err)
		}
	})
}

// fuzzIngests is every store-backed ingest path a resource route takes, by name.
func fuzzIngests() []string {
	names := DefaultKinds().Names()
	return append(names, "usage (rollup)", "sli (rollup)", ObservationsBatchKind)
}

func ingestByName(ctx context.Context, st store.Store, name string, format Format, body []byte) (Result, error) {
	opts := Options{Now: fuzzNow, Source: "fuzz"}
	switch name {
	case "usage (rollup)":
		return IngestUsage(ctx, st, format, bytes.NewReader(body), opts)
	case "sli (rollup)":
		return IngestSLI(ctx, st, format, bytes.NewReader(body), opts)
	case ObservationsBatchKind:
		return IngestObservationBatches(ctx, st, format, bytes.NewReader(body), opts)
	}
	k, err := DefaultKinds().Get(name)
	if err != nil {
		return Result{}, err
	}
	return Ingest(ctx, st, k, format, bytes.NewReader(body), opts)
}

// FuzzIngest stores arbitrary payloads of every kind in a real SQLite store (one per
// fuzz worker, growing as the fuzzer goes). Whatever the bytes: the only errors are
// payload errors, after which no row has changed; otherwise the rows added are at
// most the records the response says were stored, stored plus rejected is at most
// the records sent, and every row of the table still reads back.
func FuzzIngest(f *testing.F) {
	seedPayloads(f)
	f.Add(uint8(len(DefaultKinds())+2), uint8(0), []byte(`{"model":"m","feature":"f","observed_at":"2024-05-01T10:00:00Z","values":[1,NaN,Infinity,-Infinity,"x",null]}`))
	st := storetest.OpenSQLite(f)
	ctx := context.Background()
	names := fuzzIngests()
	kinds := DefaultKinds()
	f.Fuzz(func(t *testing.T, kindIdx, formatIdx uint8, body []byte) {
		name := names[int(kindIdx)%len(names)]
		format := fuzzFormats[int(formatIdx)%len(fuzzFormats)]
		table := tableOf(kinds, name)
		before := tableCount(t, st, table)
		res, err := ingestByName(ctx, st, name, format, body)
		after := tableCount(t, st, table)
		if err != nil {
			if !IsPayloadError(err) {
				t.Fatalf("%s %s: %v: not a payload error (a store error means a value passed validation that the store refuses)", name, format, err)
			}
			if after != before {
				t.Fatalf("%s %s refused (%v) but the table went from %d to %d rows", name, format, err, before, after)
			}
			return
		}
		if after-before > int64(res.Stored) || res.Stored < 0 {
			t.Fatalf("%s %s: %d rows added, response says %d stored", name, format, after-before, res.Stored)
		}
		if name != ObservationsBatchKind && res.Stored+res.Superseded+len(res.Rejected) > len(body)/2+2 {
			t.Fatalf("%s %s: %d stored, %d superseded, %d rejected from %d bytes", name, format, res.Stored, res.Superseded, len(res.Rejected), len(body))
		}
		readAll(t, st, table)
	})
}

func tableOf(kinds Kinds, name string) string {
	switch name {
	case "usage (rollup)":
		return kinds["usage"].Table
	case "sli (rollup)":
		return kinds["sli"].Table
	case ObservationsBatchKind:
		return kinds["observations"].Table
	}
	return kinds[name].Table
}

func tableCount(t *testing.T, q store.Querier, table string) int64 {
	t.Helper()
	var n int64
	if err := q.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	return n
}

// readAll scans every row of table, as a query would.
func readAll(t *testing.T, q store.Querier, table string) {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scanning %s: %v", table, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
}

// webhookSeeds adds the sender payloads in testdata whose names start with prefix.
func webhookSeeds(f *testing.F, prefix string, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", prefix+"*.json"))
	sort.Strings(files)
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// webhookCheck asserts what every sender endpoint promises: a malformed body is a
// payload error that changes nothing; otherwise no more rows appear than the
// response says were stored.
func webhookCheck(t *testing.T, st store.Store, table string, stored int, err error, before int64) {
	t.Helper()
	after := tableCount(t, st, table)
	if err != nil {
		if !IsPayloadError(err) {
			t.Fatalf("%v: not a payload error", err)
		}
		if after != before {
			t.Fatalf("refused (%v) but %s went from %d to %d rows", err, table, before, after)
		}
		return
	}
	if after-before > int64(stored) {
		t.Fatalf("%d rows added to %s, response says %d stored", after-before, table, stored)
	}
	readAll(t, st, table)
}

// FuzzAlertmanager: Alertmanager webhook bodies, parsed and stored.
func FuzzAlertmanager(f *testing.F) {
	webhookSeeds(f, "alertmanager",
		`{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"x'; DROP TABLE incidents;--"},"startsAt":"2024-05-01T10:00:00Z","fingerprint":"f1"},{"status":"firing","labels":{},"startsAt":"2024-05-01T10:00:00Z","fingerprint":"f1"}]}`,
		`{"alerts":[{"status":"resolved","startsAt":"2024-05-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f"}]}`,
		`{"alerts":null}`, `{"alerts":[{}]}`, `[]`)
	st := storetest.OpenSQLite(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := tableCount(t, st, "incidents")
		p, err := ParseAlertmanager(bytes.NewReader(body))
		var res Result
		if err == nil {
			res, err = IngestAlertmanager(context.Background(), st, p, fuzzNow)
		}
		webhookCheck(t, st, "incidents", res.Stored, err, before)
		if err == nil && res.Stored+res.Superseded+len(res.Rejected) != len(p.Alerts) {
			t.Fatalf("%d alerts: %d stored, %d superseded, %d rejected", len(p.Alerts), res.Stored, res.Superseded, len(res.Rejected))
		}
	})
}

// FuzzGitHub: GitHub deployment_status webhook bodies.
func FuzzGitHub(f *testing.F) {
	webhookSeeds(f, "github", `{"deployment_status":{"state":"success"},"deployment":{"id":1e300,"sha":"\u0000"}}`, `{}`, `null`)
	st := storetest.OpenSQLite(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := tableCount(t, st, "deployments")
		e, err := ParseGitHubDeploymentStatus(bytes.NewReader(body))
		var res WebhookResult
		if err == nil {
			res, err = IngestGitHubDeploymentStatus(context.Background(), st, e, WebhookDefaults{Service: "svc"}, fuzzNow)
		}
		webhookCheck(t, st, "deployments", res.Stored, err, before)
	})
}

// FuzzGitLab: GitLab deployment hook bodies.
func FuzzGitLab(f *testing.F) {
	webhookSeeds(f, "gitlab", `{"object_kind":"deployment","status":"success","deployment_id":-1}`, `{"object_kind":"push"}`)
	st := storetest.OpenSQLite(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := tableCount(t, st, "deployments")
		e, err := ParseGitLabDeployment(bytes.NewReader(body))
		var res WebhookResult
		if err == nil {
			res, err = IngestGitLabDeployment(context.Background(), st, e, WebhookDefaults{Team: "t"}, fuzzNow)
		}
		webhookCheck(t, st, "deployments", res.Stored, err, before)
	})
}

// FuzzTransitionWebhook: the generic work-item transition payload.
func FuzzTransitionWebhook(f *testing.F) {
	for _, s := range []string{
		`{"item_id":"W-1","to":"dev","at":"2024-05-01T10:00:00Z","value_stream":"delivery","type":"story"}`,
		`[{"item_id":"W-1","from":"dev","to":"review","at":"2024-05-02T10:00:00Z","state":"waiting"},{"item_id":"W-2","to":"dev","at":"2024-05-01T10:00:00Z","created_at":"2024-04-01T00:00:00Z","done_at":"2024-03-01T00:00:00Z"}]`,
		`[{"item_id":"","to":"","at":""},{"item_id":"x\"; DELETE FROM work_items;--","to":"d","at":"2024-05-01T10:00:00Z"}]`,
	} {
		f.Add([]byte(s))
	}
	st := storetest.OpenSQLite(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := tableCount(t, st, "work_item_transitions")
		res, err := IngestTransitionWebhook(context.Background(), st, bytes.NewReader(body), "fuzz", fuzzNow)
		webhookCheck(t, st, "work_item_transitions", res.Stored, err, before)
		readAll(t, st, "work_items")
	})
}

// FuzzObservationBatch: the columnar observations form, including the bare NaN and
// Infinity tokens some writers emit.
func FuzzObservationBatch(f *testing.F) {
	for _, s := range []string{
		`{"model":"churn","model_version":"v3","feature":"age","observed_at":"2024-05-01T10:00:00Z","values":[31,45,27],"segment":{"region":"eu"}}`,
		`[{"model":"m","feature":"__prediction__","observed_at":["2024-05-01T10:00:00Z","2024-05-01T10:01:00Z"],"values":[0.1,NaN],"scores":[0.2,Infinity],"prediction_ids":["a","a"]}]`,
		`{"model":"m","feature":"c","observed_at":"2024-05-01T10:00:00Z","categories":["a","\"NaN\"",null],"seq_start":9007199254740991}`,
		`{"model":"m","feature":"f","observed_at":"2024-05-01T10:00:00Z","values":"-Infinity"}`,
	} {
		f.Add(uint8(0), []byte(s))
		f.Add(uint8(1), []byte(strings.ReplaceAll(s, "\n", "")+"\n"+s))
	}
	st := storetest.OpenSQLite(f)
	f.Fuzz(func(t *testing.T, formatIdx uint8, body []byte) {
		format := fuzzFormats[int(formatIdx)%2] // JSON or NDJSON
		before := tableCount(t, st, "model_observations")
		res, err := IngestObservationBatches(context.Background(), st, format, bytes.NewReader(body), Options{Now: fuzzNow})
		webhookCheck(t, st, "model_observations", res.Stored, err, before)
	})
}

// FuzzDefinitionBodies: POST/PUT bodies of kaizen events and KPI definitions. A body
// gives a record that converts cleanly, or an error that is a payload or field error.
func FuzzDefinitionBodies(f *testing.F) {
	for _, s := range []string{
		`{"id":"cut-mttr","name":"Cut MTTR","owner":"sre","target":{"queryType":"incidents","metric":"mttr"},"hypothesis":"h","deployed_at":"2024-04-01T00:00:00Z","review_days":[30,60,90]}`,
		`{"id":"k1","name":"Uptime","unit":"percent","direction":"higher","target":99.9,"warning":99,"critical":98}`,
		`{"id":"../../etc","review_days":[1e999,-1,"x"],"target":[]}`,
		`{"id":"x'); DROP TABLE kpi_definitions;--","name":"\ud800"}`,
	} {
		f.Add(uint8(0), []byte(s))
		f.Add(uint8(1), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		kind, parse := KaizenEventKind(), ParseKaizenEvent
		if which%2 == 1 {
			kind, parse = KPIDefinitionKind(), ParseKPIDefinition
		}
		rec, _, err := parse(body, fuzzNow)
		if err == nil {
			checkRecord(t, kind, rec)
			return
		}
		var fe *FieldError
		if errors.As(err, &fe) {
			checkFieldError(t, kind, fe)
			return
		}
		if !IsPayloadError(err) {
			t.Fatalf("%s body: error %v (%T) is neither a payload nor a field error", kind.Name, err, err)
		}
	})
}
