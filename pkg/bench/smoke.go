package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/kaizenops/suite/pkg/demo"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// SmokeAnchor is the end of the smoke data set (fixed, so runs are comparable).
var SmokeAnchor = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

// SmokeDataset is the tiny data set of smoke mode: one month of the deterministic demo
// data (every family) in one SQLite file under dir, answering for every data set name.
func SmokeDataset(ctx context.Context, dir string) (Dataset, error) {
	d := Dataset{Name: "demo", File: "kaizen-bench-smoke.db", Size: "demo data set, 1 month",
		EndSQL: fmt.Sprintf("SELECT CAST(%d AS BIGINT)", SmokeAnchor.Add(-time.Minute).UnixMilli())}
	path := filepath.Join(dir, d.File)
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return Dataset{}, err
	}
	defer st.Close()
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Months: 1, Anchor: SmokeAnchor}); err != nil {
		return Dataset{}, fmt.Errorf("smoke data set: %w", err)
	}
	return d, nil
}

// DatasetNames are the names DatasetFor returns.
func DatasetNames() []string {
	var out []string
	for _, d := range Datasets() {
		out = append(out, d.Name)
	}
	return out
}
