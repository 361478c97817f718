package testsuite

import (
	"os"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestContractFlow drives flow through the real executable: value stream definitions and
// ingestion through the resource API (roles checked), then flow queries whose Arrow
// frames are checked against the hand-worked set in pkg/metrics/flow/testdata.
func TestContractFlow(t *testing.T) {
	p := startPlugin(t, nil, map[string]string{"ingestToken": "flow-token"})
	read := func(name string) []byte {
		b, err := os.ReadFile("../metrics/flow/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if status, body := p.callResource(t, "Viewer", "PUT", "flow/streams/delivery", "", nil, read("delivery.json")); status != 403 {
		t.Fatalf("viewer defines a stream: %d %s", status, body)
	}
	for _, s := range []string{"delivery", "ops"} {
		if status, body := p.callResource(t, "Editor", "PUT", "flow/streams/"+s, "", nil, read(s+".json")); status != 200 {
			t.Fatalf("PUT flow/streams/%s: %d %s", s, status, body)
		}
	}
	if status, body := p.callResource(t, "Editor", "POST", "ingest/transitions", "format=ndjson", nil, read("hand_transitions.ndjson")); status != 200 || !strings.Contains(string(body), `"stored":15`) {
		t.Fatalf("transitions: %d %s", status, body)
	}
	if status, body := p.callResource(t, "Editor", "POST", "ingest/work_items", "format=ndjson", nil, read("hand_items.ndjson")); status != 200 || !strings.Contains(string(body), `"stored":5`) {
		t.Fatalf("work items: %d %s", status, body)
	}
	// A sender with the ingest token and no Grafana role: an event for an item of another
	// stream, after the range, that must change nothing below.
	if status, body := p.callResource(t, "", "POST", "webhooks/transitions", "", map[string]string{"X-Kaizen-Ingest-Token": "flow-token"},
		[]byte(`{"item_id":"F","to":"Work","at":"2024-01-05T00:00:00Z","value_stream":"ops"}`)); status != 200 || !strings.Contains(string(body), `"items_written":1`) {
		t.Fatalf("token webhook: %d %s", status, body)
	}

	t.Run("lead time median per day as a time series", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "A", `{"queryType":"flow","metric":"lead_time","bucket":"1d"}`, rangeFrom, rangeTo, 0))
		if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("frames %v", frames)
		}
		v := frames[0].Fields[1]
		if v.Config.Unit != "s" || v.Config.DisplayNameFromDS != "Lead time (median)" {
			t.Fatalf("field config %+v", v.Config)
		}
		checkValues(t, v, []*float64{fp(12 * 3600), fp(24 * 3600), fp(9 * 3600)})
	})

	t.Run("WIP per stage in the stream's order", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "B", `{"queryType":"flow","metric":"wip","bucket":"1d","filters":{"value_stream":["delivery"]}}`, rangeFrom, rangeTo, 0))
		var order []string
		for _, f := range frames {
			order = append(order, f.Fields[1].Labels["stage"])
		}
		if strings.Join(order, ",") != "Backlog,Dev,Review queue,Review" {
			t.Fatalf("stages %v", order)
		}
		checkValues(t, frames[1].Fields[1], []*float64{fp(0), fp(1), fp(1)})
		checkValues(t, frames[3].Fields[1], []*float64{fp(1), fp(0), fp(0)})
	})

	t.Run("value stream map frames for the panel", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "C", `{"queryType":"flow","metric":"value_stream","filters":{"value_stream":["delivery"]}}`, rangeFrom, rangeTo, 0))
		if len(frames) != 2 || frames[0].Name != "stages" || frames[1].Name != "totals" {
			t.Fatalf("frames %v", frames)
		}
		stages := frames[0]
		if f, _ := stages.FieldByName("stage"); f.Len() != 4 || f.At(1) != "Dev" {
			t.Fatalf("stages field %v", f)
		}
		f, _ := stages.FieldByName("process_median")
		checkValues(t, f, []*float64{fp(0), fp(7.5 * 3600), fp(0), fp(6.5 * 3600)})
		f, _ = stages.FieldByName("wip_limit")
		checkValues(t, f, []*float64{nil, fp(2), nil, fp(1)})
		f, _ = frames[1].FieldByName("flow_efficiency")
		checkValues(t, f, []*float64{fp(28.0 / 36)})
	})

	t.Run("bad flow query fails alone", func(t *testing.T) {
		r := p.queryData(t, "D", `{"queryType":"flow","metric":"wip_vs_limit","groupBy":["team"]}`, rangeFrom, rangeTo, 0)
		if r.Status != 400 || !strings.Contains(r.Error, "cannot be grouped") {
			t.Fatalf("error %q status %d", r.Error, r.Status)
		}
	})

	t.Run("stream list for the editor", func(t *testing.T) {
		status, body := p.callResource(t, "Viewer", "GET", "flow/streams", "", nil, nil)
		if status != 200 || !strings.Contains(string(body), `"name":"delivery"`) || !strings.Contains(string(body), `"name":"ops"`) {
			t.Fatalf("streams: %d %s", status, body)
		}
	})
}
