package query

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kaizenops/suite/pkg/models"
)

// Series is one group's values: per bucket when Times is set, else a single value.
type Series struct {
	// Group holds the group-by dimension values, in Result.GroupBy order.
	Group  []string
	Times  []time.Time
	Values []*float64
}

// Result is what most metric families produce: one series per group, bucketed or
// not. Frames turns it into the shapes Grafana panels and alert rules expect.
type Result struct {
	// Name reads well in a legend, e.g. "MTTR (p90)".
	Name string
	// FieldName is the value field's name, e.g. "mttr".
	FieldName string
	// Unit is a Grafana unit id, e.g. "s" or "percentunit".
	Unit     string
	Decimals *uint16
	GroupBy  []string
	Bucketed bool
	Series   []Series
}

// Frames renders the result in the query's format:
//   - timeseries, bucketed: one frame per group (time + value labelled by group), the
//     multi-frame shape alert rules reduce per series;
//   - timeseries, unbucketed: one numeric frame per group (a labelled number);
//   - table: one long frame with a column per group-by dimension.
func (r Result) Frames(format string) data.Frames {
	r.sort()
	if format == models.FormatTable {
		return data.Frames{r.table()}
	}
	if len(r.Series) == 0 {
		return data.Frames{r.emptyFrame()}
	}
	out := make(data.Frames, 0, len(r.Series))
	for _, s := range r.Series {
		labels := r.labels(s)
		val := data.NewField(r.FieldName, labels, s.Values)
		val.Config = r.fieldConfig(r.displayName(s))
		var f *data.Frame
		if r.Bucketed {
			f = data.NewFrame(r.FieldName, data.NewField("time", nil, s.Times), val)
			f.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		} else {
			f = data.NewFrame(r.FieldName, val)
			f.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		}
		out = append(out, f)
	}
	return out
}

func (r Result) table() *data.Frame {
	var fields []*data.Field
	n := 0
	for _, s := range r.Series {
		n += len(s.Values)
	}
	var times []time.Time
	if r.Bucketed {
		times = make([]time.Time, 0, n)
	}
	dims := make([][]string, len(r.GroupBy))
	values := make([]*float64, 0, n)
	for _, s := range r.Series {
		for i, v := range s.Values {
			if r.Bucketed {
				times = append(times, s.Times[i])
			}
			for d := range r.GroupBy {
				dims[d] = append(dims[d], s.Group[d])
			}
			values = append(values, v)
		}
	}
	if r.Bucketed {
		fields = append(fields, data.NewField("time", nil, times))
	}
	for d, name := range r.GroupBy {
		col := dims[d]
		if col == nil {
			col = []string{}
		}
		fields = append(fields, data.NewField(name, nil, col))
	}
	val := data.NewField(r.FieldName, nil, values)
	val.Config = r.fieldConfig(r.Name)
	fields = append(fields, val)
	f := data.NewFrame(r.FieldName, fields...)
	if r.Bucketed {
		f.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesLong, TypeVersion: data.FrameTypeVersion{0, 1}})
	}
	return f
}

// emptyFrame keeps the field schema when no group has data, so panels show
// "no data" and alert rules go to their NoData state instead of erroring.
func (r Result) emptyFrame() *data.Frame {
	val := data.NewField(r.FieldName, nil, []*float64{})
	val.Config = r.fieldConfig(r.Name)
	if r.Bucketed {
		return data.NewFrame(r.FieldName, data.NewField("time", nil, []time.Time{}), val)
	}
	return data.NewFrame(r.FieldName, val)
}

func (r Result) labels(s Series) data.Labels {
	if len(r.GroupBy) == 0 {
		return nil
	}
	l := make(data.Labels, len(r.GroupBy))
	for i, name := range r.GroupBy {
		l[name] = s.Group[i]
	}
	return l
}

// displayName reads "MTTR (p90) · checkout" for a group, or just "MTTR (p90)".
func (r Result) displayName(s Series) string {
	if len(s.Group) == 0 {
		return r.Name
	}
	parts := make([]string, len(s.Group))
	for i, g := range s.Group {
		if g == "" {
			g = fmt.Sprintf("(no %s)", r.GroupBy[i])
		}
		parts[i] = g
	}
	return r.Name + " · " + strings.Join(parts, " / ")
}

func (r Result) fieldConfig(display string) *data.FieldConfig {
	return &data.FieldConfig{DisplayNameFromDS: display, Unit: r.Unit, Decimals: r.Decimals}
}

func (r *Result) sort() {
	sort.SliceStable(r.Series, func(i, j int) bool {
		a, b := r.Series[i].Group, r.Series[j].Group
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
}
