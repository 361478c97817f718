package testsuite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/kaizenops/suite/pkg/demo"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// The demo data set the dashboard and alert-rule checks query: a fixed seed and a
// few months of history (enough for every story date, which shorter histories
// squeeze, and for "last 30 days" and "last 90 days" dashboards).
const (
	demoSeed   = 1
	demoMonths = 3
)

// demoDataSet is the demo store built for this test binary.
type demoDataSet struct {
	// Path of the SQLite file; tests only read it.
	Path    string
	Summary demo.Summary
}

// builtDemo is generated at most once per test binary, whichever test asks first.
// The anchor is the latest noon UTC: every query is evaluated at the anchor, and the
// story's last hours depend on the time of day (diurnal traffic and incident times),
// so a fixed hour keeps the alert rules' verdicts the same whenever the tests run
// (anchored at the hour, the payments SLO's fast burn fired at 16:00). A run that
// crosses noon still sees the same data set.
var builtDemo = sync.OnceValues(func() (demoDataSet, error) {
	dir, err := os.MkdirTemp("", "kaizen-demo-")
	if err != nil {
		return demoDataSet{}, err
	}
	path := filepath.Join(dir, "demo.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return demoDataSet{}, fmt.Errorf("opening the demo store: %w", err)
	}
	anchor := latestNoon(time.Now().UTC())
	sum, err := demo.Generate(ctx, st, demo.Options{Seed: demoSeed, Months: demoMonths, Anchor: anchor})
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing the demo store: %w", cerr)
	}
	if err != nil {
		return demoDataSet{}, fmt.Errorf("generating the demo data set: %w", err)
	}
	return demoDataSet{Path: path, Summary: sum}, nil
})

// demoData returns the demo data set of this test binary, generating it on first use
// (about 15 s on 2 cores). Skipped under -short.
func demoData(t *testing.T) demoDataSet {
	t.Helper()
	if testing.Short() {
		t.Skip("the demo data set takes seconds to generate; not under -short")
	}
	ds, err := builtDemo()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// startDemoPlugin starts the real executable on the demo store (a process per call,
// stopped when t ends; every process reads the same file, so do not write to it) and
// returns it with the data set it serves. The data source's uid is "kaizenops", as
// provisioned, so dashboards' datasource references match it.
func startDemoPlugin(t *testing.T) (*pluginProcess, demoDataSet) {
	t.Helper()
	ds := demoData(t)
	p := startPlugin(t, map[string]any{"store": "sqlite", "path": ds.Path}, nil)
	p.settings.Uid = "kaizenops"
	return p, ds
}

// grafanaQuery sends one target as Grafana's query service does: the panel's target
// JSON (refId, datasource, the family fields, template variables already
// substituted) with intervalMs and maxDataPoints added, the dashboard's time range,
// as a Viewer. It returns the decoded frames, or the query's error (status and
// message) — never fails t itself, so callers name the dashboard and panel.
func (p *pluginProcess) grafanaQuery(ctx context.Context, target json.RawMessage, from, to time.Time, interval time.Duration, maxDataPoints int64) (data.Frames, error) {
	var fields map[string]any
	if err := json.Unmarshal(target, &fields); err != nil {
		return nil, fmt.Errorf("target JSON: %w", err)
	}
	refID, _ := fields["refId"].(string)
	if refID == "" {
		return nil, errors.New("target has no refId")
	}
	if interval <= 0 {
		interval = time.Minute
	}
	if maxDataPoints <= 0 {
		maxDataPoints = 1000
	}
	fields["intervalMs"] = interval.Milliseconds()
	fields["maxDataPoints"] = maxDataPoints
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	resp, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
		PluginContext: p.pluginContext("Viewer"),
		Queries: []*pluginv2.DataQuery{{
			RefId: refID, QueryType: stringField(fields, "queryType"), Json: raw,
			MaxDataPoints: maxDataPoints, IntervalMS: interval.Milliseconds(),
			TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("QueryData: %w", err)
	}
	r, ok := resp.Responses[refID]
	if !ok {
		return nil, fmt.Errorf("QueryData: no response for refId %s", refID)
	}
	if r.Error != "" {
		return nil, fmt.Errorf("query error (status %d): %s", r.Status, r.Error)
	}
	frames, err := data.UnmarshalArrowFrames(r.Frames)
	if err != nil {
		return nil, fmt.Errorf("decoding Arrow frames: %w", err)
	}
	return frames, nil
}

func stringField(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// TestDemoHelpers checks the helpers themselves: the demo store answers a
// Grafana-shaped query over gRPC, and a bad target comes back as an error.
func TestDemoHelpers(t *testing.T) {
	p, ds := startDemoPlugin(t)
	if ds.Summary.Stored["incidents"] == 0 {
		t.Fatalf("demo stored no incidents: %v", ds.Summary.Stored)
	}
	to := ds.Summary.Anchor
	from := to.AddDate(0, 0, -30)
	frames, err := p.grafanaQuery(context.Background(), json.RawMessage(
		`{"refId":"A","datasource":{"type":"kaizenops-metrics-datasource","uid":"kaizenops"},"queryType":"incidents","metric":"count","bucket":"none"}`),
		from, to, time.Hour, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 1 || frames[0].RefID != "A" || frames[0].Rows() != 1 {
		t.Fatalf("frames %v", frames)
	}
	if n, _ := frames[0].Fields[0].ConcreteAt(0); n == nil || n.(float64) <= 0 {
		t.Fatalf("incident count over the last 30 days of the demo: %v", n)
	}
	_, err = p.grafanaQuery(context.Background(), json.RawMessage(`{"refId":"B","queryType":"incidents","metric":"mtbf"}`), from, to, time.Hour, 0)
	if err == nil || !strings.Contains(err.Error(), "mtbf") {
		t.Fatalf("bad metric: %v", err)
	}
	if _, err := p.grafanaQuery(context.Background(), json.RawMessage(`{"queryType":"incidents"}`), from, to, 0, 0); err == nil {
		t.Fatal("a target without refId was sent")
	}
}

// latestNoon is 12:00 UTC of t's day, or of the day before when t is earlier.
func latestNoon(t time.Time) time.Time {
	noon := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC)
	if noon.After(t) {
		noon = noon.AddDate(0, 0, -1)
	}
	return noon
}
