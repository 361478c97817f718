package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImpactOfStoredEvent: `kaizen impact --db --event` prints exactly what the file
// mode prints for the values in the event's windows. Checkout MTTR, one incident a
// day at 02:00: ten days before the deployment (2025-03-01, with ties) and twelve
// after it (unequal sizes).
func TestImpactOfStoredEvent(t *testing.T) {
	before := []int{1800, 2400, 2100, 2700, 2400, 2280, 2520, 2160, 2400, 1980}
	after := []int{1500, 1620, 1500, 1740, 1380, 1500, 1620, 1440, 1560, 1500, 1680, 1320}
	deployed := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var incidents []string
	add := func(day int, seconds int) {
		start := deployed.AddDate(0, 0, day).Add(2 * time.Hour)
		incidents = append(incidents, fmt.Sprintf(`{"id":"i%d","service":"checkout","started_at":"%s","resolved_at":"%s"}`,
			len(incidents), start.Format(time.RFC3339), start.Add(time.Duration(seconds)*time.Second).Format(time.RFC3339)))
	}
	for i, v := range before {
		add(i-len(before), v)
	}
	for i, v := range after {
		add(i, v)
	}
	db := filepath.Join(t.TempDir(), "k.db")
	if code, out, errOut := runCLI(t, strings.Join(incidents, "\n"), "import", "--db", db, "--kind", "incidents", "--format", "ndjson", "-"); code != 0 || !strings.Contains(out, `"stored":22`) {
		t.Fatalf("incidents: exit %d %s %s", code, out, errOut)
	}
	events := `{"id":"kz-checkout","name":"Checkout runbook","target":{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d","filters":{"service":["checkout"]}},"proposed_at":"2025-02-01T00:00:00Z","deployed_at":"2025-03-01T00:00:00Z","baseline_days":10,"after_days":12}
{"id":"kz-idea","name":"Not yet","target":{"queryType":"incidents","metric":"mttr"}}
{"id":"kz-bad","name":"Bad","target":{"queryType":"incidents","metric":"mttr","groupBy":["service"]}}`
	code, out, errOut := runCLI(t, events, "import", "--db", db, "--kind", "kaizen-events", "--format", "ndjson", "-")
	if code != 0 || !strings.Contains(out, `"created":2`) || !strings.Contains(out, `"line":3`) || !strings.Contains(out, `"field":"target"`) {
		t.Fatalf("events: exit %d %s %s", code, out, errOut)
	}

	lines := func(xs []int) string {
		var b strings.Builder
		for _, x := range xs {
			fmt.Fprintln(&b, x)
		}
		return b.String()
	}
	beforeFile, afterFile := writeTemp(t, "before.txt", lines(before)), writeTemp(t, "after.txt", lines(after))
	code, fromFiles, errOut := runCLI(t, "", "impact", "--before", beforeFile, "--after", afterFile, "--better", "lower", "--seed", "5", "--min-n", "6")
	if code != 0 {
		t.Fatalf("file mode: exit %d %s", code, errOut)
	}
	code, fromDB, errOut := runCLI(t, "", "impact", "--db", db, "--event", "kz-checkout", "--now", "2025-04-01T00:00:00Z", "--seed", "5", "--min-n", "6")
	if code != 0 {
		t.Fatalf("db mode: exit %d %s", code, errOut)
	}
	if fromDB != fromFiles {
		t.Fatalf("db mode differs from file mode on the same values:\n%s\n%s", fromDB, fromFiles)
	}
	if !strings.Contains(fromDB, `"verdict":"improved"`) || !strings.Contains(fromDB, `"min_n":6`) {
		t.Fatalf("db mode output %s", fromDB)
	}

	// While the after window fills, it ends at --now: four days in, four points.
	code, partial, _ := runCLI(t, "", "impact", "--db", db, "--event", "kz-checkout", "--now", "2025-03-04T12:00:00Z")
	if code != 0 || !strings.Contains(partial, `"after":{"n":4,`) || !strings.Contains(partial, `"verdict":"insufficient-data","needed":{"before":0,"after":4}`) {
		t.Fatalf("partial window: exit %d %s", code, partial)
	}

	for _, c := range []struct {
		args []string
		code int
		has  string
	}{
		{[]string{"impact", "--db", db}, 2, "--db and --event go together"},
		{[]string{"impact", "--db", db, "--event", "kz-checkout", "--better", "lower"}, 2, "with --db the event gives its windows"},
		{[]string{"impact", "--db", db, "--event", "kz-ghost"}, 1, `kaizen event "kz-ghost" does not exist`},
		{[]string{"impact", "--db", db, "--event", "kz-idea"}, 1, `"kz-idea" is not deployed yet (status proposed)`},
		{[]string{"impact", "--db", db, "--event", "kz-checkout", "--now", "yesterday"}, 2, "--now"},
	} {
		code, _, errOut := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.has) {
			t.Errorf("%v: exit %d %q, want %d with %q", c.args, code, errOut, c.code, c.has)
		}
	}
}
