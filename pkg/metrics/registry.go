// Package metrics registers every metric family's query type in one place.
// Adding a family means one folder under pkg/metrics and one line here.
package metrics

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/metrics/adoption"
	"github.com/kaizenops/suite/pkg/metrics/alertquality"
	"github.com/kaizenops/suite/pkg/metrics/annotations"
	"github.com/kaizenops/suite/pkg/metrics/backtest"
	"github.com/kaizenops/suite/pkg/metrics/delivery"
	"github.com/kaizenops/suite/pkg/metrics/flow"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
	"github.com/kaizenops/suite/pkg/metrics/kpi"
	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/metrics/postmortems"
	"github.com/kaizenops/suite/pkg/metrics/promql"
	"github.com/kaizenops/suite/pkg/metrics/slo"
	"github.com/kaizenops/suite/pkg/metrics/spc"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Engine returns a query engine with every query type registered.
func Engine() *query.Engine {
	e := query.NewEngine()
	e.RegisterSeries(models.QueryTypeIncidents, incidents.Compute)
	delivery.Register(e)
	adoption.Register(e)
	e.Register(models.QueryTypeAnnotations, annotations.Query)
	kpi.Register(e)
	flow.Register(e)
	model.Register(e)
	slo.Register(e)
	e.Register(models.QueryTypeSPC, spc.Handler(e.Series))
	postmortems.Register(e)
	alertquality.Register(e)
	e.Register(models.QueryTypeBacktest, backtest.Handler(e.Series))
	kaizen.Register(e, Catalog)
	promql.Register(e)
	return e
}

// Catalog lists every built-in metric's definition.
func Catalog() []catalog.Entry {
	var out []catalog.Entry
	out = append(out, incidents.Catalog()...)
	out = append(out, delivery.Catalog()...)
	out = append(out, adoption.Catalog()...)
	out = append(out, kpi.Catalog()...)
	out = append(out, flow.Catalog()...)
	out = append(out, model.Catalog()...)
	out = append(out, slo.Catalog()...)
	out = append(out, spc.Catalog()...)
	out = append(out, postmortems.Catalog()...)
	out = append(out, alertquality.Catalog()...)
	out = append(out, backtest.Catalog()...)
	out = append(out, kaizen.Catalog()...)
	out = append(out, promql.Catalog()...)
	return out
}
