#!/usr/bin/env bash
# Journey-planner benchmark: 10,000 random earliest-arrival queries (seed 42) and 1,000 2-hour
# range queries per feed set, single-threaded.   benchmarks/run_raptor.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
data=${NEBUTA_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
bin="$build/benchmarks/bench_raptor"
echo "| feed | query | queries | p50 µs | p90 µs | p99 µs | queries/s | note |"
echo "|---|---|---|---|---|---|---|---|"
"$bin" --date 2026-04-08 "$data/jp-hachinohe-citybus"
"$bin" --date 2018-07-10 "$data/us-tampa-hart-multimodal"
"$bin" --date 2019-05-14 "bus=$data/br-portoalegre-bus-metro-osm/gtfs-eptc-bus" "metro=$data/br-portoalegre-bus-metro-osm/gtfs-trensurb-metro"
