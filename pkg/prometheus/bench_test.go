package prometheus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"
)

// BenchmarkDecodeMatrix: decoding a range query's body of 100 series × 11,000 points
// (the most Prometheus returns per series), against the baseline of encoding/json
// decoding the same body into the API's generic shape and parsing each value, measured
// in the same run.
//
//	go test ./pkg/prometheus -run '^$' -bench DecodeMatrix -benchtime 5x
func BenchmarkDecodeMatrix(b *testing.B) {
	const series, points = 100, 11000
	var buf bytes.Buffer
	buf.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for s := 0; s < series; s++ {
		if s > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"metric":{"__name__":"http_request_duration_seconds","service":"svc-%03d","env":"prod"},"values":[`, s)
		for p := 0; p < points; p++ {
			if p > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `[%d.%03d,"%g"]`, 1709251200+p*15, p%1000, 0.1+float64((s*p)%977)/1000)
		}
		buf.WriteString(`]}`)
	}
	buf.WriteString(`]}}`)
	body := buf.Bytes()
	n := float64(series * points)

	var ours, base time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r, err := decodeResponse(body, 200, "bench")
		ours += time.Since(start)
		if err != nil || len(r.Series) != series || len(r.Series[0].Points) != points {
			b.Fatalf("%v", err)
		}

		start = time.Now()
		var generic struct {
			Data struct {
				Result []struct {
					Metric map[string]string `json:"metric"`
					Values [][2]any          `json:"values"`
				} `json:"result"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &generic); err != nil {
			b.Fatal(err)
		}
		sum := 0.0
		for _, s := range generic.Data.Result {
			for _, v := range s.Values {
				x, _ := strconv.ParseFloat(v[1].(string), 64)
				sum += x + v[0].(float64)
			}
		}
		base += time.Since(start)
		if sum == 0 {
			b.Fatal("nothing decoded")
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) / n }
	b.ReportMetric(per(ours), "ns/point")
	b.ReportMetric(per(base), "encoding-json-ns/point")
	b.ReportMetric(float64(len(body))/1e6/(ours.Seconds()/float64(b.N)), "MB/s")
	b.ReportMetric(ours.Seconds()/base.Seconds(), "x-vs-encoding-json")
}
