#!/usr/bin/env bash
# Issue 18's accessibility target: Hachinohe, 250 m grid (~3,000 cells), one destination set, a
# 2-hour window: <= 30 s on one core, <= 20 s on two. Runs the analysis alone (bench_access) and
# then the whole command (`nebuta accessibility`, loading and writing included), `rounds` times:
#   benchmarks/access/run.sh BUILD_DIR [ROUNDS]
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
data=${NEBUTA_SHARED_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
feed="$data/jp-hachinohe-citybus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq "$rounds"); do
  echo "## round $r (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$build/benchmarks/bench_access" "$feed"
  for t in 1 2; do
    /usr/bin/time -f "nebuta accessibility --threads $t: %e s wall, %U s user, %S s sys, %M KiB" \
      "$build/api/nebuta" accessibility --feed "$feed" --date 2026-04-08 --from 07:00 --to 09:00 \
      --bbox 40.465,141.422,40.575,141.60 --cell 250 --dest '八戸駅=stop_name:八戸駅' --threads "$t" \
      --out "$tmp/out" > /dev/null
  done
done
