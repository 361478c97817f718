#!/usr/bin/env bash
# The one test command: installs the project's dependencies, then runs every check,
# build and test. CI (.ci/run) calls it after installing system packages.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PATH:$(go env GOPATH)/bin"
export CGO_ENABLED=0
started=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }

step "npm ci"
# npm 11 here leaves other platforms' optional packages (@swc/core-darwin-*, ...) out of
# the lock and then refuses its own lock in `npm ci` (EUSAGE, before touching anything);
# installing from the same lock with `npm install --no-save` gives the same tree.
npm ci --no-audit --no-fund --loglevel=error || npm install --no-save --no-audit --no-fund --loglevel=error

step "go modules"
go mod download

step "format (gofmt, prettier)"
unformatted=$(gofmt -l cmd pkg Magefile.go)
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted"; exit 1; fi

step "typecheck"
npm run typecheck

step "lint"
npm run lint

step "jest"
npm run test:ci

step "go vet"
go vet ./...

step "frontend build"
bash scripts/build.sh frontend

step "backend builds (linux amd64, arm64; CGO off) and the kaizen CLI"
bash scripts/build.sh backend
for arch in amd64 arm64; do
  file "dist/datasource/gpx_kaizenops_linux_$arch" | grep -q "statically linked" || { echo "gpx_kaizenops_linux_$arch is not static"; exit 1; }
done

step "plugin zip (npm run package) checked as Grafana's plugin validator would (docs/packaging.md)"
npm run package
npm run check:package -- "artifacts/kaizenops-suite-app-$(node -p 'require("./package.json").version').zip"

step "static check of docker-compose.yaml, the Dockerfile, .dockerignore and provisioning"
npm run check:docker

step "tests of the packaging and Docker checks (node --test scripts/tests/)"
npm run test:scripts

step "PostgreSQL for the store tests (scripts/postgres.sh; KAIZEN_SKIP_POSTGRES=1 runs SQLite only)"
if [ "${KAIZEN_SKIP_POSTGRES:-0}" != 1 ]; then
  # A cluster of its own, never a developer's running one; stopped however the run ends.
  export KAIZEN_PG_DIR
  KAIZEN_PG_DIR=$(mktemp -d -t kaizen-pg-test.XXXXXX)
  trap 'bash scripts/postgres.sh stop' EXIT
  pg_env=$(bash scripts/postgres.sh start) # an assignment, so set -e stops on failure
  eval "$pg_env"
fi

step "Prometheus for the PromQL tests (scripts/prometheus.sh; KAIZEN_SKIP_PROMETHEUS=1 leaves them to skip)"
if [ "${KAIZEN_SKIP_PROMETHEUS:-0}" != 1 ]; then
  # One of its own with the test data set, stopped however the run ends (before the EXIT trap set above).
  export KAIZEN_PROM_DIR
  KAIZEN_PROM_DIR=$(mktemp -d -t kaizen-prom-test.XXXXXX)
  trap "bash scripts/prometheus.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT\$/\1/")" EXIT
  prom_env=$(bash scripts/prometheus.sh start) # an assignment, so set -e stops on failure
  eval "$prom_env"
fi

step "go test on SQLite and PostgreSQL (the contract test runs the built executable)"
KAIZEN_PLUGIN_BINARY="$PWD/dist/datasource/gpx_kaizenops_linux_$(go env GOARCH)" go test -count=1 ./...

step "fuzz every Go fuzz target briefly (scripts/fuzz.sh, FUZZTIME per target, bounded by FUZZ_BUDGET)"
bash scripts/fuzz.sh

step "panel harness in headless Chromium"
npm run test:harness

step "done"
