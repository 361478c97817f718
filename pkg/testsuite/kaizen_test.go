package testsuite

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/store/storetest"
)

// TestKaizenContract drives kaizen events through the real executable, on the
// embedded store and (when a test PostgreSQL is set) on PostgreSQL: an event created
// over the resource API (a Viewer refused), then its impact, sustainability and
// phases decoded from Arrow.
//
// Checkout MTTR, one incident a day at 03:00: 3000, 3600, 4200 s in turn for the 30
// days before the deployment (40 days ago, at midnight), 1500, 1800, 2100 s for the
// 40 days since. Hand-worked: medians 3600 and 1800, change −1800 s (−50 %); every
// after value is below every baseline value, so U = 0 and, with the ties, p =
// 1.5955549102063504e-11 (scipy.stats.mannwhitneyu, asymptotic): improved. The
// 30-day review's window is the 30 days after the deployment: sustained.
func TestKaizenContract(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		kaizenContract(t, startPlugin(t, nil, nil))
	})
	if os.Getenv(storetest.PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) {
			jsonData, secure := postgresSettings(storetest.PostgresConfig(t))
			kaizenContract(t, startPlugin(t, jsonData, secure))
		})
	}
}

func kaizenContract(t *testing.T, p *pluginProcess) {
	deployed := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -40)
	var lines []string
	for day := -30; day < 40; day++ {
		start := deployed.AddDate(0, 0, day).Add(3 * time.Hour)
		mttr := []int{3000, 3600, 4200}[(day+30)%3]
		if day >= 0 {
			mttr /= 2
		}
		lines = append(lines, fmt.Sprintf(`{"id":"k%d","service":"checkout","started_at":"%s","resolved_at":"%s"}`,
			day+30, start.Format(time.RFC3339), start.Add(time.Duration(mttr)*time.Second).Format(time.RFC3339)))
	}
	if status, body := p.callResource(t, "Editor", "POST", "ingest/incidents", "format=ndjson", nil, []byte(strings.Join(lines, "\n"))); status != 200 || !strings.Contains(string(body), `"stored":70`) {
		t.Fatalf("ingest: %d %s", status, body)
	}
	event := fmt.Sprintf(`{"id":"kz-runbook","name":"Checkout runbook","owner":"sre","hypothesis":"A runbook halves restore time",
		"target":{"queryType":"incidents","metric":"mttr","stat":"median","bucket":"1d","filters":{"service":["checkout"]}},
		"expected_change_pct":40,"proposed_at":"%s","deployed_at":"%s","review_days":[30,90]}`,
		deployed.AddDate(0, 0, -14).Format(time.RFC3339), deployed.Format(time.RFC3339))
	if status, body := p.callResource(t, "Viewer", "POST", "kaizen/events", "", nil, []byte(event)); status != 403 {
		t.Fatalf("viewer create: %d %s", status, body)
	}
	status, body := p.callResource(t, "Editor", "POST", "kaizen/events", "", nil, []byte(event))
	if status != 201 || !strings.Contains(string(body), `"better":"lower"`) {
		t.Fatalf("create: %d %s", status, body)
	}
	status, body = p.callResource(t, "Editor", "POST", "kaizen/events", "", nil, []byte(`{"id":"x","name":"X","target":{"queryType":"incidents","metric":"mttr","bucket":"none"}}`))
	if status != 400 || !strings.Contains(string(body), `"field":"target"`) {
		t.Fatalf("bucket none: %d %s", status, body)
	}
	from, to := deployed.AddDate(0, 0, -31), time.Now().UTC()

	t.Run("impact table: medians, change, U, p, verdict", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"kaizen","metric":"impact","format":"table"}`, from, to, time.Hour)
		f := decodeFrames(t, r)[0]
		if f.RefID != "A" || f.Rows() != 1 {
			t.Fatalf("refId %q, %d rows", f.RefID, f.Rows())
		}
		num := func(name string) float64 {
			field, _ := f.FieldByName(name)
			v, ok := field.ConcreteAt(0)
			if !ok {
				t.Fatalf("%s is null", name)
			}
			return v.(float64)
		}
		if num("before_median") != 3600 || num("after_median") != 1800 || num("change") != -1800 || num("relative_change") != -0.5 || num("u") != 0 {
			t.Fatalf("medians %v %v change %v (%v) U %v", num("before_median"), num("after_median"), num("change"), num("relative_change"), num("u"))
		}
		if pv := num("p_value"); math.Abs(pv-1.5955549102063504e-11) > 1e-9*1.5955549102063504e-11 {
			t.Fatalf("p %v", pv)
		}
		verdict, _ := f.FieldByName("verdict")
		met, _ := f.FieldByName("hypothesis_met")
		if verdict.At(0) != "improved" || num("verdict_code") != 1 || *met.At(0).(*bool) != true {
			t.Fatalf("verdict %v code %v met %v", verdict.At(0), num("verdict_code"), met.At(0))
		}
		if unit := f.Fields[fieldIndex(f, "change")].Config.Unit; unit != "s" {
			t.Fatalf("change unit %q", unit)
		}
	})

	t.Run("alert numbers: verdict code and lost, labelled by event", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"kaizen","metric":"impact"}`, from, to, time.Hour)
		frames := decodeFrames(t, r)
		v := frames[0].Fields[0]
		if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeNumericMulti || v.Labels["event"] != "kz-runbook" || *v.At(0).(*float64) != 1 {
			t.Fatalf("%d frames, %s %v %v", len(frames), v.Name, v.Labels, v.At(0))
		}
		r = p.queryData(t, "C", `{"queryType":"kaizen","metric":"sustainability"}`, from, to, time.Hour)
		lost := decodeFrames(t, r)[0].Fields[0]
		if lost.Name != "lost" || lost.Labels["owner"] != "sre" || *lost.At(0).(*float64) != 0 {
			t.Fatalf("lost %s %v %v", lost.Name, lost.Labels, lost.At(0))
		}
	})

	t.Run("sustainability board row", func(t *testing.T) {
		r := p.queryData(t, "D", `{"queryType":"kaizen","metric":"sustainability","format":"table"}`, from, to, time.Hour)
		f := decodeFrames(t, r)[0]
		state, _ := f.FieldByName("state")
		reviews, _ := f.FieldByName("reviews")
		if state.At(0) != "sustained" || reviews.At(0) != "30d sustained · 90d pending" {
			t.Fatalf("state %v reviews %v", state.At(0), reviews.At(0))
		}
	})

	t.Run("phases frame for the control chart", func(t *testing.T) {
		r := p.queryData(t, "E", `{"queryType":"kaizen","metric":"phases"}`, from, to, time.Hour)
		f := decodeFrames(t, r)[0]
		phase, _ := f.FieldByName("phase")
		text, _ := f.FieldByName("verdict_text")
		if f.Name != "kaizen_phases" || f.Rows() != 1 || phase.At(0) != "Checkout runbook" || !strings.HasPrefix(text.At(0).(string), "Improved: median 1h → 30m (-50%)") {
			t.Fatalf("%s %d rows: %v %q", f.Name, f.Rows(), phase.At(0), text.At(0))
		}
	})

	t.Run("board over the resource API", func(t *testing.T) {
		status, body := p.callResource(t, "Viewer", "GET", "kaizen/board", "", nil, nil)
		var rows []struct {
			Verdict string `json:"verdict"`
			State   string `json:"state"`
		}
		if err := json.Unmarshal(body, &rows); err != nil || status != 200 || len(rows) != 1 || rows[0].Verdict != "improved" || rows[0].State != "sustained" {
			t.Fatalf("board: %d %s", status, body)
		}
	})

	t.Run("a bad kaizen query fails alone", func(t *testing.T) {
		r := p.queryData(t, "F", `{"queryType":"kaizen","metric":"impact","kaizen":{"events":["ghost"]}}`, from, to, 0)
		if r.Status != 400 || !strings.Contains(r.Error, `kaizen event "ghost" does not exist`) {
			t.Fatalf("error %q status %d", r.Error, r.Status)
		}
	})
}

func fieldIndex(f *data.Frame, name string) int {
	_, i := f.FieldByName(name)
	return i
}
