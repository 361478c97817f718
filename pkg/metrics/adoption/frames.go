package adoption

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the adoption query type: series (for SPC and backtests) and frames,
// among them the retention cohort table.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeAdoption, Compute)
	e.Register(models.QueryTypeAdoption, Frames)
}

// Frames runs an adoption query and renders it for Grafana.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	if q.Metric == Retention {
		p, err := newPlan(env, q)
		if err != nil {
			return nil, err
		}
		f, err := p.retention(ctx)
		if err != nil {
			return nil, err
		}
		return data.Frames{f}, nil
	}
	res, err := Compute(ctx, env, q)
	if err != nil {
		return nil, err
	}
	return res.Frames(q.Format), nil
}
