package plugin

import (
	"context"
	"errors"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// QueryData runs each query on its own; one failing query does not fail the others.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, dq := range req.Queries {
		resp.Responses[dq.RefID] = d.query(ctx, dq)
	}
	return resp, nil
}

func (d *Datasource) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	q, err := models.ParseQuery(dq.JSON)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	q.RefID = dq.RefID
	if q.QueryType == "" {
		q.QueryType = dq.QueryType
	}
	env := query.Env{
		Store: d.store, From: dq.TimeRange.From.UTC(), To: dq.TimeRange.To.UTC(),
		Interval: dq.Interval, MaxDataPoints: dq.MaxDataPoints, Now: time.Now().UTC(),
		Prometheus: d.prometheus,
	}
	frames, err := d.engine.Run(ctx, env, q)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream, "query cancelled: "+err.Error())
		}
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	return backend.DataResponse{Frames: frames}
}
