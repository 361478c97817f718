package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/prometheus"
)

// prometheusClient is the instance's one Prometheus client (connections are reused
// across queries), or nil when no Prometheus URL is set. LoadSettings has already
// checked the same configuration, so New fails here only for hand-built settings.
func prometheusClient(s models.Settings) *prometheus.Client {
	if s.PrometheusURL == "" {
		return nil
	}
	c, err := prometheus.New(s.PrometheusConfig())
	if err != nil {
		backend.Logger.Warn("Prometheus settings", "error", err)
		return nil
	}
	return c
}

// prometheusHealth asks the configured Prometheus to evaluate 1+1, as Grafana's
// Prometheus data source does: it proves the URL, the credentials and the query
// API. It says nothing when no Prometheus is configured.
func (d *Datasource) prometheusHealth(ctx context.Context) (string, error) {
	if d.prometheus == nil {
		return "", nil
	}
	r, err := d.prometheus.Query(ctx, "1+1", time.Now())
	if err != nil {
		return "", err
	}
	if r.Type != prometheus.Scalar || len(r.Series) != 1 || len(r.Series[0].Points) != 1 || r.Series[0].Points[0].V != 2 {
		return "", fmt.Errorf("Prometheus at %s answered 1+1 with a %s result instead of the scalar 2: is it a Prometheus query API?", d.prometheus.URL(), r.Type)
	}
	return fmt.Sprintf("; Prometheus at %s answers queries", d.prometheus.URL()), nil
}
