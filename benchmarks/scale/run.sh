#!/usr/bin/env bash
# Scale benchmark: Tampa (us-tampa-hart-multimodal) tiled COPIES times (default 20: ~47 k stops,
# ~8.7 M stop times) into a temporary directory, then load, snapshot, index and 2,000 random
# earliest-arrival queries (bench_scale). Nothing is kept: the tiled feed is deleted at the end.
#   benchmarks/scale/run.sh [BUILD_DIR] [COPIES] [bench_scale options, e.g. --rides-round 0]
set -euo pipefail
build=${1:-build}
copies=${2:-20}
shift $(( $# < 2 ? $# : 2 ))
here=$(cd "$(dirname "$0")" && pwd)
data=${NEBUTA_SHARED_DATA:-$(cd "$here/../../.." && pwd)/shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/tile_feed.py" --copies "$copies" "$data/us-tampa-hart-multimodal" "$tmp/tampa-x$copies"
"$build/benchmarks/bench_scale" --date 2018-07-10 --queries 2000 "$@" "$tmp/tampa-x$copies"
