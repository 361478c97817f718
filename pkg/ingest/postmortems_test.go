package ingest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func TestPostmortemsAndActionItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		pms := "id,incident_id,title,owner,created_at,published_at,themes\n" +
			"PM-1,INC-1,Checkout outage,ana,2024-05-02T09:00:00Z,2024-05-03T09:00:00Z,\"DNS, capacity ,dns\"\n" +
			"PM-2,,Near miss,bo,2024-05-02T09:00:00Z,,\n" +
			"PM-3,INC-3,Backwards,bo,2024-05-02T09:00:00Z,2024-05-01T09:00:00Z,\n"
		res := ingestKind(t, st, "postmortems", ingest.CSV, pms)
		if res.Stored != 2 || len(res.Rejected) != 1 || res.Rejected[0].Field != "published_at" {
			t.Fatalf("postmortems %+v", res)
		}
		var themes string
		if err := st.QueryRowContext(context.Background(), `SELECT themes FROM postmortems WHERE id = 'PM-1'`).Scan(&themes); err != nil || themes != "capacity,dns" {
			t.Fatalf("themes %q (%v), want the canonical capacity,dns", themes, err)
		}

		// Due dates may lie far in the future (now is 2024-06-01); done times may not.
		items := `[
			{"id":"AI-1","postmortem_id":"PM-1","title":"Add DNS failover","owner":"ana","created_at":"2024-05-03T09:00:00Z","due_at":"2025-01-31T00:00:00Z"},
			{"id":"AI-2","incident_id":"INC-1","created_at":"2024-05-03T09:00:00Z","due_at":"2024-05-10T00:00:00Z","done_at":"2024-05-09T00:00:00Z"},
			{"id":"AI-3","title":"orphan","due_at":"2024-05-10T00:00:00Z"},
			{"id":"AI-4","postmortem_id":"PM-1","created_at":"2024-05-03T09:00:00Z","due_at":"2024-05-01T00:00:00Z"},
			{"id":"AI-5","postmortem_id":"PM-1","created_at":"2024-05-03T09:00:00Z","done_at":"2024-05-02T00:00:00Z"},
			{"id":"AI-6","postmortem_id":"PM-1","done_at":"2025-01-31T00:00:00Z"}
		]`
		res = ingestKind(t, st, "action_items", ingest.JSON, items)
		var got []string
		for _, r := range res.Rejected {
			got = append(got, r.ID+":"+r.Field)
		}
		if res.Stored != 2 || strings.Join(got, ",") != "AI-3:postmortem_id,AI-4:due_at,AI-5:done_at,AI-6:done_at" {
			t.Fatalf("action items stored %d, rejected %v", res.Stored, got)
		}
	})
}

func TestCanonicalThemes(t *testing.T) {
	for in, want := range map[string]string{"": "", " , ": "", "B,a, b": "a,b", "config": "config"} {
		if got, err := ingest.CanonicalThemes(in); err != nil || got != want {
			t.Errorf("CanonicalThemes(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ingest.CanonicalThemes(strings.Repeat("x,", 40) + strings.Repeat("y", 3)); err != nil {
		t.Errorf("repeated themes count once: %v", err)
	}
	var many []string
	for i := 0; i < 33; i++ {
		many = append(many, string(rune('a'+i%26))+strings.Repeat("z", i/26))
	}
	if _, err := ingest.CanonicalThemes(strings.Join(many, ",")); err == nil {
		t.Error("33 themes accepted")
	}
}
