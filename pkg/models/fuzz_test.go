package models_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The query model is what alert rules and dashboards store and send back years
// later, edited by hand or by other tools. Run the target for longer with
//
//	go test ./pkg/models -run '^$' -fuzz '^FuzzQuery$' -fuzztime 5m
//
// scripts/fuzz.sh runs it for a few seconds (FUZZTIME); inputs that once failed stay
// in testdata/fuzz/FuzzQuery/ and run with every go test.

// queryLiteral finds the query JSON written in the repository's tests (backquoted
// objects with a queryType), so the seeds follow every family as it grows.
var queryLiteral = regexp.MustCompile("`(\\{[^`]*\"queryType\"[^`]*\\})`")

func seedQueries(f *testing.F) {
	var files []string
	for _, pattern := range []string{"../testsuite/*_test.go", "../metrics/*/*_test.go", "../plugin/*_test.go"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	seen := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range queryLiteral.FindAllSubmatch(b, -1) {
			if s := string(m[1]); !seen[s] && json.Valid(m[1]) {
				seen[s] = true
				f.Add(m[1])
			}
		}
	}
	// Hand-made edges: every type with no options, injection attempts in every
	// identifier the SQL is built from, absurd buckets, deep nesting, bad UTF-8.
	for _, qt := range metrics.Engine().Types() {
		f.Add([]byte(`{"queryType":"` + qt + `"}`))
		f.Add([]byte(`{"queryType":"` + qt + `","groupBy":["service; DROP TABLE incidents"],"filters":{"team":["a' OR '1'='1"]},"metric":"x\"--","stat":"p99) --","bucket":"1d; DELETE"}`))
	}
	for _, s := range []string{
		`{"queryType":"incidents","bucket":"1e300d"}`,
		`{"queryType":"incidents","bucket":"NaNw"}`,
		`{"queryType":"incidents","bucket":"-Infd"}`,
		`{"queryType":"incidents","filters":{"service\u0000":["\xff"]}}`,
		`{"queryType":"spc","spc":{"source":{"queryType":"spc","spc":{"source":{"queryType":"spc"}}}}}`,
		`{"queryType":"incidents","incident":` + strings.Repeat(`[`, 10000) + `}`,
		`{"queryType":"delivery","groupBy":["environment","environment"]}`,
		`{"queryType":"flow","flow":{"percentiles":[1e309]}}`,
		`null`, `[]`, `"incidents"`, `{"queryType":7}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzQuery sends arbitrary bytes through ParseQuery and, when they parse, through
// the engine with every family registered, against an empty store. Whatever the
// bytes: no panic; a parsed query survives a JSON round trip unchanged (what the
// editor saves is what runs); the engine either answers with frames carrying the
// query's refId or returns an error that names the query type and is valid text;
// and the empty store stays empty (a query never writes).
func FuzzQuery(f *testing.F) {
	seedQueries(f)
	st := storetest.OpenSQLite(f)
	engine := metrics.Engine()
	to := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	env := query.Env{Store: st, From: to.Add(-30 * 24 * time.Hour), To: to, Interval: time.Hour, MaxDataPoints: 1000, Now: to}
	f.Fuzz(func(t *testing.T, raw []byte) {
		q, err := models.ParseQuery(raw)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "query JSON: ") {
				t.Fatalf("parse error %q does not say it is the query JSON", err)
			}
			return
		}
		again, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("a parsed query does not marshal: %v", err)
		}
		q2, err := models.ParseQuery(again)
		if err != nil {
			t.Fatalf("a parsed query does not parse again: %v\n%s", err, again)
		}
		// Compared as JSON: omitempty makes an empty list and no list the same query.
		if third, _ := json.Marshal(q2); !bytes.Equal(again, third) {
			t.Fatalf("round trip changed the query:\n%s\n%s", again, third)
		}
		q.RefID = "F"
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		frames, err := engine.Run(ctx, env, q)
		if err != nil {
			msg := err.Error()
			// encoding/json already turned bad UTF-8 into U+FFFD, so an error has no excuse.
			if !utf8.ValidString(msg) {
				t.Fatalf("error is not valid UTF-8: %q", msg)
			}
			if ctx.Err() != nil {
				t.Fatalf("query took more than 10s on an empty store: %v", err)
			}
			if strings.Contains(msg, "runtime error") || strings.Contains(msg, "SQL logic error") || strings.Contains(msg, "syntax error") {
				t.Fatalf("query reached the database with bad SQL or crashed: %v", err)
			}
			return
		}
		for _, fr := range frames {
			if fr.RefID != "F" {
				t.Fatalf("frame %q has refId %q, want F", fr.Name, fr.RefID)
			}
		}
		counts, err := st.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range counts {
			if n != 0 {
				t.Fatalf("a query stored %d rows in %s", n, table)
			}
		}
	})
}
