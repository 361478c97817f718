package ingest_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func sendAlertmanager(t *testing.T, st store.Store, file string) ingest.Result {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ingest.ParseAlertmanager(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.IngestAlertmanager(context.Background(), st, p, now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

type amIncident struct {
	service, team, severity, title, detectedBy string
	started                                    int64
	detected, acked, resolved                  sql.NullInt64
}

func readAM(t *testing.T, st store.Store, id string) amIncident {
	t.Helper()
	var r amIncident
	row := st.QueryRowContext(context.Background(), `SELECT service, team, severity, title, detected_by, started_at, detected_at, acknowledged_at, resolved_at
		FROM incidents WHERE source = 'alertmanager' AND id = $1`, id)
	if err := row.Scan(&r.service, &r.team, &r.severity, &r.title, &r.detectedBy, &r.started, &r.detected, &r.acked, &r.resolved); err != nil {
		t.Fatalf("incident %s: %v", id, err)
	}
	return r
}

const checkoutID = "c0ffee01d00d0001@2024-03-10T14:02:11.123Z"

func TestAlertmanagerFiringThenResolved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		// A group notification whose status is firing while one of its alerts is resolved:
		// each alert's own status counts.
		res := sendAlertmanager(t, st, "alertmanager_firing.json")
		if res.Stored != 2 || len(res.Rejected) != 0 {
			t.Fatalf("firing: %+v", res)
		}
		checkout := readAM(t, st, checkoutID)
		if checkout.service != "checkout" || checkout.team != "payments" || checkout.severity != "page" ||
			checkout.title != "Checkout error rate above 5%" || checkout.detectedBy != "monitoring" {
			t.Fatalf("firing incident %+v", checkout)
		}
		if checkout.detected.Int64 != checkout.started || checkout.resolved.Valid {
			t.Fatalf("firing incident: detected %v started %d resolved %v; the zero endsAt must not resolve it", checkout.detected, checkout.started, checkout.resolved)
		}
		cart := readAM(t, st, "c0ffee01d00d0002@2024-03-10T13:40:00Z")
		if cart.service != "cart" || !cart.resolved.Valid || cart.resolved.Int64-cart.started != 25*60*1000 {
			t.Fatalf("resolved alert in a firing group: %+v", cart)
		}

		// Someone acknowledges the incident through the bulk API...
		if _, err := st.ExecContext(context.Background(), `UPDATE incidents SET acknowledged_at = started_at + 60000 WHERE id = $1`, checkoutID); err != nil {
			t.Fatal(err)
		}
		// ...then the resolution arrives, then Alertmanager repeats the old firing notification.
		sendAlertmanager(t, st, "alertmanager_resolved.json")
		sendAlertmanager(t, st, "alertmanager_firing.json")
		checkout = readAM(t, st, checkoutID)
		if !checkout.resolved.Valid || checkout.resolved.Int64-checkout.started != 28*60*1000+48877 {
			t.Fatalf("resolution lost or wrong after a repeated firing: %+v", checkout)
		}
		if !checkout.acked.Valid || checkout.acked.Int64 != checkout.started+60000 {
			t.Fatalf("acknowledgement recorded elsewhere was overwritten: %+v", checkout)
		}
		c, _ := st.Counts(context.Background())
		if c["incidents"] != 2 {
			t.Fatalf("%d incidents after repeats, want 2", c["incidents"])
		}
	})
}

func TestAlertmanagerBadAlerts(t *testing.T) {
	st := storetest.OpenSQLite(t)
	payload := `{"version":"4","status":"firing","alerts":[
		{"status":"firing","labels":{"alertname":"A"},"startsAt":"2024-03-10T14:00:00Z","fingerprint":""},
		{"status":"pending","labels":{"alertname":"B"},"startsAt":"2024-03-10T14:00:00Z","fingerprint":"b"},
		{"status":"resolved","labels":{"alertname":"C"},"startsAt":"2024-03-10T14:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"c"},
		{"status":"firing","labels":{"alertname":"D"},"startsAt":"not a time","fingerprint":"d"},
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
	fields := []string{}
	for _, r := range res.Rejected {
		fields = append(fields, r.Field)
	}
	if res.Stored != 1 || strings.Join(fields, ",") != "fingerprint,status,endsAt,startsAt" {
		t.Fatalf("stored %d, rejected fields %v", res.Stored, fields)
	}
	for _, bad := range []string{`{"alerts":`, `{"status":"firing"}`, `[]`} {
		if _, err := ingest.ParseAlertmanager(strings.NewReader(bad)); err == nil || !ingest.IsPayloadError(err) {
			t.Errorf("payload %s: error %v, want a payload error", bad, err)
		}
	}
}
