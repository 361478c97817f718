package ingest_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func ingestKind(t *testing.T, st store.Store, kind string, format ingest.Format, payload string) ingest.Result {
	t.Helper()
	k, err := ingest.DefaultKinds().Get(kind)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), st, k, format, strings.NewReader(payload), ingest.Options{Now: now})
	if err != nil {
		t.Fatalf("ingest %s: %v", kind, err)
	}
	return res
}

func TestDeploymentFormatsAndDefaults(t *testing.T) {
	payloads := map[ingest.Format]string{
		ingest.JSON:   `[{"id":"D1","service":"api","environment":"production","commit_at":"2024-05-01T08:00:00Z","deployed_at":"2024-05-01T10:00:00+02:00"}]`,
		ingest.NDJSON: `{"id":"D1","service":"api","environment":"production","commit_at":"2024-05-01T08:00:00Z","deployed_at":"2024-05-01T10:00:00+02:00"}` + "\n",
		ingest.CSV:    "id,service,environment,commit_at,deployed_at\nD1,api,production,2024-05-01T08:00:00Z,2024-05-01T10:00:00+02:00\n",
	}
	for format, payload := range payloads {
		t.Run(string(format), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st store.Store) {
				res := ingestKind(t, st, "deployments", format, payload)
				if res.Stored != 1 || len(res.Rejected) != 0 {
					t.Fatalf("result %+v", res)
				}
				d, ok := readDeployment(t, st, "api", "D1")
				// 10:00+02:00 is 08:00Z: a lead time of zero, and the status defaults to success.
				if !ok || d.status != "success" || !d.commit.Valid || d.deployed-d.commit.Int64 != 0 || d.labels != "{}" {
					t.Fatalf("stored %+v", d)
				}
			})
		})
	}
}

func TestBadDeploymentsAreRejectedAlone(t *testing.T) {
	cases := []struct {
		name, record, field, reasonHas string
	}{
		{"missing deployed_at", `{"id":"x"}`, "deployed_at", "required"},
		{"commit after deploy", `{"id":"x","commit_at":"2024-05-01T10:00:01Z","deployed_at":"2024-05-01T10:00:00Z"}`, "commit_at", "after deployed_at"},
		{"unknown status", `{"id":"x","deployed_at":"2024-05-01T10:00:00Z","status":"exploded"}`, "status", "success, failed, rolled_back"},
		{"numeric time", `{"id":"x","deployed_at":1714557600000}`, "deployed_at", "RFC 3339"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			payload := `{"id":"a","deployed_at":"2024-05-01T10:00:00Z"}` + "\n" + c.record + "\n" + `{"id":"b","deployed_at":"2024-05-01T10:00:00Z","status":"Rolled_Back"}` + "\n"
			res := ingestKind(t, st, "deployments", ingest.NDJSON, payload)
			if res.Stored != 2 || len(res.Rejected) != 1 {
				t.Fatalf("result %+v", res)
			}
			if rj := res.Rejected[0]; rj.Line != 2 || rj.Field != c.field || !strings.Contains(rj.Reason, c.reasonHas) {
				t.Fatalf("rejection %+v; want line 2, field %q, reason with %q", rj, c.field, c.reasonHas)
			}
			if d, _ := readDeployment(t, st, "api", "b"); d.status != "rolled_back" {
				t.Fatalf("status %q: enum values are case-insensitive", d.status)
			}
		})
	}
}

func fmtMs(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

func strconvF(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
