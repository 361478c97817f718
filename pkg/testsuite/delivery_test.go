package testsuite

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestDeliveryAdoptionAnnotationsContract drives the delivery, adoption and
// annotations query types through the real executable over gRPC: ingestion through
// the resource API and the GitHub webhook, then frames checked against the
// hand-worked sets in pkg/metrics/delivery/testdata and pkg/metrics/adoption/testdata.
func TestDeliveryAdoptionAnnotationsContract(t *testing.T) {
	p := startPlugin(t, nil, map[string]string{"ingestToken": "contract-token"})

	for _, in := range []struct{ path, query, file, stored string }{
		{"ingest/deployments", "format=ndjson", "../metrics/delivery/testdata/deployments.ndjson", `"stored":13`},
		{"ingest/incidents", "format=ndjson", "../metrics/delivery/testdata/incidents.ndjson", `"stored":3`},
		{"ingest/usage", "format=ndjson", "../metrics/adoption/testdata/usage.ndjson", `"stored":10`},
		{"ingest/headcount", "format=csv", "../metrics/adoption/testdata/headcount.csv", `"stored":5`},
	} {
		payload, err := os.ReadFile(in.file)
		if err != nil {
			t.Fatal(err)
		}
		if status, body := p.callResource(t, "Viewer", "POST", in.path, in.query, nil, payload); status != 403 {
			t.Fatalf("viewer %s: %d %s", in.path, status, body)
		}
		if status, body := p.callResource(t, "Editor", "POST", in.path, in.query, nil, payload); status != 200 || !strings.Contains(string(body), in.stored) {
			t.Fatalf("editor %s: %d %s", in.path, status, body)
		}
	}
	// A GitHub deployment_status delivery with the ingest token, outside the hand-worked range.
	gh, err := os.ReadFile("../ingest/testdata/github_deployment_status_success.json")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := p.callResource(t, "Viewer", "POST", "webhooks/github", "", map[string]string{"X-GitHub-Event": "deployment_status"}, gh); status != 403 {
		t.Fatalf("viewer webhook: %d %s", status, body)
	}
	status, body := p.callResource(t, "", "POST", "webhooks/github", "", map[string]string{"X-GitHub-Event": "deployment_status", "X-Kaizen-Ingest-Token": "contract-token"}, gh)
	if status != 200 || !strings.Contains(string(body), `"stored":1`) {
		t.Fatalf("token webhook: %d %s", status, body)
	}

	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)

	t.Run("change failure rate per day: no deployments, no value", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "A", `{"queryType":"delivery","metric":"change_failure_rate","bucket":"1d"}`, from, to, time.Hour))
		if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("%d frames %+v", len(frames), frames[0].Meta)
		}
		v := frames[0].Fields[1]
		if v.Config.Unit != "percentunit" || v.Config.DisplayNameFromDS != "Change failure rate" {
			t.Fatalf("config %+v", v.Config)
		}
		checkValues(t, v, []*float64{fp(0.5), nil, fp(0.5), nil, nil, nil, fp(1)})
	})

	t.Run("lead time median per team with its band in a table", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "B", `{"queryType":"delivery","metric":"lead_time","bucket":"none","groupBy":["team"],"format":"table"}`, from, to, 0))
		f := frames[0]
		if strings.Join(fieldNames(f), ",") != "team,lead_time,band" {
			t.Fatalf("fields %v", fieldNames(f))
		}
		// core: D1 14400, D3 3600, D8 1800 -> 3600; edge: D4 43200, D7 3600 -> 23400.
		checkValues(t, f.Fields[1], []*float64{fp(3600), fp(23400)})
		if f.Fields[2].At(0).(*string) == nil || *f.Fields[2].At(0).(*string) != "Elite" {
			t.Fatalf("band %v", f.Fields[2].At(0))
		}
	})

	t.Run("recovery time band for a stat panel", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "C", `{"queryType":"delivery","metric":"recovery_time","bucket":"none","delivery":{"band":true}}`, from, to, 0))
		v := frames[0].Fields[0]
		if frames[0].Meta.Type != data.FrameTypeNumericMulti || len(v.Config.Mappings) != 1 {
			t.Fatalf("meta %+v config %+v", frames[0].Meta, v.Config)
		}
		checkValues(t, v, []*float64{fp(3)}) // median of 7200, 7200, 21600, 360000 = 14400: high
	})

	t.Run("MAU by team as labelled numbers", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "D", `{"queryType":"adoption","metric":"mau","bucket":"none","groupBy":["team"]}`, from, from.AddDate(0, 0, 14), 0))
		if len(frames) != 3 {
			t.Fatalf("%d frames", len(frames))
		}
		for i, want := range []struct {
			team  string
			users float64
		}{{"sales-ops", 1}, {"sre", 2}, {"web", 2}} {
			if frames[i].Fields[0].Labels["team"] != want.team {
				t.Fatalf("frame %d labels %v", i, frames[i].Fields[0].Labels)
			}
			checkValues(t, frames[i].Fields[0], []*float64{fp(want.users)})
		}
	})

	t.Run("retention cohorts as a table", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "E", `{"queryType":"adoption","metric":"retention"}`, from, from.AddDate(0, 0, 14), 0))
		f := frames[0]
		if strings.Join(fieldNames(f), ",") != "cohort,users,week_0,week_1" {
			t.Fatalf("fields %v", fieldNames(f))
		}
		checkValues(t, f.Fields[2], []*float64{fp(1), fp(1)})
		checkValues(t, f.Fields[3], []*float64{fp(2.0 / 3), nil})
	})

	t.Run("annotations of failed deployments and open incidents", func(t *testing.T) {
		frames := decodeFrames(t, p.queryData(t, "F", `{"queryType":"annotations","metric":"all","filters":{"status":["failed","open"]}}`, from, to, 0))
		f := frames[0]
		if strings.Join(fieldNames(f), ",") != "time,timeEnd,title,text,tags,id" {
			t.Fatalf("fields %v", fieldNames(f))
		}
		var ids []string
		for i := 0; i < f.Fields[5].Len(); i++ {
			ids = append(ids, f.Fields[5].At(i).(string))
		}
		if got := strings.Join(ids, " "); got != "deployment:api:D2 deployment:api:S1 incident:api:INC-A deployment:api:D11" {
			t.Fatalf("annotations %s", got)
		}
	})

	t.Run("values for the delivery editor", func(t *testing.T) {
		status, body := p.callResource(t, "Viewer", "GET", "values/delivery/environment", "", nil, nil)
		if status != 200 || strings.TrimSpace(string(body)) != `["production","staging"]` {
			t.Fatalf("values: %d %s", status, body)
		}
	})

	t.Run("a bad delivery query fails alone", func(t *testing.T) {
		r := p.queryData(t, "G", `{"queryType":"delivery","metric":"mttr"}`, from, to, 0)
		if r.Status != 400 || !strings.Contains(r.Error, "unknown delivery metric") {
			t.Fatalf("status %d error %q", r.Status, r.Error)
		}
	})
}
