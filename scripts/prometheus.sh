#!/usr/bin/env bash
# A throwaway Prometheus for tests and benchmarks, on 127.0.0.1 only, holding the
# hand-made series of pkg/prometheus/testdata/series.om (backfilled with promtool).
#
#   eval "$(bash scripts/prometheus.sh start)"   # starts (or reuses) it, prints an export line
#   go test ./...                                # the PromQL tests now use it
#   bash scripts/prometheus.sh stop              # stops it and deletes its files
#
# Commands: start | stop | status | env. It lives in $KAIZEN_PROM_DIR (default
# $TMPDIR/kaizen-prometheus); give each concurrent user their own directory. It uses
# Debian's binaries (apt-get install prometheus, which brings prometheus and
# promtool). Printed: KAIZEN_TEST_PROMETHEUS_URL. Without it, the Go tests start
# their own Prometheus the same way when the binaries are installed, and skip otherwise.
set -euo pipefail

dir=${KAIZEN_PROM_DIR:-${TMPDIR:-/tmp}/kaizen-prometheus}
data_file=$(cd "$(dirname "$0")/.." && pwd)/pkg/prometheus/testdata/series.om
log() { echo "prometheus.sh: $*" >&2; }

need() {
  for b in prometheus promtool; do
    command -v "$b" >/dev/null || { log "$b not found; install Debian's prometheus package (apt-get install prometheus)"; exit 1; }
  done
}

running() {
  [ -f "$dir/pid" ] && [ -f "$dir/env" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

# port_free: nothing accepts connections on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ready: Prometheus answers 200 on /-/ready (bash's /dev/tcp: no curl needed).
ready() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    head -n 1 <&3 | grep -q ' 200 '
  ) 2>/dev/null
}

start() {
  if running; then
    log "reusing the Prometheus in $dir"
    cat "$dir/env"
    return
  fi
  need
  if [ -d "$dir" ]; then
    # Only ever delete a directory this script made.
    if [ -e "$dir/kaizen-prometheus" ] || [ -z "$(ls -A "$dir")" ]; then
      if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
      rm -rf "$dir"
    else
      log "$dir exists and was not made by this script; choose another KAIZEN_PROM_DIR"
      exit 1
    fi
  fi
  mkdir -p "$dir"
  touch "$dir/kaizen-prometheus"
  promtool tsdb create-blocks-from openmetrics "$data_file" "$dir/data" >"$dir/backfill.log" 2>&1 ||
    { cat "$dir/backfill.log" >&2; exit 1; }
  printf 'global:\n  scrape_interval: 15s\n' >"$dir/prometheus.yml"
  local port= pid attempt i
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_free "$port" || continue
    # Retention far beyond the data set's dates, or Prometheus would delete the backfilled blocks.
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" >"$dir/server.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    for i in $(seq 1 300); do
      if ready "$port"; then break 2; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    log "start on port $port failed (attempt $attempt): $(tail -n 2 "$dir/server.log")"
    kill "$pid" 2>/dev/null || true
    port=
  done
  if [ -z "$port" ]; then log "could not start Prometheus; see $dir/server.log"; exit 1; fi
  echo "export KAIZEN_TEST_PROMETHEUS_URL='http://127.0.0.1:$port'" >"$dir/env"
  log "Prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}') on 127.0.0.1:$port, data from $data_file, files in $dir"
  cat "$dir/env"
}

stop() {
  if [ ! -e "$dir/kaizen-prometheus" ]; then
    rmdir "$dir" 2>/dev/null || true
    log "no Prometheus in $dir"
    return
  fi
  if [ -f "$dir/pid" ]; then
    local pid
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
  log "stopped; removed $dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) if running; then log "running in $dir"; else log "not running in $dir"; exit 1; fi ;;
env) if running; then cat "$dir/env"; else log "not running in $dir"; exit 1; fi ;;
*)
  echo "usage: $0 start|stop|status|env   (directory: \$KAIZEN_PROM_DIR, default \${TMPDIR:-/tmp}/kaizen-prometheus)" >&2
  exit 2
  ;;
esac
