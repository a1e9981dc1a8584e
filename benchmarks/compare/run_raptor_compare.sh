#!/usr/bin/env bash
# Old and new journey planner side by side, alternating, in one run (issue 10's figures).
#   benchmarks/compare/run_raptor_compare.sh [NEW_BUILD] [BASE_TREE] [ROUNDS]
# BASE_TREE is a checkout of commit 9e24251 built in BASE_TREE/build (RelWithDebInfo, as
# `make build`). That commit's benchmarks/raptor_bench.cc, with raptor_bench_9e24251.patch
# applied (thread-CPU columns, --setup: router construction time and heap bytes), is compiled
# here and linked against BASE_TREE/build's libraries, which are not rebuilt. Each round runs, per feed, the old
# binary then the new one on the same 10,000 earliest-arrival and 1,000 2-hour range queries
# (seed 42), then the new one again with --no-seated (9e24251's semantics: no stay-seated
# continuations, which issue 12 added), and prints `uptime` before each feed.
set -euo pipefail
new=${1:-build}
base=${2:-/work/base}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
data=${NEBUTA_SHARED_DATA:-$(cd "$here/../../.." && pwd)/shared/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
old_bin=$work/bench_raptor_9e24251
cp "$base/benchmarks/raptor_bench.cc" "$work/raptor_bench.cc"
patch -s "$work/raptor_bench.cc" <"$here/raptor_bench_9e24251.patch"
lib=$base/build
c++ -O2 -g -DNDEBUG -Wall -Wextra -Werror -std=c++20 \
  -I"$base/feeds/gtfs_import/include" -I"$base/feeds/gtfs/include" -I"$base/engine/timetable/include" \
  -I"$base/engine/raptor/include" "$work/raptor_bench.cc" -o "$old_bin" \
  "$lib/feeds/gtfs_import/libnebuta_gtfs_import.a" "$lib/engine/raptor/libnebuta_raptor.a" \
  "$lib/engine/timetable/libnebuta_timetable.a" -lzip
feeds=(
  "2026-04-08|$data/jp-hachinohe-citybus"
  "2018-07-10|$data/us-tampa-hart-multimodal"
  "2019-05-14|bus=$data/br-portoalegre-bus-metro-osm/gtfs-eptc-bus|metro=$data/br-portoalegre-bus-metro-osm/gtfs-trensurb-metro"
)
echo "| build | feed | query | queries | p50 µs | p90 µs | p99 µs | queries/s | CPU p50 µs | CPU p90 µs | CPU p99 µs | note |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for spec in "${feeds[@]}"; do
    IFS='|' read -r date f1 f2 <<<"$spec"
    args=(--setup --date "$date" "$f1")
    [[ -n ${f2:-} ]] && args+=("$f2")
    echo "<!-- round $round: $(uptime) -->"
    "$old_bin" "${args[@]}" | sed 's/^| /| old | /; s/^\([^|]\)/    old \1/'
    "$new/benchmarks/bench_raptor" "${args[@]}" | sed 's/^| /| new | /; s/^\([^|]\)/    new \1/'
    # The same semantics as 9e24251 (no stay-seated continuations through blocks, issue 12):
    # the figure of a like-for-like comparison. NO_SEATED=0 leaves it out.
    if [[ ${NO_SEATED:-1} != 0 ]]; then
      "$new/benchmarks/bench_raptor" --no-seated "${args[@]}" |
        sed 's/^| /| new --no-seated | /; s/^\([^|]\)/    new --no-seated \1/'
    fi
  done
done
