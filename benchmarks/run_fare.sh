#!/usr/bin/env bash
# What fares cost the planner, side by side with an older build (issue 12's "earliest arrival
# with fares p50 at most 1.15x today's"):
#   benchmarks/run_fare.sh BUILD_DIR [BASE_BUILD_DIR] [ROUNDS]
# Per feed and round, the base build's bench_raptor writes and times the 10,000-query set (seed 42),
# then this build's bench_fare times the same queries: search only, with the journeys
# reconstructed, with fare::compute on each journey, and (tight+fares) every journey tightened
# by its backward pass then priced, as /v1/plan answers. Runs alternate so that load from other
# work falls on both.
set -euo pipefail
build=${1:-build}
base=${2:-}
rounds=${3:-3}
data=${NEBUTA_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run_feed() {
  local date=$1 feed=$2
  for r in $(seq "$rounds"); do
    echo "## $(basename "$feed") round $r (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ -n "$base" ]; then
      echo "base bench_raptor:"
      "$base/benchmarks/bench_raptor" --date "$date" --window-queries 1 --write-queries "$tmp/q.csv" "$feed" | head -1
    else
      "$build/benchmarks/bench_raptor" --date "$date" --window-queries 1 --write-queries "$tmp/q.csv" "$feed" > /dev/null
    fi
    echo "this bench_fare:"
    "$build/benchmarks/bench_fare" --date "$date" --queries-file "$tmp/q.csv" "$feed"
  done
}
run_feed 2026-04-08 "$data/jp-hachinohe-citybus"
run_feed 2018-07-10 "$data/us-tampa-hart-multimodal"
