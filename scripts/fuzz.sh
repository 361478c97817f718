#!/usr/bin/env bash
# Runs every Go fuzz target in the repository for a bounded time, so CI keeps the
# fuzzers exercising the parsers, the query model and the statistics.
#
#   bash scripts/fuzz.sh                          # each target for FUZZTIME (default 3s)
#   FUZZTIME=5m FUZZ_BUDGET=0 bash scripts/fuzz.sh  # the long run by hand (docs/reliability.md)
#   bash scripts/fuzz.sh ./pkg/ingest             # only the targets of some packages
#
# Targets are discovered with `go test -list 'Fuzz.*'`, in every package whose tests
# declare one, so a new Fuzz function runs here without editing this script. A
# crasher is written to <package>/testdata/fuzz/<target>/ by go test: commit it with
# the fix, and it runs with every `go test` from then on. The seed corpora run with
# plain `go test ./...` anyway; this adds the random exploration.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-3s}
case $fuzztime in *[0-9]) fuzztime=${fuzztime}s ;; esac
# Each target also costs a build and a pass over its seeds (3-5 s on 2 busy cores),
# so the run is bounded by a budget in seconds (default 90, 0 = none): no target
# starts after it. The list starts at a different target each day, so the ones cut
# off today go first on another day.
budget=${FUZZ_BUDGET:-90}
# Minimizing a new interesting input re-runs the target up to 60 s by default; the
# store-backed targets (webhooks, ingest) spend a whole short run there and report
# ~10 execs. 2 s keeps them exploring.
minimize=${FUZZMINIMIZETIME:-2s}

if [ $# -gt 0 ]; then
  pkgs=("$@")
else
  mapfile -t pkgs < <(grep -rl --include='*_test.go' -E '^func Fuzz[A-Z0-9_]' cmd pkg | xargs -r -n1 dirname | sort -u | sed 's|^|./|')
fi

started=$SECONDS
all=()
for pkg in "${pkgs[@]}"; do
  # -list prints the matching names, then "ok <package> <time>".
  while read -r target; do all+=("$pkg $target"); done < <(go test -list 'Fuzz.*' "$pkg" | grep -E '^Fuzz')
done
if [ ${#all[@]} -eq 0 ]; then
  echo "fuzz.sh: no fuzz targets found"
  exit 1
fi

failed=()
skipped=()
deadline=()
count=0
first=$((10#$(date +%j) % ${#all[@]}))
for i in $(seq 0 $((${#all[@]} - 1))); do
  read -r pkg target <<<"${all[$(((first + i) % ${#all[@]}))]}"
  if [ "$budget" != 0 ] && [ $((SECONDS - started)) -ge "$budget" ]; then
    skipped+=("$pkg $target")
    continue
  fi
  count=$((count + 1))
  printf '== %s %s (%s)\n' "$pkg" "$target" "$fuzztime"
  # go's fuzzing coordinator can report "context deadline exceeded" as a failure when
  # -fuzztime runs out while it is still handling an input (minimizing a new interesting
  # one): no crasher is written and the target did not fail. That is noted and retried
  # once, not counted; any other failure (a "Failing input written to ..." crasher) is.
  for attempt in 1 2; do
    out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" "$pkg" 2>&1) && status=0 || status=$?
    printf '%s\n' "$out" | tail -n 20
    if [ "$status" = 0 ]; then
      break
    fi
    if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written to' <<<"$out"; then
      echo "fuzz.sh: $pkg $target: the fuzzing engine's own deadline, not a finding (attempt $attempt)"
      [ "$attempt" = 1 ] && continue
      deadline+=("$pkg $target")
      break
    fi
    failed+=("$pkg $target")
    break
  done
done

printf '\nfuzz.sh: %d of %d targets fuzzed for %s each, %ds\n' "$count" "${#all[@]}" "$fuzztime" $((SECONDS - started))
if [ ${#skipped[@]} -gt 0 ]; then
  printf 'fuzz.sh: past the %ss budget, left for another day (their seeds still run in go test): %s\n' "$budget" "${skipped[*]}"
fi
if [ ${#deadline[@]} -gt 0 ]; then
  printf 'fuzz.sh: stopped twice by the fuzzing engine'"'"'s deadline, without a crasher (not a failure): %s\n' "${deadline[*]}"
fi
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz.sh: failing: %s\n' "${failed[@]}"
  exit 1
fi
