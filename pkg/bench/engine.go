package bench

import (
	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/query"
)

// metricsEngine is the engine the data source runs queries with.
func metricsEngine() *query.Engine { return metrics.Engine() }
