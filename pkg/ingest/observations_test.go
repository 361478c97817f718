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

// observation is a stored row as the tests read it back.
type observation struct {
	model, feature, version, predictionID, category, label, segment string
	at, seq                                                         int64
	value, score, confidence, outcome                               sql.NullFloat64
}

func readObservations(t *testing.T, st store.Store) []observation {
	t.Helper()
	rows, err := st.QueryContext(context.Background(), `SELECT model, feature, model_version, prediction_id, category, label, segment,
		observed_at, seq, value, score, confidence, outcome FROM model_observations ORDER BY model, feature, observed_at, prediction_id, seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []observation
	for rows.Next() {
		var o observation
		if err := rows.Scan(&o.model, &o.feature, &o.version, &o.predictionID, &o.category, &o.label, &o.segment,
			&o.at, &o.seq, &o.value, &o.score, &o.confidence, &o.outcome); err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestObservationsThroughEveryFormat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		payload, err := os.ReadFile("testdata/observations.ndjson")
		if err != nil {
			t.Fatal(err)
		}
		res := ingestKind(t, st, "observations", ingest.NDJSON, string(payload))
		if res.Stored != 6 || len(res.Rejected) != 0 {
			t.Fatalf("ndjson: %+v", res)
		}
		csv, err := os.ReadFile("testdata/observations.csv")
		if err != nil {
			t.Fatal(err)
		}
		res = ingestKind(t, st, "observations", ingest.CSV, string(csv))
		if res.Stored != 3 || len(res.Rejected) != 0 {
			t.Fatalf("csv: %+v", res)
		}
		res = ingestKind(t, st, "observations", ingest.JSON,
			`[{"model":"churn","feature":"plan","observed_at":"2024-05-01T10:00:00Z","category":"pro","prediction_id":"p1"}]`)
		if res.Stored != 1 || len(res.Rejected) != 0 {
			t.Fatalf("json: %+v", res)
		}
		// Sending everything again replaces, never duplicates.
		ingestKind(t, st, "observations", ingest.NDJSON, string(payload))
		ingestKind(t, st, "observations", ingest.CSV, string(csv))
		got := readObservations(t, st)
		if len(got) != 10 {
			t.Fatalf("%d rows after resending, want 10", len(got))
		}
		byKey := map[string]observation{}
		for _, o := range got {
			byKey[o.feature+"/"+o.predictionID+"/"+fmtMs(o.at)+"/"+strconvF(float64(o.seq))] = o
		}
		// Two ages logged at one instant without prediction ids stay apart by seq.
		a0, a1 := byKey["age//2024-05-01T09:00:00Z/0"], byKey["age//2024-05-01T09:00:00Z/1"]
		if a0.value.Float64 != 31 || a1.value.Float64 != 31 {
			t.Fatalf("seq-told-apart ages %+v %+v", a0, a1)
		}
		// A prediction with only a score takes the score as its value.
		p2 := byKey["__prediction__/p2/2024-05-01T10:05:00Z/0"]
		if !p2.value.Valid || p2.value.Float64 != 0.8 || p2.score.Float64 != 0.8 || p2.segment != `{"region":"eu"}` {
			t.Fatalf("scored prediction %+v", p2)
		}
		p1 := byKey["__prediction__/p1/2024-05-01T10:00:00Z/0"]
		if p1.category != "churn" || p1.confidence.Float64 != 0.9 || p1.label != "stay" || p1.version != "v3" {
			t.Fatalf("labelled prediction %+v", p1)
		}
		c := byKey["income//2024-05-02T08:00:00Z/0"]
		if c.value.Float64 != 52000.5 || c.segment != `{"region":"us","tier":"b"}` {
			t.Fatalf("csv row %+v", c)
		}
		counts, err := st.Counts(context.Background())
		if err != nil || counts["model_observations"] != 10 {
			t.Fatalf("counts %v %v", counts, err)
		}
	})
}

func TestNonFiniteValuesAreRejectedByPosition(t *testing.T) {
	cases := []struct {
		name    string
		format  ingest.Format
		payload string
		pos     int
		line    int
		field   string
		reason  string
	}{
		{"csv NaN", ingest.CSV, "model,feature,observed_at,value\nm,age,2024-05-01T00:00:00Z,1\nm,age,2024-05-01T00:00:01Z,NaN\n", 2, 3, "value", "finite number, got NaN"},
		{"csv inf", ingest.CSV, "model,feature,observed_at,value\nm,age,2024-05-01T00:00:00Z,1\nm,age,2024-05-01T00:00:01Z,-inf\n", 2, 3, "value", "finite number, got -Inf"},
		{"ndjson string Infinity", ingest.NDJSON, `{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}` + "\n" +
			`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:01Z","value":"Infinity"}` + "\n", 2, 2, "value", "finite number, got +Inf"},
		{"json number out of range", ingest.JSON, `[{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1},
			{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:01Z","value":1e400}]`, 2, 0, "value", "out of range"},
		{"ndjson bare NaN is not JSON", ingest.NDJSON, `{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}` + "\n" +
			`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:01Z","value":NaN}` + "\n", 2, 2, "", "not a JSON object"},
		{"score NaN", ingest.NDJSON, `{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}` + "\n" +
			`{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T00:00:01Z","value":1,"score":"nan"}` + "\n", 2, 2, "score", "finite number, got NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			res := ingestKind(t, st, "observations", c.format, c.payload)
			if res.Stored != 1 || len(res.Rejected) != 1 {
				t.Fatalf("result %+v", res)
			}
			rj := res.Rejected[0]
			if rj.Position != c.pos || rj.Line != c.line || rj.Field != c.field || !strings.Contains(rj.Reason, c.reason) {
				t.Fatalf("rejection %+v; want position %d line %d field %q reason with %q", rj, c.pos, c.line, c.field, c.reason)
			}
			if got := readObservations(t, st); len(got) != 1 || got[0].value.Float64 != 1 {
				t.Fatalf("stored %+v", got)
			}
		})
	}
}

func TestBadObservations(t *testing.T) {
	const good = `{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}`
	cases := []struct {
		record, field, reasonHas string
	}{
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z"}`, "value", "value (a number) or category"},
		{`{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T00:00:00Z"}`, "value", "or score"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1,"category":"a"}`, "category", "not both"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":"thirty"}`, "value", "not a number"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1,"outcome":1}`, "outcome", "only for prediction rows"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1,"score":0.5}`, "score", "only for prediction rows"},
		{`{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T00:00:00Z","value":1,"score":1.5}`, "score", "probability in [0, 1]"},
		{`{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T00:00:00Z","value":1,"confidence":-0.1}`, "confidence", "probability in [0, 1]"},
		{`{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T00:00:00Z","value":1,"outcome":1,"label":"x"}`, "label", "not both"},
		{`{"model":"m","feature":"__secret","observed_at":"2024-05-01T00:00:00Z","value":1}`, "feature", "reserved"},
		{`{"model":" ","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}`, "model", "empty"},
		{`{"model":"m ","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}`, "model", "trailing spaces"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1,"seq":1.5}`, "seq", "whole number"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1,"seq":-1}`, "seq", "whole number"},
		{`{"model":"m","feature":"plan","observed_at":"2024-05-01T00:00:00Z","category":"` + strings.Repeat("x", 600) + `"}`, "category", "600 bytes"},
		{`{"model":"` + strings.Repeat("m", 201) + `","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1}`, "model", "201 bytes"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01 00:00:00Z","value":1}`, "observed_at", "space"},
		{`{"model":"m","feature":"age","value":1}`, "observed_at", "required"},
		{`{"model":"m","feature":"age","observed_at":"2024-05-01T00:00:00Z","value":1,"segment":["eu"]}`, "segment", "object"},
	}
	for _, c := range cases {
		t.Run(c.field+" "+c.reasonHas, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			res := ingestKind(t, st, "observations", ingest.NDJSON, good+"\n"+c.record+"\n")
			if res.Stored != 1 || len(res.Rejected) != 1 {
				t.Fatalf("result %+v", res)
			}
			if rj := res.Rejected[0]; rj.Field != c.field || !strings.Contains(rj.Reason, c.reasonHas) || rj.Position != 2 {
				t.Fatalf("rejection %+v; want field %q, reason with %q", rj, c.field, c.reasonHas)
			}
		})
	}
}

func TestOutcomesReplaceByPredictionID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		res := ingestKind(t, st, "outcomes", ingest.NDJSON, `{"model":"churn","prediction_id":"p1","label":"stay"}
{"model":"churn","prediction_id":"p2","outcome":1,"observed_at":"2024-05-09T00:00:00Z"}
{"model":"churn","prediction_id":"p3"}
{"model":"churn","prediction_id":"p4","outcome":1,"label":"churn"}
{"model":"churn","outcome":1}
`)
		if res.Stored != 2 || len(res.Rejected) != 3 {
			t.Fatalf("result %+v", res)
		}
		for i, want := range []string{"outcome is missing", "label is set together with outcome", "prediction_id is required"} {
			if !strings.Contains(res.Rejected[i].Reason, want) {
				t.Errorf("rejection %d %+v, want %q", i, res.Rejected[i], want)
			}
		}
		// A corrected outcome replaces the first.
		ingestKind(t, st, "outcomes", ingest.CSV, "model,prediction_id,label\nchurn,p1,churn\n")
		var label string
		var n int
		if err := st.QueryRowContext(context.Background(), `SELECT label, (SELECT COUNT(*) FROM model_outcomes) FROM model_outcomes WHERE prediction_id = 'p1'`).Scan(&label, &n); err != nil {
			t.Fatal(err)
		}
		if label != "churn" || n != 2 {
			t.Fatalf("p1 label %q, %d outcomes", label, n)
		}
	})
}
