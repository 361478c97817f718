#!/bin/sh
# Loads the demo data set into the embedded store on first start (KAIZEN_DEMO=false
# skips it), then starts Grafana as the image normally does.
set -eu
db=/var/lib/grafana/kaizenops/kaizenops.db
if [ "${KAIZEN_DEMO:-true}" = "true" ] && [ ! -f "$db" ] && kaizen help 2>&1 | grep -q ' demo '; then
  echo "kaizen: loading demo data into $db"
  kaizen demo --db "$db" --seed "${KAIZEN_DEMO_SEED:-1}" --months "${KAIZEN_DEMO_MONTHS:-6}"
fi
exec /run.sh "$@"
