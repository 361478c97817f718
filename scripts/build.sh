#!/usr/bin/env bash
# Builds the suite. CI (scripts/test.sh) and the Dockerfile's build stages both call
# this script, so the image is built the way CI builds and tests it.
#   scripts/build.sh frontend   webpack production build into dist/
#   scripts/build.sh backend    plugin executables (linux amd64, arm64; CGO off) into
#                               dist/datasource/, and the kaizen CLI into bin/
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH 2>/dev/null || echo /root/go)/bin"
export CGO_ENABLED=0

frontend() {
  npm run build
}

backend() {
  command -v mage >/dev/null || go install github.com/magefile/mage@v1.17.2
  mage -v build:linux build:linuxARM64
  for arch in amd64 arm64; do
    bin=dist/datasource/gpx_kaizenops_linux_$arch
    test -x "$bin" || { echo "missing $bin" >&2; exit 1; }
    GOOS=linux GOARCH=$arch go build -trimpath -ldflags "-s -w" -o "bin/kaizen_linux_$arch" ./cmd/kaizen
  done
}

case "${1:-all}" in
  frontend) frontend ;;
  backend) backend ;;
  all) frontend; backend ;;
  *) echo "usage: scripts/build.sh [frontend|backend|all]" >&2; exit 2 ;;
esac
