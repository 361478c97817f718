package testsuite

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestKPIContract drives the KPI catalog and queries through the real executable: a
// definition created and versioned over the resource API (a Viewer refused), samples
// ingested, then attainment, threshold state and the stale audit decoded from Arrow,
// checked against the hand-worked set in pkg/metrics/kpi/testdata.
func TestKPIContract(t *testing.T) {
	p := startPlugin(t, nil, nil)

	defs := []string{
		`{"id":"availability","name":"Availability","unit":"percent","direction":"higher","target":99.9,"warning":99.5,"critical":99.0,"owner":"sre"}`,
		`{"id":"p95_latency","name":"Checkout p95 latency","unit":"ms","direction":"lower","target":200,"warning":300,"critical":400,"owner":"web"}`,
	}
	if status, body := p.callResource(t, "Viewer", "POST", "kpis", "", nil, []byte(defs[0])); status != 403 {
		t.Fatalf("viewer create: %d %s", status, body)
	}
	for _, d := range defs {
		if status, body := p.callResource(t, "Editor", "POST", "kpis", "", nil, []byte(d)); status != 201 {
			t.Fatalf("create: %d %s", status, body)
		}
	}
	// Version 2 of availability, in force from Jan 2 12:00: target 99.5, warning 99.0, critical 98.0.
	v2 := `{"name":"Availability","unit":"percent","direction":"higher","target":99.5,"warning":99.0,"critical":98.0,"owner":"sre","effective_from":"2024-01-02T12:00:00Z","base_version":1}`
	status, body := p.callResource(t, "Editor", "PUT", "kpis/availability", "", nil, []byte(v2))
	if status != 200 || !strings.Contains(string(body), `"version":2`) {
		t.Fatalf("update: %d %s", status, body)
	}
	status, body = p.callResource(t, "Editor", "POST", "kpis", "", nil, []byte(`{"id":"x","name":"X","direction":"higher","target":90,"warning":95}`))
	if status != 400 || !strings.Contains(string(body), `"field":"warning"`) {
		t.Fatalf("thresholds on the wrong side: %d %s", status, body)
	}

	samples, err := os.ReadFile("../metrics/kpi/testdata/samples.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	status, body = p.callResource(t, "Editor", "POST", "ingest/kpi-samples", "format=ndjson", nil, samples)
	if status != 200 || !strings.Contains(string(body), `"stored":12`) {
		t.Fatalf("samples: %d %s", status, body)
	}

	t.Run("attainment per day, judged by the version in force", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"kpi","metric":"attainment","bucket":"1d","kpi":{"kpis":["availability"]}}`, rangeFrom, rangeTo, time.Hour)
		frames := decodeFrames(t, r)
		if len(frames) != 1 || frames[0].Fields[1].Labels["kpi"] != "availability" || frames[0].Fields[1].Config.Unit != "percentunit" {
			t.Fatalf("frames %d, labels %v", len(frames), frames[0].Fields[1].Labels)
		}
		// Jan 1 99.725 / 99.9 (v1); Jan 2 99.1 / 99.5 (v2 from 12:00, latest sample 18:00); Jan 3 no samples.
		checkValues(t, frames[0].Fields[1], []*float64{fp(99.725 / 99.9), fp(99.1 / 99.5), nil})
	})

	t.Run("threshold state per KPI for alert rules, and as text in a table", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"kpi","metric":"state","bucket":"1d","kpi":{"kpis":["p95_latency"]}}`, rangeFrom, rangeTo, time.Hour)
		frames := decodeFrames(t, r)
		v := frames[0].Fields[1]
		if frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti || len(v.Config.Mappings) != 1 {
			t.Fatalf("meta %+v mappings %+v", frames[0].Meta, v.Config.Mappings)
		}
		// 150 ok; 300 exactly at warning; mean of 450 and 350 = 400 exactly at critical.
		checkValues(t, v, []*float64{fp(0), fp(1), fp(2)})

		r = p.queryData(t, "C", `{"queryType":"kpi","metric":"state","bucket":"none","format":"table"}`, rangeFrom, rangeTo, 0)
		f := decodeFrames(t, r)[0]
		if got := fieldNames(f); strings.Join(got, ",") != "kpi,state,state_text" {
			t.Fatalf("table fields %v", got)
		}
		// Over the range: availability mean 99.4125 under v2 is ok; p95 mean 312.5 ≥ warning 300.
		text := f.Fields[2]
		if f.Fields[0].At(0) != "availability" || *text.At(0).(*string) != "ok" || *text.At(1).(*string) != "warning" {
			t.Fatalf("rows %v %v / %v %v", f.Fields[0].At(0), *text.At(0).(*string), f.Fields[0].At(1), *text.At(1).(*string))
		}
	})

	t.Run("stale audit table", func(t *testing.T) {
		r := p.queryData(t, "D", `{"queryType":"kpi","metric":"stale","kpi":{"staleDays":1}}`, rangeFrom, rangeTo, 0)
		f := decodeFrames(t, r)[0]
		if f.Rows() != 2 || f.Fields[0].At(0) != "availability" {
			t.Fatalf("rows %d, first %v", f.Rows(), f.Fields[0].At(0))
		}
		stale, _ := f.FieldByName("stale")
		// As of Jan 4: availability silent since Jan 2 18:00 (1.25 days), p95 since Jan 3 13:00.
		if stale.At(0) != true || stale.At(1) != false {
			t.Fatalf("stale %v %v", stale.At(0), stale.At(1))
		}
	})

	t.Run("catalog lists the KPI metrics; the KPI picker lists the definitions", func(t *testing.T) {
		status, body := p.callResource(t, "Viewer", "GET", "catalog", "", nil, nil)
		var entries []struct{ QueryType, Metric string }
		if err := json.Unmarshal(body, &entries); err != nil || status != 200 {
			t.Fatalf("catalog: %d %v", status, err)
		}
		n := 0
		for _, e := range entries {
			if e.QueryType == "kpi" {
				n++
			}
		}
		if n != 6 {
			t.Fatalf("%d kpi catalog entries, want 6", n)
		}
		status, body = p.callResource(t, "Viewer", "GET", "values/kpi", "", nil, nil)
		if status != 200 || strings.TrimSpace(string(body)) != `["availability","p95_latency"]` {
			t.Fatalf("values/kpi: %d %s", status, body)
		}
	})

	t.Run("a bad KPI query fails alone", func(t *testing.T) {
		r := p.queryData(t, "E", `{"queryType":"kpi","metric":"attainment","kpi":{"kpis":["ghost"]}}`, rangeFrom, rangeTo, 0)
		if r.Status != 400 || !strings.Contains(r.Error, `KPI "ghost" is not defined`) {
			t.Fatalf("error %q status %d", r.Error, r.Status)
		}
	})
}
