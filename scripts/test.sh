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
npm ci --no-audit --no-fund --loglevel=error

step "go modules and mage"
go mod download
command -v mage >/dev/null || go install github.com/magefile/mage@v1.17.2

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
npm run build

step "backend builds (linux amd64, arm64; CGO off)"
mage -v build:linux build:linuxARM64
for arch in amd64 arm64; do
  bin=dist/datasource/gpx_kaizenops_linux_$arch
  test -x "$bin" || { echo "missing $bin"; exit 1; }
  file "$bin" | grep -q "statically linked" || { echo "$bin is not static"; exit 1; }
done

step "go test (the contract test runs the built executable)"
KAIZEN_PLUGIN_BINARY="$PWD/dist/datasource/gpx_kaizenops_linux_$(go env GOARCH)" go test -count=1 ./...

step "done"
