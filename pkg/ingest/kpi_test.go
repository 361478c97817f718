package ingest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func ingestSamples(t *testing.T, st store.Store, format ingest.Format, payload string) ingest.Result {
	t.Helper()
	k, err := ingest.DefaultKinds().Get("kpi-samples")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Ingest(context.Background(), st, k, format, strings.NewReader(payload), ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A sample's key is its KPI, time and labels: re-sending replaces it, whatever the
// labels' key order, and different labels are different samples.
func TestKPISampleKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		res := ingestSamples(t, st, ingest.NDJSON, `{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":30,"labels":{"region":"eu","tier":"gold"}}
{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":31,"labels":{"tier":"gold","region":"eu"}}
{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":40,"labels":{"region":"us"}}
{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":50}
`)
		if res.Stored != 3 || res.Superseded != 1 {
			t.Fatalf("result %+v; want 3 stored and 1 superseded", res)
		}
		ingestSamples(t, st, ingest.CSV, "kpi,at,value,labels\nnps,2024-05-01T00:00:00Z,32,\"{\"\"region\"\":\"\"eu\"\",\"\"tier\"\":\"\"gold\"\"}\"\n")
		var value float64
		var source string
		if err := st.QueryRowContext(context.Background(), `SELECT value, source FROM kpi_samples WHERE labels = $1`, `{"region":"eu","tier":"gold"}`).Scan(&value, &source); err != nil || value != 32 || source != "api" {
			t.Fatalf("stored %v from %q (%v); the CSV re-send must replace the sample", value, source, err)
		}
		counts, _ := st.Counts(context.Background())
		if counts["kpi_samples"] != 3 {
			t.Fatalf("%d samples stored, want 3", counts["kpi_samples"])
		}
	})
}

func TestKPISampleBadRecords(t *testing.T) {
	cases := []struct{ name, record, field, has string }{
		{"missing kpi", `{"at":"2024-05-01T00:00:00Z","value":1}`, "kpi", "required"},
		{"missing value", `{"kpi":"nps","at":"2024-05-01T00:00:00Z"}`, "value", "required"},
		{"value not a number", `{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":"high"}`, "value", "not a number"},
		{"time without zone", `{"kpi":"nps","at":"2024-05-01T00:00:00","value":1}`, "at", "no time zone"},
		{"kpi id with a space", `{"kpi":"net promoter","at":"2024-05-01T00:00:00Z","value":1}`, "kpi", "not a KPI id"},
		{"labels too long for a key", `{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":1,"labels":{"a":"` + strings.Repeat("x", 1100) + `"}}`, "labels", "more than the 1024"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			res := ingestSamples(t, st, ingest.NDJSON, `{"kpi":"nps","at":"2024-05-01T00:00:00Z","value":1}`+"\n"+c.record+"\n")
			if res.Stored != 1 || len(res.Rejected) != 1 {
				t.Fatalf("result %+v", res)
			}
			if rj := res.Rejected[0]; rj.Line != 2 || rj.Field != c.field || !strings.Contains(rj.Reason, c.has) {
				t.Fatalf("rejection %+v; want field %q with %q", rj, c.field, c.has)
			}
		})
	}
}

func TestKPIDefinitionRecord(t *testing.T) {
	cases := []struct{ name, body, field, has string }{
		{"unknown direction", `{"id":"a","name":"A","direction":"up","target":1}`, "direction", `"up" is not one of higher, lower`},
		{"missing target", `{"id":"a","name":"A","direction":"higher"}`, "target", "required"},
		{"blank name", `{"id":"a","name":"  ","direction":"higher","target":1}`, "name", "empty"},
		{"bad id", `{"id":"a/b","name":"A","direction":"higher","target":1}`, "id", "not a KPI id"},
		{"higher: warning above the target", `{"id":"a","name":"A","direction":"higher","target":99,"warning":99.5}`, "warning", "99.5 is not below the target 99"},
		{"higher: warning at the target", `{"id":"a","name":"A","direction":"higher","target":99,"warning":99}`, "warning", "not below the target"},
		{"lower: critical below the target", `{"id":"a","name":"A","direction":"lower","target":200,"critical":150}`, "critical", "150 is not above the target 200"},
		{"lower: critical before warning", `{"id":"a","name":"A","direction":"lower","target":200,"warning":400,"critical":300}`, "critical", "300 is not above the warning threshold 400"},
		{"higher: critical equal to warning", `{"id":"a","name":"A","direction":"higher","target":10,"warning":5,"critical":5}`, "critical", "not below the warning threshold 5"},
		{"negative cost", `{"id":"a","name":"A","direction":"lower","target":1,"cost_per_unit":-3}`, "cost_per_unit", "negative"},
		{"bad currency", `{"id":"a","name":"A","direction":"lower","target":1,"cost_per_unit":3,"currency":"dollars"}`, "currency", "ISO 4217"},
		{"service without minutes", `{"id":"a","name":"A","unit":"h","direction":"lower","target":1,"service":"api","cost_per_unit":3}`, "unit", `use unit "m"`},
		{"service without a price", `{"id":"a","name":"A","unit":"m","direction":"lower","target":1,"service":"api"}`, "cost_per_unit", "required when service is set"},
		{"fractional base version", `{"id":"a","name":"A","direction":"lower","target":1,"base_version":1.5}`, "base_version", "not a version number"},
		{"unknown status", `{"id":"a","name":"A","direction":"lower","target":1,"status":"paused"}`, "status", "not one of active, retired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ingest.ParseKPIDefinition([]byte(c.body), now)
			var fe *ingest.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Error(), c.has) {
				t.Fatalf("error %v; want field %q with %q", err, c.field, c.has)
			}
		})
	}
	good := `{"id":"checkout.p95","name":"Checkout p95","unit":"ms","direction":"lower","target":200,"warning":300,"critical":400,"version":3}`
	rec, ignored, err := ingest.ParseKPIDefinition([]byte(good), now)
	if err != nil || rec["warning"] != 300.0 || len(ignored) != 1 || ignored[0] != "version" {
		t.Fatalf("good definition: %v ignored %v err %v", rec, ignored, err)
	}
	if _, _, err := ingest.ParseKPIDefinition([]byte(`[1]`), now); !ingest.IsPayloadError(err) {
		t.Fatalf("an array body: %v", err)
	}
}
