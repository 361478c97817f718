package testsuite

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestSPCContract: control chart queries through the real executable over
// gRPC, on the daily incident set of pkg/metrics/spc/testdata (api MTTR per
// day 1800 2400 2100 2700 2400 2280 2520 2160 7200 s, day 4 empty; web has
// one incident). Hand-worked limits from the first 8 points: mean 2295, mean
// moving range 360, sigma 360/1.128, UCL 2295 + 3·sigma = 3252.45.
func TestSPCContract(t *testing.T) {
	p := startPlugin(t, nil, nil)
	payload, err := os.ReadFile("../metrics/spc/testdata/daily.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := p.callResource(t, "Editor", "POST", "ingest/incidents", "format=ndjson", nil, payload); status != 200 || !strings.Contains(string(body), `"stored":10`) {
		t.Fatalf("ingest: %d %s", status, body)
	}
	from := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 10)
	source := `"source":{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d","filters":{"service":["api"]}}`

	t.Run("chart frame: value, limits, zones, baseline and violations per point", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"spc","metric":"chart","spc":{"chart":"xmr","rules":["nelson"],"baseline":{"points":8},`+source+`}}`, from, to, time.Hour)
		frames := decodeFrames(t, r)
		if len(frames) != 1 {
			t.Fatalf("%d frames", len(frames))
		}
		f := frames[0]
		want := "time,value,cl,ucl,lcl,plus_1_sigma,minus_1_sigma,plus_2_sigma,minus_2_sigma,baseline,violations"
		if got := strings.Join(fieldNames(f), ","); got != want || f.RefID != "A" {
			t.Fatalf("fields %s (refId %q), want %s", got, f.RefID, want)
		}
		sigma := 360 / 1.128
		checkValues(t, f.Fields[1], []*float64{fp(1800), fp(2400), fp(2100), fp(2700), fp(2400), fp(2280), fp(2520), fp(2160), fp(7200)})
		for i, w := range []float64{2295, 2295 + 3*sigma, 2295 - 3*sigma, 2295 + sigma, 2295 - sigma, 2295 + 2*sigma, 2295 - 2*sigma} {
			fl := f.Fields[2+i]
			for row := 0; row < fl.Len(); row++ {
				if got := fl.At(row).(float64); math.Abs(got-w) > 1e-9*w {
					t.Fatalf("%s[%d] = %v, want %v", fl.Name, row, got, w)
				}
			}
		}
		if v := f.Fields[1]; v.Config == nil || v.Config.Unit != "s" || v.Config.DisplayNameFromDS != "MTTR (mean)" {
			t.Fatalf("value config %+v", v.Config)
		}
		base, viol := f.Fields[9], f.Fields[10]
		if base.At(7) != true || base.At(8) != false {
			t.Fatalf("baseline flags %v %v", base.At(7), base.At(8))
		}
		if viol.At(8) != "nelson-1" || viol.At(7) != "" {
			t.Fatalf("violations %q %q", viol.At(7), viol.At(8))
		}
		custom, _ := f.Meta.Custom.(map[string]any)
		spc, _ := custom["spc"].(map[string]any)
		if spc["chart"] != "xmr" || len(spc["rules"].([]any)) != 8 || spc["violations"].(map[string]any)["nelson-1"] != 1.0 {
			t.Fatalf("meta.custom %v", f.Meta.Custom)
		}
	})

	t.Run("violations per series as labelled numbers, with a notice for the series left out", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"spc","metric":"violations","spc":{"rules":["nelson","westernelectric"],"source":{"queryType":"incidents","metric":"mttr","stat":"mean","bucket":"1d","groupBy":["service"]}}}`, from, to, 0)
		frames := decodeFrames(t, r)
		if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeNumericMulti || frames[0].Fields[0].Labels["service"] != "api" {
			t.Fatalf("frames %d, meta %+v", len(frames), frames[0].Meta)
		}
		// all 9 points as baseline: the 8 days below the center fire we-4, day 10 nelson-1 and we-1
		checkValues(t, frames[0].Fields[0], []*float64{fp(3)})
		if n := frames[0].Meta.Notices; len(n) != 1 || !strings.Contains(n[0].Text, "MTTR (mean) · web: the xmr chart needs at least 2 points") {
			t.Fatalf("notices %+v", n)
		}
	})

	t.Run("too few points is that query's error", func(t *testing.T) {
		r := p.queryData(t, "C", `{"queryType":"spc","spc":{"source":{"queryType":"incidents","metric":"mttr","bucket":"1d","filters":{"service":["web"]}}}}`, from, to, 0)
		if r.Status != 400 || !strings.Contains(r.Error, "spc query: MTTR (mean): the xmr chart needs at least 2 points") {
			t.Fatalf("status %d error %q", r.Status, r.Error)
		}
	})
}
