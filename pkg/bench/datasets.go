package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/store"
)

// Dataset is one family's benchmark store. Its file lives in the temp directory and is
// built by the family's own benchmark (the generator and its version are the family's:
// a generator change bumps the -vN in the file name, which makes a new cache).
type Dataset struct {
	Name string
	// File is the cache file's base name in os.TempDir().
	File string
	// Package and Bench run the family benchmark that builds File when it is missing.
	Package, Bench string
	// Size says what is in it, for the table.
	Size string
	// EndSQL gives the data's last event time (Unix ms): "now" of the dashboards.
	EndSQL string
}

// Path is where the cached store file is.
func (d Dataset) Path() string { return filepath.Join(os.TempDir(), d.File) }

// Datasets are the data sets at scale, one per family the dashboards read.
func Datasets() []Dataset {
	return []Dataset{
		{Name: "incidents", File: "kaizen-bench-incidents-1M-v1.db", Package: "./pkg/metrics/incidents", Bench: "BenchmarkMTTRQuery1M",
			Size: "1M incidents", EndSQL: `SELECT MAX(started_at) FROM incidents`},
		{Name: "deployments", File: "kaizen-bench-deployments-1M-v1.db", Package: "./pkg/metrics/delivery", Bench: "BenchmarkDORAQuery1M",
			Size: "1M deployments, 30k incidents", EndSQL: `SELECT MAX(deployed_at) FROM deployments`},
		{Name: "flow", File: "kaizen-bench-flow-1M-v3.db", Package: "./pkg/metrics/flow", Bench: "BenchmarkFlowQuery1M",
			Size: "1M work items, 8M transitions", EndSQL: `SELECT MAX(created_at) FROM work_items`},
		{Name: "usage", File: "kaizen-bench-usage-10M-v1.db", Package: "./pkg/metrics/adoption", Bench: "BenchmarkMAU10M",
			Size: "10M usage events", EndSQL: `SELECT MAX(at) FROM usage_events`},
		{Name: "model", File: "kaizen-bench-model-1x10M-v1.db", Package: "./pkg/metrics/model", Bench: "BenchmarkDriftOneFeature10M",
			Size: "10M model observations", EndSQL: `SELECT MAX(observed_at) FROM model_observations`},
		{Name: "slo", File: "kaizen-bench-slo-1000x30d-v3.db", Package: "./pkg/metrics/slo", Bench: "BenchmarkMultiwindowBurnRates",
			Size: "1,000 SLOs x 30 days of 1-minute counts (43.2M)",
			// (slo, at) is the key: the last sample of one SLO, not a scan of 43M rows.
			EndSQL: `SELECT MAX(at) FROM sli_samples WHERE slo = (SELECT MIN(id) FROM slo_definitions)`},
		{Name: "kpi", File: "kaizen-bench-kpi-1M-v1.db", Package: "./pkg/metrics/kpi", Bench: "BenchmarkKPIQuery1M",
			Size: "300 KPIs, 1M samples", EndSQL: `SELECT MAX(at) FROM kpi_samples`},
		{Name: "kaizen", File: "kaizen-bench-kaizen-1M-v1.db", Package: "./pkg/metrics/kaizen", Bench: "BenchmarkImpact500Events",
			Size: "500 kaizen events over 1M incidents", EndSQL: `SELECT MAX(started_at) FROM incidents`},
	}
}

// DatasetFor names the data set a query runs on: its family's, or for an spc or backtest
// query its source's. Alert quality and postmortems have no data set at scale: they run
// on the 1M incidents (their detection metrics read incidents; alert events and
// postmortems are empty there). "" means the query needs no store (prometheus).
func DatasetFor(q models.Query) string {
	switch q.QueryType {
	case models.QueryTypeIncidents, models.QueryTypeAlerts, models.QueryTypePostmortems:
		return "incidents"
	case models.QueryTypeDelivery, models.QueryTypeAnnotations:
		return "deployments"
	case models.QueryTypeAdoption:
		return "usage"
	case models.QueryTypeFlow:
		return "flow"
	case models.QueryTypeModel:
		return "model"
	case models.QueryTypeSLO:
		return "slo"
	case models.QueryTypeKPI:
		return "kpi"
	case models.QueryTypeKaizen:
		return "kaizen"
	case models.QueryTypeSPC:
		if q.SPC != nil && q.SPC.Source != nil {
			return DatasetFor(*q.SPC.Source)
		}
		return "incidents"
	case models.QueryTypeBacktest:
		if q.Improvement != nil && q.Improvement.Source != nil {
			return DatasetFor(*q.Improvement.Source)
		}
		return "incidents"
	}
	return ""
}

// Build runs the family benchmark that generates a missing data set (through the real
// ingest path, as the family's benchmarks do) from the repository at root.
func (d Dataset) Build(ctx context.Context, root string, log func(string, ...any)) error {
	if _, err := os.Stat(d.Path()); err == nil {
		return nil
	}
	log("building data set %s (%s) with %s %s; this runs once per generator version", d.Name, d.Size, d.Package, d.Bench)
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^"+d.Bench+"$", "-benchtime", "1x", "-timeout", "4h", d.Package)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building data set %s (%s %s): %w", d.Name, d.Package, d.Bench, err)
	}
	if _, err := os.Stat(d.Path()); err != nil {
		return fmt.Errorf("data set %s: %s %s ran but left no %s", d.Name, d.Package, d.Bench, d.Path())
	}
	log("data set %s built in %s", d.Name, time.Since(t0).Round(time.Second))
	return nil
}

// dataEnd reads the data set's last event time.
func dataEnd(ctx context.Context, st store.Querier, endSQL string) (time.Time, error) {
	var ms *int64
	if err := st.QueryRowContext(ctx, endSQL).Scan(&ms); err != nil {
		return time.Time{}, fmt.Errorf("reading the data's end: %w", err)
	}
	if ms == nil {
		return time.Time{}, fmt.Errorf("the data set is empty (%s)", endSQL)
	}
	// The next whole minute after the last event: "now" as a dashboard would see it.
	return time.UnixMilli(*ms).UTC().Truncate(time.Minute).Add(time.Minute), nil
}
