package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/kpi"
)

// importKPIDefinitions applies kpi-definitions records: each creates its KPI or adds a
// version when it changes it, as PUT kpis/<id> does, instead of upserting a row.
func importKPIDefinitions(db, path, formatName string, stdin io.Reader, stdout io.Writer) error {
	format, err := importFormat(formatName, path)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("reading input: %w", err)
		}
		defer f.Close()
		in = f
	}
	ctx := context.Background()
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := kpi.Import(ctx, st, format, in, kpi.Writer{By: "kaizen import", Now: time.Now()})
	if err != nil {
		return fmt.Errorf("import of %s: %w", path, err)
	}
	return writeJSONLine(stdout, res)
}
