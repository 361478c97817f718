package ingest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// notification is one webhook delivery of testdata/alertmanager_sequence.json.
type notification struct {
	ReceivedAt time.Time       `json:"received_at"`
	Note       string          `json:"note"`
	Payload    json.RawMessage `json:"payload"`
}

func readSequence(t *testing.T) []notification {
	t.Helper()
	b, err := os.ReadFile("testdata/alertmanager_sequence.json")
	if err != nil {
		t.Fatal(err)
	}
	var seq []notification
	if err := json.Unmarshal(b, &seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// deliver sends one notification as Alertmanager would, received at its time.
func deliver(t *testing.T, st store.Store, n notification) ingest.Result {
	t.Helper()
	p, err := ingest.ParseAlertmanager(bytes.NewReader(n.Payload))
	if err != nil {
		t.Fatalf("%s: %v", n.Note, err)
	}
	res, err := ingest.IngestAlertmanager(context.Background(), st, p, n.ReceivedAt)
	if err != nil {
		t.Fatalf("%s: %v", n.Note, err)
	}
	if len(res.Rejected) != 0 {
		t.Fatalf("%s: rejected %+v", n.Note, res.Rejected)
	}
	return res
}

type alertRow struct {
	status, alertname, service, team, severity, receiver string
	starts, received                                     int64
	ends                                                 sql.NullInt64
}

func alertRows(t *testing.T, st store.Store, fingerprint string) []alertRow {
	t.Helper()
	rows, err := st.QueryContext(context.Background(), `SELECT status, alertname, service, team, severity, receiver, starts_at, received_at, ends_at
		FROM alert_events WHERE source = 'alertmanager' AND fingerprint = $1 ORDER BY received_at`, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []alertRow
	for rows.Next() {
		var r alertRow
		if err := rows.Scan(&r.status, &r.alertname, &r.service, &r.team, &r.severity, &r.receiver, &r.starts, &r.received, &r.ends); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestAlertmanagerNotificationsAreAlertEvents replays a day of Alertmanager
// deliveries: a flapping alert, an alert whose endsAt is Prometheus' expected end,
// repeat_interval notifications, and a group notification that is firing while one
// of its alerts is resolved. Every alert of every notification is an alert event;
// incidents stay one per episode.
func TestAlertmanagerNotificationsAreAlertEvents(t *testing.T) {
	seq := readSequence(t)
	storetest.Each(t, func(t *testing.T, st store.Store) {
		for _, n := range seq {
			deliver(t, st, n)
		}
		c, err := st.Counts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// 12 deliveries; the two HighErrorRate group notifications carry 2 alerts each: 14 events.
		// Episodes: HighLatency x3, DiskFull, HighErrorRate checkout and cart: 6 incidents.
		if c["alert_events"] != 14 || c["incidents"] != 6 {
			t.Fatalf("counts %v, want 14 alert events and 6 incidents", c)
		}

		// DiskFull: three notifications of one open episode; no end stored although
		// each carried a future endsAt.
		disk := alertRows(t, st, "b2b2b2b2b2b2b2b2")
		if len(disk) != 3 {
			t.Fatalf("DiskFull rows %+v", disk)
		}
		for i, r := range disk {
			if r.status != "firing" || r.ends.Valid || r.starts != ms("2024-03-11T09:05:00.250Z") ||
				r.alertname != "DiskFull" || r.service != "search" || r.team != "discovery" || r.severity != "page" || r.receiver != "kaizen" {
				t.Errorf("DiskFull row %d: %+v", i, r)
			}
		}
		if disk[1].received-disk[0].received != 4*3600*1000 {
			t.Errorf("repeat notification received %d ms after the first, want 4h", disk[1].received-disk[0].received)
		}

		// Cart (job label as the service): firing, then resolved in a firing group.
		cart := alertRows(t, st, "c4c4c4c4c4c4c4c4")
		if len(cart) != 2 || cart[0].status != "firing" || cart[0].ends.Valid ||
			cart[1].status != "resolved" || cart[1].ends.Int64 != ms("2024-03-11T11:04:00Z") || cart[1].service != "cart" {
			t.Fatalf("cart rows %+v", cart)
		}
		checkout := alertRows(t, st, "c3c3c3c3c3c3c3c3")
		if len(checkout) != 3 || checkout[1].status != "firing" || checkout[2].ends.Int64 != ms("2024-03-11T11:45:00Z") {
			t.Fatalf("checkout rows %+v", checkout)
		}

		// The flapping alert: three episodes, each fired then resolved.
		latency := alertRows(t, st, "a1a1a1a1a1a1a1a1")
		episodes := map[int64]int{}
		for _, r := range latency {
			episodes[r.starts]++
		}
		if len(latency) != 6 || len(episodes) != 3 || episodes[ms("2024-03-11T09:10:00Z")] != 2 {
			t.Fatalf("HighLatency rows %+v", latency)
		}

		// A delivery retried at the same instant replaces its rows.
		deliver(t, st, seq[len(seq)-1])
		if c, _ := st.Counts(context.Background()); c["alert_events"] != 14 || c["incidents"] != 6 {
			t.Fatalf("after a retried delivery: %v", c)
		}
		// A firing and a resolved notification of one alert in the same millisecond are two.
		firing, resolved := seq[0], seq[1]
		firing.ReceivedAt, resolved.ReceivedAt = seq[11].ReceivedAt.Add(time.Hour), seq[11].ReceivedAt.Add(time.Hour)
		deliver(t, st, firing)
		deliver(t, st, resolved)
		if c, _ := st.Counts(context.Background()); c["alert_events"] != 16 {
			t.Fatalf("firing and resolved at one instant: %v", c)
		}
	})
}

func TestRejectedAlertsAreNotAlertEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		payload := `{"version":"4","status":"firing","receiver":"kaizen","alerts":[
			{"status":"firing","labels":{"alertname":"A"},"startsAt":"2024-03-10T14:00:00Z","fingerprint":""},
			{"status":"resolved","labels":{"alertname":"C"},"startsAt":"2024-03-10T14:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"c"},
			{"status":"firing","labels":{"alertname":"E"},"startsAt":"2024-03-10T14:00:00Z","fingerprint":"e"},
			{"status":"firing","labels":{"alertname":"E"},"startsAt":"2024-03-10T14:00:00Z","fingerprint":"e"}
		]}`
		p, err := ingest.ParseAlertmanager(strings.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		res, err := ingest.IngestAlertmanager(context.Background(), st, p, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 1 || res.Superseded != 1 || len(res.Rejected) != 2 {
			t.Fatalf("result %+v", res)
		}
		c, _ := st.Counts(context.Background())
		if c["alert_events"] != 1 || c["incidents"] != 1 {
			t.Fatalf("counts %v: a rejected alert is stored as neither", c)
		}
	})
}

func TestAlertEventsBulk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		payload := `{"source":"grafana","fingerprint":"f1","alertname":"CPU","status":"firing","starts_at":"2024-05-01T10:00:00Z","received_at":"2024-05-01T10:00:05Z","labels":{"service":"api"}}
{"source":"grafana","fingerprint":"f1","alertname":"CPU","status":"resolved","starts_at":"2024-05-01T10:00:00Z","ends_at":"2024-05-01T10:04:00Z","received_at":"2024-05-01T10:04:05Z"}
{"fingerprint":"f2","status":"resolved","starts_at":"2024-05-01T10:00:00Z","received_at":"2024-05-01T10:04:05Z"}
{"fingerprint":"f3","status":"resolved","starts_at":"2024-05-01T10:00:00Z","ends_at":"2024-05-01T09:00:00Z","received_at":"2024-05-01T10:04:05Z"}
{"fingerprint":"f4","status":"firing","starts_at":"2024-05-01T10:00:00Z","ends_at":"2024-05-01T11:00:00Z","received_at":"2024-05-01T10:04:05Z"}
{"fingerprint":" ","status":"firing","starts_at":"2024-05-01T10:00:00Z","received_at":"2024-05-01T10:04:05Z"}
{"fingerprint":"f6","status":"pending","starts_at":"2024-05-01T10:00:00Z","received_at":"2024-05-01T10:04:05Z"}
{"fingerprint":"f7","status":"firing","starts_at":"2024-05-01T10:00:00Z"}
`
		res := ingestKind(t, st, "alert_events", ingest.NDJSON, payload)
		var fields []string
		for _, r := range res.Rejected {
			fields = append(fields, r.Field)
		}
		if res.Stored != 2 || strings.Join(fields, ",") != "ends_at,ends_at,ends_at,fingerprint,status,received_at" {
			t.Fatalf("stored %d, rejected %+v", res.Stored, res.Rejected)
		}
		for _, r := range res.Rejected {
			t.Log(r.Reason)
		}
	})
}
