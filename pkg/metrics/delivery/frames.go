package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the delivery query type: series (for SPC and backtests) and frames in
// which band values carry value mappings and tables carry a band column.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeDelivery, Compute)
	e.Register(models.QueryTypeDelivery, Frames)
}

// Frames runs a delivery query and renders it for Grafana.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	res, err := Compute(ctx, env, q)
	if err != nil {
		return nil, err
	}
	frames := res.Frames(q.Format)
	band := q.Delivery != nil && q.Delivery.Band
	metric := q.Metric
	if metric == "" {
		metric = DeploymentFrequency
	}
	for _, f := range frames {
		value := f.Fields[len(f.Fields)-1]
		switch {
		case band:
			value.Config.Mappings = bandMappings()
		case q.Format == models.FormatTable && metric != FailedDeployments:
			f.Fields = append(f.Fields, bandColumn(f, metric, env, q))
		}
	}
	return frames, nil
}

// bandColumn names each row's band beside its value, so a table shows both.
func bandColumn(f *data.Frame, metric string, env query.Env, q models.Query) *data.Field {
	p := plan{env: env, q: q}
	value := f.Fields[len(f.Fields)-1]
	var times *data.Field
	if f.Fields[0].Type() == data.FieldTypeTime {
		times = f.Fields[0]
		p.buckets, _ = query.ResolveBuckets(q.Bucket, env)
	}
	names := make([]*string, value.Len())
	for i := range names {
		v, ok := value.ConcreteAt(i)
		if !ok {
			continue
		}
		start := int64(0)
		if times != nil {
			start = times.At(i).(time.Time).UnixMilli()
		}
		if b := bandOf(metric, v.(float64), p.days(start)); b != NoBand {
			n := b.Name()
			names[i] = &n
		}
	}
	col := data.NewField("band", nil, names)
	col.Config = &data.FieldConfig{DisplayNameFromDS: "DORA band"}
	return col
}

// bandOf classifies one value of a metric; days converts a count to a rate.
func bandOf(metric string, v, days float64) Band {
	switch metric {
	case DeploymentFrequency:
		return FrequencyBand(v)
	case Deployments:
		if days <= 0 {
			return NoBand
		}
		return FrequencyBand(v / days)
	case LeadTime:
		return LeadTimeBand(v)
	case ChangeFailureRate:
		return ChangeFailureBand(v)
	case RecoveryTime:
		return RecoveryBand(v)
	}
	return NoBand
}

// bands replaces each value with its band level (4 elite … 1 low); no value stays none.
func (p plan) bands(res query.Result, metric string) (query.Result, error) {
	if metric == FailedDeployments {
		return query.Result{}, fmt.Errorf("delivery.band: %s has no DORA band; use change_failure_rate", metric)
	}
	if metric != DeploymentFrequency && metric != Deployments && p.q.Stat == "count" {
		return query.Result{}, fmt.Errorf("delivery.band: a count of %s has no DORA band; use the median (default) or another stat", metric)
	}
	out := res
	out.Name = res.Name + " · DORA band"
	out.FieldName = metric + "_band"
	out.Unit = "none"
	out.Series = make([]query.Series, len(res.Series))
	for i, s := range res.Series {
		bs := query.Series{Group: s.Group, Times: s.Times, Values: make([]*float64, len(s.Values))}
		for j, v := range s.Values {
			if v == nil {
				continue
			}
			if b := bandOf(metric, *v, p.days(p.starts[j])); b != NoBand {
				bs.Values[j] = ptr(float64(b))
			}
		}
		out.Series[i] = bs
	}
	return out, nil
}

// bandMappings show a band level as its name in its color.
func bandMappings() data.ValueMappings {
	m := data.ValueMapper{}
	for i, b := range []Band{Elite, High, Medium, Low} {
		m[fmt.Sprint(int(b))] = data.ValueMappingResult{Text: b.Name(), Color: b.Color(), Index: i}
	}
	return data.ValueMappings{m}
}
