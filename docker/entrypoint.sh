#!/bin/sh
# Loads the demo data set on first start (KAIZEN_DEMO=false skips it), adds the
# data source instances of the compose profiles that run (postgres, prometheus),
# then starts Grafana as the image normally does.
set -eu
db=/var/lib/grafana/kaizenops/kaizenops.db
optional=/etc/grafana/provisioning/optional/datasources
datasources=/etc/grafana/provisioning/datasources

# A profile's service exists on the compose network only when the profile runs.
resolves() {
  getent hosts "$1" >/dev/null 2>&1 || nslookup "$1" >/dev/null 2>&1
}

demo() {
  [ "${KAIZEN_DEMO:-true}" = "true" ] || return 0
  kaizen demo --db "$1" --seed "${KAIZEN_DEMO_SEED:-1}" --months "${KAIZEN_DEMO_MONTHS:-6}"
}

if [ ! -f "$db" ]; then
  echo "kaizen: loading demo data into $db"
  demo "$db"
fi

if resolves postgres; then
  cp "$optional/kaizenops-postgres.yaml" "$datasources/"
  # The demo writes only into an empty store: on a restart it says so and the data stays.
  demo "postgres://kaizen:${KAIZEN_POSTGRES_PASSWORD}@postgres:5432/kaizenops?sslmode=disable" ||
    echo "kaizen: PostgreSQL store kept as it is"
fi

if resolves prometheus; then
  cp "$optional/kaizenops-prometheus.yaml" "$datasources/"
fi

exec /run.sh "$@"
