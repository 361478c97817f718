package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// Several Grafana replicas share one store: each replica is a separately opened
// store (its own pool), each ingests from several goroutines, and the payloads
// overlap, in different orders, with keys spanning several upsert statements and
// repeated inside a payload. Nothing may be counted twice or lost, and the final
// values must be what the senders said. On SQLite the "replicas" are two handles on
// one file, which the same guarantees cover.

var replicaBase = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

const replicaIncidents = 1200

// incidentLine is incident i as NDJSON; every payload that carries i says the same.
// started = base + i min; resolved = started + (i%7+1)*10 min.
func incidentLine(i int) string {
	start := replicaBase.Add(time.Duration(i) * time.Minute)
	resolved := start.Add(time.Duration(i%7+1) * 10 * time.Minute)
	return fmt.Sprintf(`{"id":"INC-%04d","service":"svc-%d","started_at":%q,"resolved_at":%q}`+"\n",
		i, i%5, start.Format(time.RFC3339), resolved.Format(time.RFC3339))
}

func ndjson(ids []int) []byte {
	var b bytes.Buffer
	for _, i := range ids {
		b.WriteString(incidentLine(i))
	}
	return b.Bytes()
}

func span(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// replicaPayloads: 0..899 ascending; 300..1199 descending; all shuffled; and
// 600..1199 then 0..299 with 100 keys repeated.
func replicaPayloads() [][]byte {
	desc := span(300, replicaIncidents)
	for i, j := 0, len(desc)-1; i < j; i, j = i+1, j-1 {
		desc[i], desc[j] = desc[j], desc[i]
	}
	shuffled := span(0, replicaIncidents)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	wrapped := append(span(600, replicaIncidents), span(0, 300)...)
	wrapped = append(wrapped, span(650, 750)...)
	return [][]byte{ndjson(span(0, 900)), ndjson(desc), ndjson(shuffled), ndjson(wrapped)}
}

// alert is Alertmanager's view of incident episode i: firing, or resolved 30 min later.
func alert(i int, status string) ingest.AlertmanagerAlert {
	starts := replicaBase.Add(time.Duration(i) * time.Hour)
	a := ingest.AlertmanagerAlert{
		Status: status, Fingerprint: fmt.Sprintf("fp%03d", i), StartsAt: starts.Format(time.RFC3339),
		EndsAt: "0001-01-01T00:00:00Z", Labels: map[string]string{"alertname": "Down", "service": "db"},
	}
	if status == "resolved" {
		a.EndsAt = starts.Add(30 * time.Minute).Format(time.RFC3339)
	}
	return a
}

func TestReplicasIngestConcurrently(t *testing.T) {
	cases := []struct {
		name string
		open func(t *testing.T) (a, b store.Store)
	}{
		{"sqlite", func(t *testing.T) (store.Store, store.Store) {
			path := filepath.Join(t.TempDir(), "shared.db")
			return openSQLite(t, path), openSQLite(t, path)
		}},
		{"postgres", func(t *testing.T) (store.Store, store.Store) {
			cfg := storetest.PostgresConfig(t)
			return open(t, cfg), open(t, cfg)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := c.open(t)
			replicas := []store.Store{a, b}
			ctx := context.Background()
			kind, err := ingest.DefaultKinds().Get("incidents")
			if err != nil {
				t.Fatal(err)
			}
			const alerts = 120
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			start := make(chan struct{})
			// Every replica ingests every bulk payload, twice (a sender's retry).
			for r, st := range replicas {
				for p, payload := range replicaPayloads() {
					for round := range 2 {
						wg.Add(1)
						go func() {
							defer wg.Done()
							<-start
							res, err := ingest.Ingest(ctx, st, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: replicaBase.AddDate(1, 0, 0)})
							if err == nil && len(res.Rejected) > 0 {
								err = fmt.Errorf("rejected %+v", res.Rejected[0])
							}
							if err != nil {
								errs <- fmt.Errorf("replica %d payload %d round %d: %w", r, p, round, err)
							}
						}()
					}
				}
			}
			// Alertmanager notifies both replicas (an HA pair), firing and resolved
			// in either order, each twice: the resolution must win every time.
			for r, st := range replicas {
				for _, order := range [][]string{{"firing", "resolved"}, {"resolved", "firing"}} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						for _, status := range append(order, order...) {
							p := ingest.AlertmanagerPayload{Version: "4", Status: status}
							for i := range alerts {
								p.Alerts = append(p.Alerts, alert(i, status))
							}
							if _, err := ingest.IngestAlertmanager(ctx, st, p, replicaBase.AddDate(1, 0, 0)); err != nil {
								errs <- fmt.Errorf("replica %d alertmanager %s: %w", r, status, err)
							}
						}
					}()
				}
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if t.Failed() {
				return
			}
			for r, st := range replicas {
				var n, distinct, durations int64
				// Σ over i < 1200 of (i%7+1)*600 s: 171 full cycles of 1..7 (28 each)
				// plus i%7 = 0, 1, 2 for i = 1197..1199: (171*28 + 6) * 600 = 2,876,400 s.
				row := st.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT id), SUM((resolved_at - started_at) / 1000)
					FROM incidents WHERE source = $1`, "api")
				if err := row.Scan(&n, &distinct, &durations); err != nil {
					t.Fatal(err)
				}
				if n != replicaIncidents || distinct != replicaIncidents || durations != 2_876_400 {
					t.Fatalf("replica %d sees %d incidents (%d distinct), durations %d s; want 1200, 1200, 2876400", r, n, distinct, durations)
				}
				// Every episode resolved 30 min after it started: 120 × 1800 s = 216,000 s.
				var open, resolvedSum int64
				row = st.QueryRowContext(ctx, `SELECT COUNT(*) - COUNT(resolved_at), COALESCE(SUM((resolved_at - started_at) / 1000), 0), COUNT(*)
					FROM incidents WHERE source = $1`, ingest.AlertmanagerSource)
				if err := row.Scan(&open, &resolvedSum, &n); err != nil {
					t.Fatal(err)
				}
				if n != alerts || open != 0 || resolvedSum != 216_000 {
					t.Fatalf("replica %d: %d alert incidents, %d still open, %d s resolved; want 120, 0, 216000", r, n, open, resolvedSum)
				}
				counts, err := st.Counts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if counts["incidents"] != replicaIncidents+alerts {
					t.Fatalf("replica %d counts %d incidents, want %d", r, counts["incidents"], replicaIncidents+alerts)
				}
			}
		})
	}
}

func openSQLite(t *testing.T, path string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}
