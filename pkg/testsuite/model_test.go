package testsuite

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/stats/drift"
)

// TestModelContract drives model health through the real executable: observations in
// the batch form and outcomes through the resource API (a Viewer refused), a
// reference snapshot, then drift, performance and the retraining trigger decoded from
// Arrow and checked against pkg/stats/drift on the same values and hand-worked counts.
func TestModelContract(t *testing.T) {
	p := startPlugin(t, nil, nil)
	day := func(n int) time.Time { return time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	// income on May 1 (the reference) and May 2 (same values), May 3 (shifted by 30).
	ref, same, shifted := make([]float64, 200), make([]float64, 200), make([]float64, 200)
	for i := range ref {
		ref[i] = float64((i * 37) % 100)
		same[i] = ref[i]
		shifted[i] = ref[i] + 30
	}
	var batches []string
	for d, values := range [][]float64{ref, same, shifted} {
		b, _ := json.Marshal(map[string]any{"model": "churn", "feature": "income", "observed_at": day(d).Add(time.Hour).Format(time.RFC3339), "values": values})
		batches = append(batches, string(b))
	}
	payload := []byte(strings.Join(batches, "\n"))
	if status, body := p.callResource(t, "Viewer", "POST", "ingest/observations-batch", "format=ndjson", nil, payload); status != 403 {
		t.Fatalf("viewer batch: %d %s", status, body)
	}
	if status, body := p.callResource(t, "Editor", "POST", "ingest/observations-batch", "format=ndjson", nil, payload); status != 200 || !strings.Contains(string(body), `"stored":600`) {
		t.Fatalf("batch: %d %s", status, body)
	}
	// Predictions on May 2 (p1 right, p2 wrong) and May 3 (p3, no outcome yet).
	preds := `{"model":"churn","feature":"__prediction__","observed_at":"2024-05-02T02:00:00Z","prediction_id":"p1","category":"churn"}
{"model":"churn","feature":"__prediction__","observed_at":"2024-05-02T03:00:00Z","prediction_id":"p2","category":"churn"}
{"model":"churn","feature":"__prediction__","observed_at":"2024-05-03T02:00:00Z","prediction_id":"p3","category":"stay"}
`
	if status, body := p.callResource(t, "Editor", "POST", "ingest/observations", "format=ndjson", nil, []byte(preds)); status != 200 || !strings.Contains(string(body), `"stored":3`) {
		t.Fatalf("predictions: %d %s", status, body)
	}
	outcomes := `[{"model":"churn","prediction_id":"p1","label":"churn"},{"model":"churn","prediction_id":"p2","label":"stay"}]`
	if status, body := p.callResource(t, "Editor", "POST", "ingest/outcomes", "", nil, []byte(outcomes)); status != 200 || !strings.Contains(string(body), `"stored":2`) {
		t.Fatalf("outcomes: %d %s", status, body)
	}
	snap := `{"model":"churn","name":"may-1","from":"2024-05-01T00:00:00Z","to":"2024-05-02T00:00:00Z","features":["income"]}`
	if status, body := p.callResource(t, "Editor", "POST", "model/snapshots", "", nil, []byte(snap)); status != 201 || !strings.Contains(string(body), `"n":200`) {
		t.Fatalf("snapshot: %d %s", status, body)
	}

	t.Run("PSI per day against the snapshot, labelled by model and feature", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"model","metric":"psi","bucket":"1d","filters":{"model":["churn"],"feature":["income"]},
			"model":{"reference":{"type":"snapshot","snapshot":"may-1"}}}`, day(1), day(4), time.Hour)
		frames := decodeFrames(t, r)
		if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("%d frames", len(frames))
		}
		v := frames[0].Fields[1]
		if v.Labels["model"] != "churn" || v.Labels["feature"] != "income" || v.Config.DisplayNameFromDS != "PSI · churn / income" {
			t.Fatalf("labels %v config %+v", v.Labels, v.Config)
		}
		shift, err := drift.PSI(ref, shifted, drift.PSIOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Same values: 0; shifted: as pkg/stats/drift computes it; May 4: no observations.
		checkValues(t, v, []*float64{fp(0), fp(shift.Statistic), nil})
		if len(frames[0].Meta.Notices) != 1 || !strings.Contains(frames[0].Meta.Notices[0].Text, "no observations of income in the current window") {
			t.Fatalf("notices %+v", frames[0].Meta.Notices)
		}
	})

	t.Run("KS verdicts as a table", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"model","metric":"ks","bucket":"none","format":"table","filters":{"feature":["income"]},
			"model":{"reference":{"type":"range","from":"2024-05-01T00:00:00Z","to":"2024-05-02T00:00:00Z"}}}`, day(2), day(3), 0)
		f := decodeFrames(t, r)[0]
		if got := strings.Join(fieldNames(f), ","); got != "model,feature,kind,method,statistic,p_value,threshold,drifted,severity,reference_n,current_n,note" {
			t.Fatalf("fields %s", got)
		}
		k, _ := drift.KS(ref, shifted, drift.KSOptions{})
		checkValues(t, f.Fields[4], []*float64{fp(k.Statistic)})
		checkValues(t, f.Fields[5], []*float64{fp(k.PValue)})
		if d := f.Fields[7].At(0).(*bool); d == nil || !*d {
			t.Fatalf("drifted %v", d)
		}
	})

	t.Run("accuracy per day: null until outcomes arrive", func(t *testing.T) {
		r := p.queryData(t, "C", `{"queryType":"model","metric":"accuracy","bucket":"1d","model":{"positive":"churn"}}`, day(1), day(3), time.Hour)
		frames := decodeFrames(t, r)
		v := frames[0].Fields[1]
		if v.Config.Unit != "percentunit" || v.Labels["model"] != "churn" {
			t.Fatalf("config %+v labels %v", v.Config, v.Labels)
		}
		checkValues(t, v, []*float64{fp(0.5), nil}) // p1 right, p2 wrong; p3 has no outcome yet
	})

	t.Run("retraining trigger with its reason", func(t *testing.T) {
		r := p.queryData(t, "D", `{"queryType":"model","metric":"retrain","bucket":"1d","format":"table",
			"model":{"reference":{"type":"snapshot","snapshot":"may-1"},"retrain":{"consecutive":1}}}`, day(1), day(4), time.Hour)
		f := decodeFrames(t, r)[0]
		reason, _ := f.FieldByName("reason")
		state, _ := f.FieldByName("retrain")
		if state.At(0).(float64) != 1 || reason.At(0).(string) != "drift: psi of feature income drifted in 1 consecutive buckets from 2024-05-03T00:00:00Z" {
			t.Fatalf("state %v reason %q", state.At(0), reason.At(0))
		}
	})

	t.Run("snapshots listed for a viewer; a bad model query fails alone", func(t *testing.T) {
		status, body := p.callResource(t, "Viewer", "GET", "model/snapshots", "model=churn", nil, nil)
		if status != 200 || !strings.Contains(string(body), `"name":"may-1"`) {
			t.Fatalf("list: %d %s", status, body)
		}
		r := p.queryData(t, "E", `{"queryType":"model","metric":"psi","model":{"reference":{"type":"snapshot","snapshot":"june"}}}`, day(1), day(4), 0)
		if r.Status != 400 || !strings.Contains(r.Error, `model churn has no snapshot "june"`) {
			t.Fatalf("status %d error %q", r.Status, r.Error)
		}
	})
}
