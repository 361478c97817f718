#!/usr/bin/env bash
# Load run of the backend executable, longer than the 15 s CI run (docs/reliability.md, "Load").
#
#   bash scripts/load.sh            # 5 minutes per store
#   bash scripts/load.sh 90s        # any Go duration
#   KAIZEN_LOAD_WRITERS=16 KAIZEN_LOAD_READERS=64 bash scripts/load.sh 2m
#
# It builds the plugin executable, starts a throwaway PostgreSQL of its own
# (scripts/postgres.sh; KAIZEN_SKIP_POSTGRES=1 runs SQLite only), runs TestLoad in
# pkg/reliability (8 ingest writers and 32 query clients over gRPC by default), and
# prints the figures, also kept as JSON lines in $KAIZEN_LOAD_REPORT (default
# artifacts/load-<time>.jsonl). KAIZEN_LONG=1 also runs the fault tests' long variants.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:-5m}
export CGO_ENABLED=0
export KAIZEN_LOAD_DURATION=$duration
mkdir -p artifacts
export KAIZEN_LOAD_REPORT=${KAIZEN_LOAD_REPORT:-$PWD/artifacts/load-$(date -u +%Y%m%dT%H%M%SZ).jsonl}

bin=$(mktemp -d -t kaizen-load-bin.XXXXXX)
cleanup() { rm -rf "$bin"; }
trap cleanup EXIT
go build -o "$bin/gpx_kaizenops_linux_$(go env GOARCH)" ./pkg
chmod 755 "$bin"
export KAIZEN_PLUGIN_BINARY="$bin/gpx_kaizenops_linux_$(go env GOARCH)"

if [ "${KAIZEN_SKIP_POSTGRES:-0}" != 1 ]; then
  export KAIZEN_PG_DIR
  KAIZEN_PG_DIR=$(mktemp -d -t kaizen-pg-load.XXXXXX)
  trap 'bash scripts/postgres.sh stop; cleanup' EXIT
  pg_env=$(bash scripts/postgres.sh start) # an assignment, so set -e stops on failure
  eval "$pg_env"
fi

run='^TestLoad$'
if [ "${KAIZEN_LONG:-0}" = 1 ]; then run='^(TestLoad|TestFault.*)$'; fi
echo "load.sh: $duration per store; figures in $KAIZEN_LOAD_REPORT" >&2
go test -count=1 -timeout 0 -run "$run" -v ./pkg/reliability/ | grep -E '^(=== RUN|--- |PASS|FAIL|ok )|load_test.go|faults.*_test.go'
echo
node -e '
  for (const line of require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")) {
    const r = JSON.parse(line);
    console.log(r.summary);
    for (const o of r.operations) console.log(`  ${o.op.padEnd(48)} ${o.perSecond.toFixed(1).padStart(8)}/s  p50 ${o.p50Ms.toFixed(1).padStart(8)} ms  p95 ${o.p95Ms.toFixed(1).padStart(8)} ms  ${o.errors} errors`);
  }' "$KAIZEN_LOAD_REPORT"
