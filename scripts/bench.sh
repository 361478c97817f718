#!/usr/bin/env bash
# The dashboard benchmark suite (docs/benchmarks.md): every Kaizen Ops query of
# dashboards/*.json on the data sets at scale, on SQLite and PostgreSQL.
#
#   npm run bench                          # everything (builds missing data sets first)
#   npm run bench -- --datasets slo,kpi    # some data sets; any kaizenbench flag passes through
#   npm run bench -- --smoke               # tiny demo data, one repetition (what CI runs as a Go test)
#   bash scripts/bench.sh stop             # stop the benchmark PostgreSQL and delete its copies
#
# Data sets are cached in the temp directory by the families' benchmarks (file names carry
# the generator version). PostgreSQL copies of them live in a cluster of the suite's own
# (scripts/postgres.sh in $KAIZEN_BENCH_PG_DIR, default $TMPDIR/kaizen-bench-postgres) that
# is left running between runs so the copies are loaded once; KAIZEN_BENCH_STOP_PG=1 stops it
# at the end, KAIZEN_SKIP_POSTGRES=1 measures SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."

export KAIZEN_PG_DIR=${KAIZEN_BENCH_PG_DIR:-${TMPDIR:-/tmp}/kaizen-bench-postgres}
if [ "${1:-}" = stop ]; then
  exec bash scripts/postgres.sh stop
fi

export CGO_ENABLED=0
started=$SECONDS
bin=$(mktemp -d -t kaizenbench.XXXXXX)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/kaizenbench" ./cmd/kaizenbench

if [ "${KAIZEN_SKIP_POSTGRES:-0}" != 1 ]; then
  pg_env=$(bash scripts/postgres.sh start) # an assignment, so set -e stops on failure
  eval "$pg_env"
  if [ "${KAIZEN_BENCH_STOP_PG:-0}" = 1 ]; then
    trap 'rm -rf "$bin"; bash scripts/postgres.sh stop' EXIT
  fi
else
  unset KAIZEN_TEST_POSTGRES_DSN
fi

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
status=0
"$bin/kaizenbench" "$@" || status=$?
echo "bench: $((SECONDS - started)) s in all" >&2
exit $status
