package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kaizenops/suite/pkg/metrics"
	"github.com/kaizenops/suite/pkg/metrics/kaizen"
)

// importKaizenEvents applies kaizen-events records: each creates its event or updates
// it, as POST and PUT kaizen/events do, with its target query checked by running it.
func importKaizenEvents(db, path, formatName string, stdin io.Reader, stdout io.Writer) error {
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
	e := metrics.Engine()
	deps := kaizen.Deps{Series: e.Series, Catalog: metrics.Catalog}
	res, err := deps.Import(ctx, st, format, in, kaizen.Writer{By: "kaizen import", Now: time.Now()})
	if err != nil {
		return fmt.Errorf("import of %s: %w", path, err)
	}
	return writeJSONLine(stdout, res)
}
