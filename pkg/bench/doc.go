// Package bench is the dashboard benchmark suite: it runs every Kaizen Ops query of the
// provisioned dashboards (dashboards/*.json) against data sets at scale, on the embedded
// SQLite store and on PostgreSQL, and reports p50/p95 latency, rows in range, peak Go
// heap and the ratio against a plain SQL aggregate of the same rows measured in the same
// run. cmd/kaizenbench is its command; docs/benchmarks.md explains the figures.
//
// The data sets are the families' own benchmark stores (pkg/metrics/<family>/bench_test.go
// builds and caches them in the temp directory, keyed by a generator version in the file
// name); this package never generates events itself except in smoke mode, which loads
// the deterministic demo data set (pkg/demo) at a tiny size.
package bench
