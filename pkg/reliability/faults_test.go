package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/jackc/pgx/v5"
)

// TestFaultKillDuringIngest kills the backend executable with SIGKILL at a random
// moment while writers send bulk ingests, restarts it on the same store, and checks
// that every acknowledged request is stored in full, that every unacknowledged one
// is stored in full or not at all (the transaction boundary is the request), that no
// row is torn, that the store opens cleanly (WAL recovery) and passes its integrity
// check. 30 rounds on SQLite and 15 on PostgreSQL (to keep CI bounded); KAIZEN_LONG=1
// runs 200 on each.
func TestFaultKillDuringIngest(t *testing.T) {
	const writers, batchSize = 2, 200
	faultEachStore(t, func(t *testing.T, tg faultTarget) {
		rounds := 30
		if tg.pg != nil {
			rounds = 15
		}
		if faultLong() {
			rounds = 200
		}
		seed := uint64(time.Now().UnixNano())
		rng := rand.New(rand.NewPCG(seed, 0))
		t.Logf("seed %d (kill delays)", seed)
		ctx := context.Background()

		type outcome int
		const (
			pending outcome = iota
			acked
			failed
		)
		sent := map[string]outcome{}
		var mu sync.Mutex
		var acks, unacked, unackedStored, unackedAbsent int

		var admin *pgx.Conn
		if tg.pg != nil {
			admin = faultAdmin(t)
		}
		p := faultStart(t, tg.jsonData, tg.secure)
		for round := 0; round < rounds; round++ {
			// Writers send batches until the process dies under them.
			stop := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(chan error, writers)
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for b := 0; ; b++ {
						select {
						case <-stop:
							return
						default:
						}
						prefix := fmt.Sprintf("r%03d-w%d-b%04d", round, w, b)
						mu.Lock()
						sent[prefix] = pending
						mu.Unlock()
						status, body, err := p.call(ctx, "Editor", "POST", "ingest/incidents", "format=ndjson", faultBatch(prefix, batchSize))
						mu.Lock()
						switch {
						case err != nil:
							sent[prefix] = failed // the process died before answering
						case status == 200:
							var res struct {
								Stored int `json:"stored"`
							}
							if jerr := json.Unmarshal(body, &res); jerr != nil || res.Stored != batchSize {
								errs <- fmt.Errorf("batch %s acknowledged with %s", prefix, body)
								mu.Unlock()
								return
							}
							sent[prefix] = acked
						default:
							errs <- fmt.Errorf("batch %s: status %d %s before the kill", prefix, status, body)
							mu.Unlock()
							return
						}
						mu.Unlock()
						if err != nil {
							return
						}
					}
				}()
			}
			time.Sleep(time.Duration(20+rng.IntN(280)) * time.Millisecond)
			p.sigkill(t)
			close(stop)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}

			if tg.pg != nil {
				faultWaitBackendsGone(t, admin, tg.pg.User)
			}
			// A second process opens the store as it was left (WAL recovery on SQLite).
			db, err := tg.open(ctx)
			if err != nil {
				t.Fatalf("round %d: opening the store after SIGKILL: %v", round, err)
			}
			if err := faultIntegrity(ctx, tg, db.DB); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			found, err := faultStored(ctx, db.DB)
			_ = db.Close()
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			total := 0
			for prefix, state := range sent {
				n := found[prefix]
				total += n
				switch {
				case state == acked && n != batchSize:
					t.Fatalf("round %d: acknowledged batch %s has %d of %d records after SIGKILL", round, prefix, n, batchSize)
				case state != acked && n != 0 && n != batchSize:
					t.Fatalf("round %d: unacknowledged batch %s is partly stored: %d of %d records", round, prefix, n, batchSize)
				}
			}
			if len(found) > len(sent) {
				t.Fatalf("round %d: %d batches stored, only %d sent", round, len(found), len(sent))
			}

			// The restarted executable opens the same store and says it is healthy.
			p = faultStart(t, tg.jsonData, tg.secure)
			h, err := p.checkHealth(ctx)
			if err != nil || h.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(h.Message, fmt.Sprintf(" %d incidents", total)) {
				t.Fatalf("round %d: health after restart: %v %v %q (want %d incidents)", round, err, h.GetStatus(), h.GetMessage(), total)
			}
		}
		db, err := tg.open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found, err := faultStored(ctx, db.DB)
		_ = db.Close()
		if err != nil {
			t.Fatal(err)
		}
		for prefix, state := range sent {
			switch {
			case state == acked:
				acks++
			case found[prefix] == batchSize:
				unacked++
				unackedStored++
			default:
				unacked++
				unackedAbsent++
			}
		}
		t.Logf("%s: %d SIGKILLs during ingest survived; %d requests acknowledged (%d records), all found, 0 lost; "+
			"%d unacknowledged: %d absent, %d stored in full (committed, answer lost), 0 partial; integrity ok after every kill",
			tg.name, rounds, acks, acks*batchSize, unacked, unackedAbsent, unackedStored)
	})
}
