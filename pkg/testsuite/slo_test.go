package testsuite

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestSLOContract drives SLOs through the real executable: a definition created
// over the resource API (a Viewer refused), a day of SLI samples ingested (one bad
// record rejected alone), then burn rates and the SLA breach panel's status frames
// decoded from Arrow and checked against hand-worked values.
//
// SLO "api": 99% over a rolling day. 23 hourly samples of 60,000 good events, then
// 60 one-minute samples of 1,000 events with 20 bad each (01-01 23:00-23:59):
//
//	bad = 1,200 of 1,440,000: compliance 1 − 1,200/1,440,000; budget 14,400; consumed 1/12
//	burn 1h = (1,200 / 60,000) / 0.01 = 2; burn 6h = (1,200 / 360,000) / 0.01 = 1/3
func TestSLOContract(t *testing.T) {
	p := startPlugin(t, nil, nil)
	def := `{"id":"api","name":"API availability","service":"api","objective":99,"window":"1d"}`
	if status, body := p.callResource(t, "Viewer", "POST", "slos", "", nil, []byte(def)); status != 403 {
		t.Fatalf("viewer create: %d %s", status, body)
	}
	if status, body := p.callResource(t, "Editor", "POST", "slos", "", nil, []byte(def)); status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var b strings.Builder
	day := rangeFrom
	for h := 0; h < 23; h++ {
		fmt.Fprintf(&b, `{"slo":"api","at":%q,"duration":"1h","good":60000,"total":60000}`+"\n", day.Add(time.Duration(h)*time.Hour).Format(time.RFC3339))
	}
	for m := 0; m < 60; m++ {
		fmt.Fprintf(&b, `{"slo":"api","at":%q,"duration":"1m","good":980,"total":1000}`+"\n", day.Add(23*time.Hour+time.Duration(m)*time.Minute).Format(time.RFC3339))
	}
	b.WriteString(`{"slo":"api","at":"2024-01-01T12:00:30Z","duration":"1m","good":11,"total":10}` + "\n")
	status, body := p.callResource(t, "Editor", "POST", "ingest/sli", "format=ndjson", nil, []byte(b.String()))
	if status != 200 || !strings.Contains(string(body), `"stored":83`) || !strings.Contains(string(body), `"field":"good"`) {
		t.Fatalf("ingest: %d %s", status, body)
	}
	end := rangeFrom.Add(24 * time.Hour)

	t.Run("burn rates per window, labelled for alert rules", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"slo","metric":"burn_rate","bucket":"none","slo":{"windows":["1h","6h"]}}`, rangeFrom, end, 0)
		frames := decodeFrames(t, r)
		if len(frames) != 2 {
			t.Fatalf("%d frames, want one per window", len(frames))
		}
		want := map[string]float64{"1h": 2, "6h": 1.0 / 3}
		for _, f := range frames {
			v := f.Fields[0]
			l := v.Labels
			if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericMulti || l["slo"] != "api" || l["service"] != "api" || v.Config.Unit != "suffix:×" {
				t.Fatalf("frame meta %+v labels %v config %+v", f.Meta, l, v.Config)
			}
			checkValues(t, v, []*float64{fp(want[l["window"]])})
		}
	})

	t.Run("status frames for the SLA breach panel", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"slo","metric":"status"}`, rangeFrom, end, time.Minute)
		frames := decodeFrames(t, r)
		names := map[string]*data.Frame{}
		for _, f := range frames {
			names[f.Name] = f
		}
		for _, n := range []string{"slo_status", "slo_burn_rates", "slo_burndown", "slo_breaches", "slo_penalties"} {
			if names[n] == nil {
				t.Fatalf("no %s frame among %d", n, len(frames))
			}
		}
		st := names["slo_status"]
		field := func(name string) *data.Field {
			f, _ := st.FieldByName(name)
			if f == nil {
				t.Fatalf("slo_status has no %s field", name)
			}
			return f
		}
		checkValues(t, field("compliance"), []*float64{fp(1 - 1200.0/1_440_000)})
		checkValues(t, field("budget_remaining"), []*float64{fp(1 - 1.0/12)})
		checkValues(t, field("burn_rate"), []*float64{fp(2)})
		if a := field("alert").At(0); a != "ok" {
			t.Errorf("alert %v, want ok (burn 2 is under 14.4 and 6)", a)
		}
		if names["slo_breaches"].Rows() != 0 {
			t.Errorf("%d breaches, want none", names["slo_breaches"].Rows())
		}
	})

	t.Run("bad windows are an error for that query only", func(t *testing.T) {
		r := p.queryData(t, "C", `{"queryType":"slo","metric":"burn_rate","slo":{"windows":["1 hour"]}}`, rangeFrom, end, 0)
		if r.Error == "" || !strings.Contains(r.Error, "slo.windows") || r.Status != 400 {
			t.Fatalf("error %q status %d", r.Error, r.Status)
		}
	})
}
