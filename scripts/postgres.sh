#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on 127.0.0.1 only.
#
#   eval "$(bash scripts/postgres.sh start)"   # starts (or reuses) it, prints export lines
#   go test ./...                              # storetest.Each now also runs on PostgreSQL
#   bash scripts/postgres.sh stop              # stops it and deletes its files
#
# Commands: start | stop | status | env. The cluster lives in $KAIZEN_PG_DIR (default
# $TMPDIR/kaizen-postgres); give each concurrent user their own directory. It uses
# Debian's binaries (/usr/lib/postgresql/<version>/bin; apt-get install postgresql),
# a random superuser password (scram-sha-256 over TCP, no Unix socket), TLS with a
# throwaway CA when openssl is present, and runs as the postgres user when started as
# root (PostgreSQL refuses to run as root).
#
# Printed: KAIZEN_TEST_POSTGRES_DSN (superuser DSN, sslmode=disable), and when TLS is on
# KAIZEN_TEST_POSTGRES_CA (the CA certificate file that signed the server's certificate).
# KAIZEN_PG_DURABLE=1 keeps fsync on (benchmarks); by default fsync is off, as befits a
# cluster whose data is deleted at stop.
set -euo pipefail

dir=${KAIZEN_PG_DIR:-${TMPDIR:-/tmp}/kaizen-postgres}
data=$dir/data
log() { echo "postgres.sh: $*" >&2; }

bindir() {
  local best=${KAIZEN_PG_BIN:-}
  if [ -z "$best" ]; then
    best=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$best" ] && command -v pg_config >/dev/null; then best=$(pg_config --bindir); fi
  fi
  if [ -z "$best" ] || [ ! -x "$best/initdb" ]; then
    log "no PostgreSQL server binaries (looked in ${KAIZEN_PG_BIN:-/usr/lib/postgresql/*/bin}); install the postgresql package"
    exit 1
  fi
  echo "$best"
}

# as runs a command as the cluster's owner: ourselves, or the postgres user when root.
as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$(owner)" -- "$@"
  else
    "$@"
  fi
}

owner() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if ! getent passwd postgres >/dev/null; then
    log "creating the system user postgres to run the cluster (PostgreSQL refuses to run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  echo postgres
}

running() {
  [ -f "$data/postmaster.pid" ] && [ -f "$dir/env" ] && as "$(bindir)/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# port_free: nothing accepts connections on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

make_tls() {
  command -v openssl >/dev/null || { log "openssl not found: TLS stays off"; return 1; }
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kaizen test CA" \
      -keyout ca.key -out ca.crt >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr >/dev/null 2>&1
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
      -extfile san.ext -out server.crt >/dev/null 2>&1
    rm -f server.csr san.ext ca.srl ca.key
    chmod 600 server.key
  )
}

start() {
  if running; then
    log "reusing the cluster in $dir"
    cat "$dir/env"
    return
  fi
  if [ -d "$dir" ]; then
    # Only ever delete a directory this script made.
    if [ -e "$dir/kaizen-postgres" ] || [ -z "$(ls -A "$dir")" ]; then
      # A server left from an interrupted start would outlive its deleted files.
      if [ -f "$data/postmaster.pid" ]; then as "$(bindir)/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; fi
      rm -rf "$dir"
    else
      log "$dir exists and was not made by this script; choose another KAIZEN_PG_DIR"
      exit 1
    fi
  fi
  local bin user password port tls=off
  bin=$(bindir)
  user=$(owner)
  mkdir -p "$dir"
  chmod 700 "$dir"
  touch "$dir/kaizen-postgres"
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" >"$dir/pwfile"
  make_tls && tls=on
  chown -R "$user" "$dir"
  as "$bin/initdb" -D "$data" -U kaizen --pwfile="$dir/pwfile" --auth-local=reject \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = ''"
    echo "max_connections = 200"
    if [ "${KAIZEN_PG_DURABLE:-0}" != 1 ]; then echo "fsync = off"; echo "full_page_writes = off"; fi
    if [ $tls = on ]; then
      echo "ssl = on"
      echo "ssl_cert_file = '$dir/server.crt'"
      echo "ssl_key_file = '$dir/server.key'"
    fi
  } >>"$data/postgresql.conf"
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_free "$port" || continue
    if as "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      break
    fi
    log "start on port $port failed (attempt $attempt): $(tail -n 2 "$dir/server.log")"
    port=
  done
  if [ -z "$port" ]; then log "could not start PostgreSQL; see $dir/server.log"; exit 1; fi
  PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U kaizen kaizen
  {
    echo "export KAIZEN_TEST_POSTGRES_DSN='postgres://kaizen:$password@127.0.0.1:$port/kaizen?sslmode=disable'"
    if [ $tls = on ]; then echo "export KAIZEN_TEST_POSTGRES_CA='$dir/ca.crt'"; fi
  } >"$dir/env"
  chmod 600 "$dir/env"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (TLS $tls), files in $dir"
  cat "$dir/env"
}

stop() {
  if [ ! -e "$dir/kaizen-postgres" ]; then
    rmdir "$dir" 2>/dev/null || true # an empty directory made for a start that failed
    log "no cluster in $dir"
    return
  fi
  if [ -f "$data/postmaster.pid" ]; then
    as "$(bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
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
  echo "usage: $0 start|stop|status|env   (cluster directory: \$KAIZEN_PG_DIR, default \${TMPDIR:-/tmp}/kaizen-postgres)" >&2
  exit 2
  ;;
esac
