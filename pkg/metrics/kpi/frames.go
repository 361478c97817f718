package kpi

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
)

// Register adds the kpi query type: its series for other queries to build on (a control
// chart of a KPI), and frames that add what series cannot carry: the state's names and
// colours, and the stale audit table.
func Register(e *query.Engine) {
	e.RegisterSeries(models.QueryTypeKPI, Compute)
	e.Register(models.QueryTypeKPI, Frames)
}

// Frames runs a KPI query and renders it in the query's format.
func Frames(ctx context.Context, env query.Env, q models.Query) (data.Frames, error) {
	if q.Metric == Stale {
		p, err := newPlan(ctx, env, q)
		if err != nil {
			return nil, err
		}
		f, err := p.audit(ctx)
		if err != nil {
			return nil, err
		}
		return data.Frames{f}, nil
	}
	res, err := Compute(ctx, env, q)
	if err != nil {
		return nil, err
	}
	frames := res.Frames(q.Format)
	if q.Metric == State {
		for _, f := range frames {
			decorateState(f, q.Format == models.FormatTable)
		}
	}
	return frames, nil
}

// stateColors are Grafana's named colours for ok, warning and critical.
var stateColors = [...]string{"green", "orange", "red"}

// decorateState maps state numbers to names and colours (a stat panel on a wall shows
// "CRITICAL" in red, not 2), and gives tables a state_text column beside the number.
func decorateState(f *data.Frame, table bool) {
	for _, field := range f.Fields {
		if field.Name != State {
			continue
		}
		if field.Config == nil {
			field.Config = &data.FieldConfig{}
		}
		mapper := data.ValueMapper{}
		steps := []data.Threshold{data.NewThreshold(math.Inf(-1), stateColors[0], "")}
		for s, name := range stateNames {
			mapper[strconv.Itoa(s)] = data.ValueMappingResult{Text: strings.ToUpper(name), Color: stateColors[s], Index: s}
			if s > 0 {
				steps = append(steps, data.NewThreshold(float64(s), stateColors[s], ""))
			}
		}
		field.Config.Mappings = data.ValueMappings{mapper}
		field.Config.Thresholds = &data.ThresholdsConfig{Mode: data.ThresholdsModeAbsolute, Steps: steps}
		min, max := data.ConfFloat64(StateOK), data.ConfFloat64(StateCritical)
		field.Config.Min, field.Config.Max = &min, &max
		if table {
			text := make([]*string, field.Len())
			for i := range text {
				if v, ok := field.ConcreteAt(i); ok {
					name := stateNames[int(v.(float64))]
					text[i] = &name
				}
			}
			f.Fields = append(f.Fields, data.NewField("state_text", nil, text))
		}
		return
	}
}
