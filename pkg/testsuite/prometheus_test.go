package testsuite

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/kaizenops/suite/pkg/prometheus/promtest"
)

// TestMain stops the Prometheus a test of this package started, if any.
func TestMain(m *testing.M) { os.Exit(promtest.Main(m)) }

// TestContractPrometheus: the executable, configured with a real Prometheus holding
// pkg/prometheus/testdata/series.om, answers the health check, a PromQL query and a
// control chart over PromQL through gRPC, and words a bad expression and an
// unreachable server as that query's error without leaking the password.
func TestContractPrometheus(t *testing.T) {
	url := promtest.URL(t)
	p := startPlugin(t, map[string]any{"prometheusUrl": url, "prometheusTimeout": 10}, nil)
	t0 := promtest.T0
	to := t0.Add(29 * time.Minute)

	h, err := p.health.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: p.pluginContext("Admin")})
	if err != nil || h.Status != pluginv2.CheckHealthResponse_OK || !strings.HasSuffix(h.Message, "; Prometheus at "+url+" answers queries") {
		t.Fatalf("health: %v %v %q", err, h.GetStatus(), h.GetMessage())
	}

	t.Run("prometheus query: the file's samples, labelled and named by the legend", func(t *testing.T) {
		r := p.queryData(t, "A", `{"queryType":"prometheus","prometheus":{"expr":"kaizen_request_latency_seconds{service=\"checkout\"}","legendFormat":"{{service}}"}}`, t0, to, time.Minute)
		frames := decodeFrames(t, r)
		if len(frames) != 1 || frames[0].RefID != "A" {
			t.Fatalf("%d frames", len(frames))
		}
		var want []*float64
		for _, s := range promtest.Series(t, "kaizen_request_latency_seconds", `env="prod",service="checkout"`) {
			want = append(want, fp(s.Value))
		}
		vf := frames[0].Fields[1]
		checkValues(t, vf, want)
		if vf.Labels["service"] != "checkout" || vf.Config.DisplayNameFromDS != "checkout" || !frames[0].Fields[0].At(29).(time.Time).Equal(to) {
			t.Fatalf("labels %v, display %q", vf.Labels, vf.Config.DisplayNameFromDS)
		}
	})

	t.Run("spc over PromQL: violations per series for an alert rule", func(t *testing.T) {
		r := p.queryData(t, "B", `{"queryType":"spc","metric":"violations","spc":{"chart":"xmr","rules":["nelson-1","nelson-2"],"baseline":{"points":20},
			"source":{"queryType":"prometheus","prometheus":{"expr":"kaizen_request_latency_seconds"}}}}`, t0, to, time.Minute)
		got := map[string]float64{}
		for _, f := range decodeFrames(t, r) {
			v, _ := f.Fields[0].ConcreteAt(0)
			got[f.Fields[0].Labels["service"]] = v.(float64)
		}
		// checkout: nelson-1 at minutes 22 and 25, nelson-2 at 27, 28, 29 (pkg/metrics/promql's hand-worked chart)
		if len(got) != 2 || got["checkout"] != 5 || got["search"] != 0 {
			t.Fatalf("violations %v", got)
		}
	})

	t.Run("bad PromQL is that query's error", func(t *testing.T) {
		r := p.queryData(t, "C", `{"queryType":"prometheus","prometheus":{"expr":"rate(kaizen_error_ratio[5m]"}}`, t0, to, time.Minute)
		if r.Status != 400 || !strings.HasPrefix(r.Error, "prometheus query: Prometheus refused the query (bad_data): ") {
			t.Fatalf("status %d error %q", r.Status, r.Error)
		}
	})

	t.Run("unreachable Prometheus: health and query say so, without the password", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "http://" + l.Addr().String()
		l.Close()
		q := startPlugin(t, map[string]any{"prometheusUrl": dead, "prometheusUser": "grafana"}, map[string]string{"prometheusPassword": "pa55-secret"})
		h, err := q.health.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: q.pluginContext("Admin")})
		if err != nil || h.Status != pluginv2.CheckHealthResponse_ERROR || !strings.HasPrefix(h.Message, "Prometheus at "+dead+" is unreachable: ") || strings.Contains(h.Message, "pa55") {
			t.Fatalf("health: %v %v %q", err, h.GetStatus(), h.GetMessage())
		}
		r := q.queryData(t, "D", `{"queryType":"prometheus","prometheus":{"expr":"up"}}`, t0, to, time.Minute)
		if r.Status != 400 || !strings.Contains(r.Error, "is unreachable") || strings.Contains(r.Error, "pa55") {
			t.Fatalf("status %d error %q", r.Status, r.Error)
		}
	})
}
