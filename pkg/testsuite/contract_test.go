package testsuite

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

var (
	rangeFrom = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rangeTo   = time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)
)

// TestContract drives the real executable over gRPC: health on an empty store,
// ingestion through the resource API (with Grafana's role checks), then queries
// whose Arrow frames are decoded and checked value by value against the
// hand-worked incident set in pkg/metrics/incidents/testdata.
func TestContract(t *testing.T) {
	p := startPlugin(t, nil, map[string]string{"ingestToken": "contract-token"})

	health, err := p.health.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: p.pluginContext("Admin")})
	if err != nil {
		t.Fatal(err)
	}
	if health.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(health.Message, "schema version") || !strings.Contains(health.Message, "0 incidents") {
		t.Fatalf("health on an empty store: %v %q", health.Status, health.Message)
	}

	payload, err := os.ReadFile("../metrics/incidents/testdata/hand.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := p.callResource(t, "Viewer", "POST", "ingest/incidents", "format=ndjson", nil, payload); status != 403 {
		t.Fatalf("viewer ingest: %d %s", status, body)
	}
	status, body := p.callResource(t, "Editor", "POST", "ingest/incidents", "format=ndjson", nil, payload)
	if status != 200 || !strings.Contains(string(body), `"stored":5`) {
		t.Fatalf("editor ingest: %d %s", status, body)
	}
	status, body = p.callResource(t, "", "POST", "webhooks/alertmanager", "", map[string]string{"X-Kaizen-Ingest-Token": "contract-token"},
		[]byte(`{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Down","service":"db"},"startsAt":"2024-01-05T00:00:00Z","fingerprint":"f1"}]}`))
	if status != 200 || !strings.Contains(string(body), `"stored":1`) {
		t.Fatalf("token webhook: %d %s", status, body)
	}

	health, err = p.health.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: p.pluginContext("Admin")})
	if err != nil || health.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(health.Message, "6 incidents") {
		t.Fatalf("health after ingest: %v %v %q", err, health.GetStatus(), health.GetMessage())
	}
	var details struct {
		SchemaVersion int              `json:"schemaVersion"`
		Counts        map[string]int64 `json:"counts"`
	}
	if err := json.Unmarshal(health.JsonDetails, &details); err != nil || details.SchemaVersion < 1 || details.Counts["incidents"] != 6 {
		t.Fatalf("health details %s (%v)", health.JsonDetails, err)
	}

	t.Run("MTTR mean per day as a time series", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d"}`, rangeFrom, rangeTo, time.Hour)
		frames := decodeFrames(t, r)
		if len(frames) != 1 {
			t.Fatalf("%d frames", len(frames))
		}
		f := frames[0]
		if f.RefID != "A" || f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("frame refId %q meta %+v", f.RefID, f.Meta)
		}
		if f.Fields[0].Name != "time" || f.Fields[0].Type() != data.FieldTypeTime {
			t.Fatalf("first field %s %s", f.Fields[0].Name, f.Fields[0].Type())
		}
		for i, want := range []time.Time{rangeFrom, rangeFrom.Add(24 * time.Hour), rangeFrom.Add(48 * time.Hour)} {
			if got := f.Fields[0].At(i).(time.Time); !got.Equal(want) {
				t.Errorf("bucket %d at %s, want %s", i, got, want)
			}
		}
		v := f.Fields[1]
		if v.Name != "mttr" || v.Config == nil || v.Config.Unit != "s" || v.Config.DisplayNameFromDS != "MTTR (mean)" {
			t.Fatalf("value field %s config %+v", v.Name, v.Config)
		}
		checkValues(t, v, []*float64{fp(5400), nil, fp(1860)})
	})

	t.Run("count by service as a table", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"incidents","metric":"count","bucket":"none","groupBy":["service"],"format":"table"}`, rangeFrom, rangeTo, 0)
		frames := decodeFrames(t, r)
		f := frames[0]
		if len(f.Fields) != 2 || f.Fields[0].Name != "service" || f.Fields[1].Name != "count" {
			t.Fatalf("table fields %v", fieldNames(f))
		}
		if f.Fields[0].At(0) != "api" || f.Fields[0].At(1) != "web" {
			t.Fatalf("services %v %v", f.Fields[0].At(0), f.Fields[0].At(1))
		}
		checkValues(t, f.Fields[1], []*float64{fp(2), fp(2)})
	})

	t.Run("p90 MTTR per service as labelled numbers for alert rules", func(t *testing.T) {
		r := p.queryData(t, "C", `{"queryType":"incidents","metric":"mttr","stat":"p90","bucket":"none","groupBy":["service"]}`, rangeFrom, rangeTo, 0)
		frames := decodeFrames(t, r)
		if len(frames) != 2 {
			t.Fatalf("%d frames, want one per service", len(frames))
		}
		for i, svc := range []string{"api", "web"} {
			f := frames[i]
			if f.Meta.Type != data.FrameTypeNumericMulti || f.Fields[0].Labels["service"] != svc {
				t.Fatalf("frame %d: meta %v labels %v", i, f.Meta.Type, f.Fields[0].Labels)
			}
		}
		checkValues(t, frames[0].Fields[0], []*float64{fp(3600 + 0.9*3600)})
		checkValues(t, frames[1].Fields[0], []*float64{fp(1860)})
	})

	t.Run("bad query returns an error for that query only", func(t *testing.T) {
		r := p.queryData(t, "D", `{"queryType":"incidents","metric":"mtbf"}`, rangeFrom, rangeTo, 0)
		if r.Error == "" || !strings.Contains(r.Error, "mtbf") || r.Status != 400 {
			t.Fatalf("error %q status %d", r.Error, r.Status)
		}
	})

	t.Run("values resource for editor pickers", func(t *testing.T) {
		status, body := p.callResource(t, "Viewer", "GET", "values/service", "", nil, nil)
		if status != 200 || strings.TrimSpace(string(body)) != `["api","db","web"]` {
			t.Fatalf("values: %d %s", status, body)
		}
	})
}

func decodeFrames(t *testing.T, r *pluginv2.DataResponse) data.Frames {
	t.Helper()
	if r.Error != "" {
		t.Fatalf("query error: %s", r.Error)
	}
	frames, err := data.UnmarshalArrowFrames(r.Frames)
	if err != nil {
		t.Fatalf("decoding Arrow frames: %v", err)
	}
	return frames
}

func fp(v float64) *float64 { return &v }

func checkValues(t *testing.T, f *data.Field, want []*float64) {
	t.Helper()
	if f.Len() != len(want) {
		t.Fatalf("field %s has %d values, want %d", f.Name, f.Len(), len(want))
	}
	for i, w := range want {
		got, notNull := f.ConcreteAt(i)
		if w == nil {
			if notNull {
				t.Errorf("%s[%d] = %v, want null", f.Name, i, got)
			}
			continue
		}
		g, ok := got.(float64)
		if !ok || math.Abs(g-*w) > 1e-9*math.Max(1, *w) {
			t.Errorf("%s[%d] = %v, want %v", f.Name, i, got, *w)
		}
	}
}

func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fl.Name
	}
	return out
}
