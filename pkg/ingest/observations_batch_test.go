package ingest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func ingestBatch(t *testing.T, st store.Store, format ingest.Format, payload string) ingest.Result {
	t.Helper()
	res, err := ingest.IngestObservationBatches(context.Background(), st, format, strings.NewReader(payload), ingest.Options{Now: now})
	if err != nil {
		t.Fatalf("batch ingest: %v", err)
	}
	return res
}

func TestObservationBatchStoresEachValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		// Python's json.dumps writes NaN and Infinity bare; JSON.stringify writes null.
		payload := `{"model":"churn","model_version":"v3","feature":"age","observed_at":"2024-05-01T09:00:00Z",
			"values":[31, 45, NaN, 27, null, -Infinity, "12.5"],"seq_start":100,"segment":{"region":"eu"},"note":"x"}`
		res := ingestBatch(t, st, ingest.JSON, payload)
		if res.Kind != "observations-batch" || res.Stored != 4 || len(res.Rejected) != 3 {
			t.Fatalf("result %+v", res)
		}
		want := []struct{ field, reason string }{
			{"values[2]", "values[2] is NaN: observations must be finite numbers"},
			{"values[4]", "values[4] is null: want a finite number"},
			{"values[5]", "values[5] is -Infinity: observations must be finite numbers"},
		}
		for i, w := range want {
			rj := res.Rejected[i]
			if rj.Position != 1 || rj.Field != w.field || !strings.HasPrefix(rj.Reason, w.reason) {
				t.Errorf("rejection %d %+v, want field %s reason %q", i, rj, w.field, w.reason)
			}
		}
		if strings.Join(res.IgnoredFields, ",") != "note" {
			t.Errorf("ignored fields %v", res.IgnoredFields)
		}
		got := readObservations(t, st)
		var seqs, values []string
		for _, o := range got {
			seqs = append(seqs, strconvF(float64(o.seq)))
			values = append(values, strconvF(o.value.Float64))
			if o.segment != `{"region":"eu"}` || o.version != "v3" || fmtMs(o.at) != "2024-05-01T09:00:00Z" {
				t.Errorf("row %+v", o)
			}
		}
		// Value i has seq 100+i: rejected positions leave their seq unused.
		if strings.Join(seqs, ",") != "100,101,103,106" || strings.Join(values, ",") != "31,45,27,12.5" {
			t.Fatalf("seqs %v values %v", seqs, values)
		}
		// Re-sending the batch replaces its rows.
		ingestBatch(t, st, ingest.JSON, payload)
		if n := len(readObservations(t, st)); n != 4 {
			t.Fatalf("%d rows after a resend, want 4", n)
		}
	})
}

func TestObservationBatchArraysOfTimesIDsAndScores(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		payload := `{"model":"churn","feature":"__prediction__","observed_at":["2024-05-01T10:00:00Z","2024-05-01T10:01:00Z","2024-05-01T10:02:00+01:00"],"categories":["churn","stay","stay"],"prediction_ids":["p1","p2","p3"],"scores":[0.9,0.2,0.3]}
{"model":"churn","feature":"plan","observed_at":"2024-05-01T10:00:00Z","categories":["pro","free"],"prediction_ids":["p1","p2"]}
{"model":"churn","feature":"plan","observed_at":"2024-05-01T10:00:00Z","categories":["pro"],"prediction_ids":["p1","p2"]}
not json
{"model":"churn","feature":"tenure","observed_at":["2024-05-01T10:00:00Z","yesterday"],"values":[3,4],"prediction_ids":["p1",7]}
`
		res := ingestBatch(t, st, ingest.NDJSON, payload)
		if res.Stored != 6 || len(res.Rejected) != 3 {
			t.Fatalf("result %+v", res)
		}
		checks := []struct {
			pos, line  int
			field, has string
		}{
			{3, 3, "prediction_ids", "has 2 elements for 1 categories"},
			{4, 4, "", "not a JSON object"},
			{5, 5, "observed_at[1]", "not RFC 3339"},
		}
		for i, c := range checks {
			rj := res.Rejected[i]
			if rj.Position != c.pos || rj.Line != c.line || rj.Field != c.field || !strings.Contains(rj.Reason, c.has) {
				t.Errorf("rejection %d %+v, want %+v", i, rj, c)
			}
		}
		got := readObservations(t, st)
		var keys []string
		for _, o := range got {
			keys = append(keys, o.feature+":"+o.predictionID+":"+o.category+strconvF(o.value.Float64)+"@"+fmtMs(o.at))
		}
		// Rows come back by time: p3's time is 10:02 at +01:00, 09:02 UTC.
		want := "__prediction__:p3:stay0@2024-05-01T09:02:00Z,__prediction__:p1:churn0@2024-05-01T10:00:00Z,__prediction__:p2:stay0@2024-05-01T10:01:00Z," +
			"plan:p1:pro0@2024-05-01T10:00:00Z,plan:p2:free0@2024-05-01T10:00:00Z,tenure:p1:3@2024-05-01T10:00:00Z"
		if strings.Join(keys, ",") != want {
			t.Fatalf("rows\n%s\nwant\n%s", strings.Join(keys, ","), want)
		}
		if got[0].score.Float64 != 0.3 || got[1].score.Float64 != 0.9 || got[2].score.Float64 != 0.2 {
			t.Fatalf("scores %+v %+v", got[0], got[1])
		}
	})
}

func TestBadObservationBatches(t *testing.T) {
	cases := []struct {
		name, payload, field, has string
		stored, rejected          int
	}{
		{"no values", `{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z"}`, "values", "is required", 1, 1},
		{"empty values", `{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z","values":[]}`, "values", "is empty", 1, 1},
		{"values not an array", `{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z","values":3}`, "values", "want an array", 1, 1},
		{"both kinds", `{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z","values":[1],"categories":["a"]}`, "categories", "not both", 1, 1},
		{"missing model", `{"feature":"f","observed_at":"2024-05-01T00:00:00Z","values":[1,2]}`, "model", "is required", 1, 1},
		{"reserved feature", `{"model":"m","feature":"__x","observed_at":"2024-05-01T00:00:00Z","values":[1,2]}`, "feature", "reserved", 1, 1},
		{"times and values differ", `{"model":"m","feature":"f","observed_at":["2024-05-01T00:00:00Z"],"values":[1,2]}`, "observed_at", "1 times for 2 values", 1, 1},
		{"bad shared time", `{"model":"m","feature":"f","observed_at":"2024-05-01","values":[1,2]}`, "observed_at", "not RFC 3339", 1, 1},
		{"seq_start fractional", `{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z","values":[1],"seq_start":0.5}`, "seq_start", "whole number", 1, 1},
		{"scores outside [0,1]", `{"model":"m","feature":"__prediction__","observed_at":"2024-05-01T00:00:00Z","values":[1,0],"scores":[0.5,2]}`, "scores[1]", "probability", 2, 1},
		{"scores on a feature", `{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z","values":[1,0],"scores":[0.5,0.2]}`, "scores[0]", "only for prediction rows", 1, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			res := ingestBatch(t, st, ingest.JSON, `[{"model":"m","feature":"ok","observed_at":"2024-05-01T00:00:00Z","values":[7]},`+c.payload+`]`)
			if res.Stored != c.stored || len(res.Rejected) != c.rejected {
				t.Fatalf("result %+v", res)
			}
			if rj := res.Rejected[0]; rj.Position != 2 || rj.Field != c.field || !strings.Contains(rj.Reason, c.has) {
				t.Fatalf("rejection %+v; want field %q reason with %q", rj, c.field, c.has)
			}
		})
	}
	t.Run("CSV is refused as a whole", func(t *testing.T) {
		st := storetest.OpenSQLite(t)
		_, err := ingest.IngestObservationBatches(context.Background(), st, ingest.CSV, strings.NewReader("model\nm\n"), ingest.Options{Now: now})
		if err == nil || !ingest.IsPayloadError(err) || !strings.Contains(err.Error(), "JSON or NDJSON") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("malformed JSON stores nothing", func(t *testing.T) {
		st := storetest.OpenSQLite(t)
		_, err := ingest.IngestObservationBatches(context.Background(), st, ingest.JSON,
			strings.NewReader(`[{"model":"m","feature":"f","observed_at":"2024-05-01T00:00:00Z","values":[1]}, {"model":`), ingest.Options{Now: now})
		if err == nil || !ingest.IsPayloadError(err) {
			t.Fatalf("error %v", err)
		}
		if n := len(readObservations(t, st)); n != 0 {
			t.Fatalf("%d rows stored from a malformed payload", n)
		}
	})
}
