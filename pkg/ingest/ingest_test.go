package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

var now = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func incidentsKind(t *testing.T) ingest.Kind {
	t.Helper()
	k, err := ingest.DefaultKinds().Get("incidents")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func run(t *testing.T, st store.Store, format ingest.Format, payload string) (ingest.Result, error) {
	t.Helper()
	return ingest.Ingest(context.Background(), st, incidentsKind(t), format, strings.NewReader(payload), ingest.Options{Now: now})
}

func count(t *testing.T, st store.Store) int64 {
	t.Helper()
	c, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c["incidents"]
}

// 13:30+02:00 is 11:30Z, 90 minutes after the start.
const good = `{"id":"INC-1","service":"api","started_at":"2024-05-01T10:00:00Z","resolved_at":"2024-05-01T13:30:00+02:00","labels":{"region":"eu"}}`

func TestFormatsStoreTheSameRecord(t *testing.T) {
	payloads := map[ingest.Format]string{
		ingest.JSON:   "[" + good + "]",
		ingest.NDJSON: good + "\n",
		ingest.CSV:    "id,service,started_at,resolved_at,labels\nINC-1,api,2024-05-01T10:00:00Z,2024-05-01T13:30:00+02:00,\"{\"\"region\"\":\"\"eu\"\"}\"\n",
	}
	for format, payload := range payloads {
		t.Run(string(format), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st store.Store) {
				res, err := run(t, st, format, payload)
				if err != nil || res.Stored != 1 || len(res.Rejected) != 0 {
					t.Fatalf("result %+v, err %v", res, err)
				}
				var source, labels string
				var started, resolved int64
				row := st.QueryRowContext(context.Background(), `SELECT source, started_at, resolved_at, labels FROM incidents WHERE id = $1`, "INC-1")
				if err := row.Scan(&source, &started, &resolved, &labels); err != nil {
					t.Fatal(err)
				}
				if source != "api" || resolved-started != 90*60*1000 || labels != `{"region":"eu"}` {
					t.Errorf("stored source %q, duration %d ms, labels %s", source, resolved-started, labels)
				}
			})
		})
	}
}

func TestResendIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		for i := 0; i < 3; i++ {
			if _, err := run(t, st, ingest.NDJSON, good); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, st); n != 1 {
			t.Fatalf("three sends of one record stored %d rows", n)
		}
	})
}

// TestBadRecordsAreRejectedAlone: each bad record is named with its field and
// reason, and the good records around it are stored.
func TestBadRecordsAreRejectedAlone(t *testing.T) {
	cases := []struct {
		name, record, field, reasonHas string
	}{
		{"missing id", `{"started_at":"2024-05-01T10:00:00Z"}`, "id", "required"},
		{"missing start", `{"id":"x"}`, "started_at", "required"},
		{"number for a time", `{"id":"x","started_at":1714557600}`, "started_at", "RFC 3339"},
		{"object for a string", `{"id":"x","service":{"a":1},"started_at":"2024-05-01T10:00:00Z"}`, "service", "want a string"},
		{"string for a number", `{"id":"x","customer_impact":"lots","started_at":"2024-05-01T10:00:00Z"}`, "customer_impact", "not a number"},
		{"timestamp without zone", `{"id":"x","started_at":"2024-05-01T10:00:00"}`, "started_at", "no time zone"},
		{"timestamp with a space", `{"id":"x","started_at":"2024-05-01 10:00:00Z"}`, "started_at", "space"},
		{"not a timestamp", `{"id":"x","started_at":"yesterday"}`, "started_at", "not RFC 3339"},
		{"resolved before started", `{"id":"x","started_at":"2024-05-01T10:00:00Z","resolved_at":"2024-05-01T09:59:59Z"}`, "resolved_at", "before started_at"},
		{"acknowledged before detected", `{"id":"x","started_at":"2024-05-01T10:00:00Z","detected_at":"2024-05-01T10:10:00Z","acknowledged_at":"2024-05-01T10:05:00Z"}`, "acknowledged_at", "before detected_at"},
		{"before 1970", `{"id":"x","started_at":"1969-12-31T23:59:59Z"}`, "started_at", "before 1970"},
		{"far future", `{"id":"x","started_at":"2999-01-01T00:00:00Z"}`, "started_at", "future"},
		{"unknown detected_by", `{"id":"x","started_at":"2024-05-01T10:00:00Z","detected_by":"psychic"}`, "detected_by", "not one of"},
		{"negative impact", `{"id":"x","started_at":"2024-05-01T10:00:00Z","customer_impact":-5}`, "customer_impact", "negative"},
		{"nested labels", `{"id":"x","started_at":"2024-05-01T10:00:00Z","labels":{"a":{"b":"c"}}}`, "labels", "want a string"},
		{"labels not an object", `{"id":"x","started_at":"2024-05-01T10:00:00Z","labels":["a"]}`, "labels", "object"},
		{"invalid UTF-8", "{\"id\":\"x\",\"title\":\"\xff\xfe\",\"started_at\":\"2024-05-01T10:00:00Z\"}", "", "not valid UTF-8"},
		{"an array, not an object", `["x"]`, "", "not a JSON object"},
		{"malformed line", `{"id":"x",`, "", "not a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			payload := `{"id":"before","started_at":"2024-05-01T10:00:00Z"}` + "\n" + c.record + "\n" + `{"id":"after","started_at":"2024-05-01T10:00:00Z"}` + "\n"
			res, err := run(t, st, ingest.NDJSON, payload)
			if err != nil {
				t.Fatal(err)
			}
			if res.Stored != 2 || len(res.Rejected) != 1 {
				t.Fatalf("stored %d, rejected %+v; want the 2 good records stored and 1 rejected", res.Stored, res.Rejected)
			}
			rj := res.Rejected[0]
			if rj.Position != 2 || rj.Line != 2 || rj.Field != c.field || !strings.Contains(rj.Reason, c.reasonHas) {
				t.Fatalf("rejection %+v; want position 2, line 2, field %q, reason containing %q", rj, c.field, c.reasonHas)
			}
			if n := count(t, st); n != 2 {
				t.Fatalf("%d rows stored", n)
			}
		})
	}
}

// TestBadPayloadsStoreNothing: a payload that cannot be read as a whole is refused,
// and what was stored before it is untouched.
func TestBadPayloadsStoreNothing(t *testing.T) {
	cases := []struct {
		name    string
		format  ingest.Format
		payload string
		has     string
	}{
		{"truncated JSON array", ingest.JSON, `[` + good + `,{"id":"INC-2","started_at":"2024-05-01T10:00:00Z"`, "malformed JSON"},
		{"JSON syntax error mid-array", ingest.JSON, `[` + good + `,{"id":"INC-2",,}]`, "record 2"},
		{"trailing garbage", ingest.JSON, `[` + good + `] x`, "after the end"},
		{"JSON scalar", ingest.JSON, `42`, "want an array"},
		{"empty JSON", ingest.JSON, ``, "empty"},
		{"CSV missing a required column", ingest.CSV, "id,service\nINC-1,api\n", "started_at"},
		{"empty CSV", ingest.CSV, "", "header"},
		{"deeply nested JSON", ingest.JSON, "[" + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "]", "malformed JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			if _, err := run(t, st, ingest.NDJSON, `{"id":"kept","started_at":"2024-04-01T10:00:00Z"}`); err != nil {
				t.Fatal(err)
			}
			_, err := run(t, st, c.format, c.payload)
			if err == nil || !ingest.IsPayloadError(err) || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v; want a payload error containing %q", err, c.has)
			}
			if n := count(t, st); n != 1 {
				t.Fatalf("%d rows after a refused payload, want only the 1 stored before", n)
			}
		})
	}
}

func TestCSVRowWithWrongCellCount(t *testing.T) {
	st := storetest.OpenSQLite(t)
	res, err := run(t, st, ingest.CSV, "id,started_at\nA,2024-05-01T10:00:00Z\nB\nC,2024-05-01T10:00:00Z,extra\nD,2024-05-01T10:00:00Z\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 2 || len(res.Rejected) != 2 || res.Rejected[0].Line != 3 || res.Rejected[1].Line != 4 {
		t.Fatalf("result %+v", res)
	}
}

func TestDuplicateIDsInOnePayload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		payload := `{"id":"A","title":"first","started_at":"2024-05-01T10:00:00Z"}
{"id":"A","title":"second","started_at":"2024-05-01T10:00:00Z"}
{"id":"A","source":"pagerduty","title":"other source","started_at":"2024-05-01T10:00:00Z"}
`
		res, err := run(t, st, ingest.NDJSON, payload)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 2 || res.Superseded != 1 {
			t.Fatalf("result %+v; want 2 stored (two sources) and 1 superseded", res)
		}
		var title string
		if err := st.QueryRowContext(context.Background(), `SELECT title FROM incidents WHERE source = 'api' AND id = 'A'`).Scan(&title); err != nil || title != "second" {
			t.Fatalf("title %q (%v); the later record must win", title, err)
		}
	})
}

func TestUnknownFieldsAreReported(t *testing.T) {
	st := storetest.OpenSQLite(t)
	res, err := run(t, st, ingest.NDJSON, `{"id":"A","started_at":"2024-05-01T10:00:00Z","resolvedAt":"2024-05-01T11:00:00Z"}`)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 1 || len(res.IgnoredFields) != 1 || res.IgnoredFields[0] != "resolvedAt" {
		t.Fatalf("result %+v; want resolvedAt listed as ignored", res)
	}
}

func TestUnknownKindAndFormat(t *testing.T) {
	if _, err := ingest.DefaultKinds().Get("outages"); err == nil || !strings.Contains(err.Error(), "incidents") {
		t.Fatalf("unknown kind error %v should list the known kinds", err)
	}
	if _, err := ingest.ParseFormat("xml"); err == nil {
		t.Fatal("xml accepted")
	}
	for in, want := range map[string]ingest.Format{"application/json; charset=utf-8": ingest.JSON, "application/x-ndjson": ingest.NDJSON, "text/csv": ingest.CSV} {
		if got, err := ingest.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, err)
		}
	}
}

func TestCancelledIngestStoresNothing(t *testing.T) {
	st := storetest.OpenSQLite(t)
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		b.WriteString(`{"id":"` + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + `","started_at":"2024-05-01T10:00:00Z"}` + "\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ingest.Ingest(ctx, st, incidentsKind(t), ingest.NDJSON, strings.NewReader(b.String()), ingest.Options{Now: now})
	if err == nil {
		t.Fatal("cancelled ingest succeeded")
	}
	if n := count(t, st); n != 0 {
		t.Fatalf("cancelled ingest left %d rows", n)
	}
}
