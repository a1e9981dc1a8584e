#!/usr/bin/env bash
# Nebuta vs the npm package raptor-journey-planner on the same random queries.
#   benchmarks/npm/run.sh [BUILD_DIR] [FEED_DIR] [DATE] [N_QUERIES]
# The package is installed outside the repository (NEBUTA_NPM_DIR, default /tmp/nebuta-npm).
set -euo pipefail
build=${1:-build}
data=${NEBUTA_SHARED_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
feed=${2:-$data/us-tampa-hart-multimodal}
date=${3:-2018-07-10}
n=${4:-1000}
npm_dir=${NEBUTA_NPM_DIR:-/tmp/nebuta-npm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -d "$npm_dir/node_modules/raptor-journey-planner" ]; then
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm init -y >/dev/null && npm install --silent raptor-journey-planner@2.2.3 >/dev/null)
fi
python3 - "$feed" "$work/feed.zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(src)):
        if f.endswith(".txt"):
            z.write(os.path.join(src, f), f)
PY
"$build/benchmarks/bench_raptor" --date "$date" --queries "$n" --window-queries 1 --write-queries "$work/q.csv" "$feed" >/dev/null
echo "nebuta --gtfs-literal:" >&2
"$build/api/nebuta" plan --feed "$feed" --date "$date" --queries "$work/q.csv" --gtfs-literal >"$work/nebuta.csv"
echo "raptor-journey-planner:" >&2
NODE_PATH="$npm_dir/node_modules" node "$(dirname "$0")/compare.js" "$work/feed.zip" "$date" "$work/q.csv" >"$work/npm.csv"
python3 - "$work/nebuta.csv" "$work/npm.csv" <<'PY'
import csv, sys
ours = {r["id"]: (r["arrival"], r["legs"]) for r in csv.DictReader(open(sys.argv[1]))}
theirs = {r["id"]: (r["arrival"], r["legs"]) for r in csv.DictReader(open(sys.argv[2]))}
n = len(ours)
same_arrival = sum(ours[i][0] == theirs[i][0] for i in ours)
same_both = sum(ours[i] == theirs[i] for i in ours)
later = sum(1 for i in ours if ours[i][0] and theirs[i][0] and int(theirs[i][0]) > int(ours[i][0]))
earlier = sum(1 for i in ours if ours[i][0] and theirs[i][0] and int(theirs[i][0]) < int(ours[i][0]))
missing = sum(1 for i in ours if ours[i][0] and not theirs[i][0])
extra = sum(1 for i in ours if theirs[i][0] and not ours[i][0])
print(f"queries {n}: same earliest arrival {same_arrival} ({100*same_arrival/n:.1f}%), same arrival and legs {same_both} "
      f"({100*same_both/n:.1f}%); package later {later}, earlier {earlier}, no answer where Nebuta has one {missing}, "
      f"answer where Nebuta has none {extra}")
PY
