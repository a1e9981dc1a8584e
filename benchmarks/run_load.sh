#!/usr/bin/env bash
# Load benchmark over every GTFS feed in ../shared/data (one process per feed set).
#   benchmarks/run_load.sh [BUILD_DIR]    prints a markdown table
set -euo pipefail
build=${1:-build}
data=${NEBUTA_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
bin="$build/benchmarks/bench_load"
echo "| feed | stop_times rows | compiled stop times | parse+compile s (median of 5) | snapshot load s | speed-up | snapshot bytes | bytes/stop_time row | bytes/compiled stop time | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for f in jp-hachinohe-citybus jp-hakodate-citytram jp-kobe-portliner-unofficial jp-yamanashi-bus-2019 \
         us-tampa-hart-multimodal us-dc-wmata-metrorail mx-cdmx-multimodal-frequencies \
         br-saopaulo-frequencies-osm/gtfs-sptrans-sample us-ctran-flex us-aspen-flex-on-demand \
         caltrain=rt-samples/us-caltrain/gtfs bart=rt-samples/us-bart/gtfs; do
  case $f in *=*) "$bin" --runs 5 "${f%%=*}=$data/${f#*=}" ;; *) "$bin" --runs 5 "$data/$f" ;; esac
done
"$bin" --runs 5 "$data/br-portoalegre-bus-metro-osm/gtfs-eptc-bus" "$data/br-portoalegre-bus-metro-osm/gtfs-trensurb-metro"
"$bin" --runs 5 "$data/us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex" \
  "$data/us-cobbcounty-flex-osm/cobblinc-bus-30-only" "$data/us-cobbcounty-flex-osm/marta-bus-856-only"
