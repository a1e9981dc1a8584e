#!/usr/bin/env bash
# The road benchmark of two builds side by side, alternating so that both see the same load:
#   benchmarks/run_road.sh OLD_BENCH NEW_BENCH [ROUNDS] [OLD_PAIRS_BENCH]
# - ROUNDS rounds (default 3) of one bench_road table row per extract, old then new;
# - 2,000 random pairs of Porto Alegre (bench_road --write-pairs) through both builds' --pairs
#   (OLD_PAIRS_BENCH: an old build that has --pairs, e.g. this bench_road.cc compiled against the
#   old library, see benchmarks/RESULTS.md), ROUNDS times each, alternating, with a check that
#   the travel times of every pair agree.
# Prints the load average first; the per-pair CSV files go to $OUT (default /tmp/road-bench).
set -euo pipefail
old=$1
new=$2
rounds=${3:-3}
old_pairs=${4:-}
out=${OUT:-/tmp/road-bench}
data=$(cd "$(dirname "$0")/../../shared/data" && pwd)
poa=$data/br-portoalegre-bus-metro-osm/poa_osm.pbf
cobb=$data/us-cobbcounty-flex-osm/cobb-county.filtered.osm.pbf
mkdir -p "$out"
echo "load: $(uptime)"
"$new" --header "$poa" | head -2
for r in $(seq "$rounds"); do
  for pbf in "$poa" "$cobb"; do
    echo "old $("$old" "$pbf")"
    echo "new $("$new" "$pbf")"
  done
done
if [ -n "$old_pairs" ]; then
  "$new" --write-pairs 2000 "$poa" > "$out/poa_pairs.csv"
  for r in $(seq "$rounds"); do
    echo -n "old "; "$old_pairs" --pairs "$out/poa_pairs.csv" "$poa" 2>&1 > "$out/old_times_$r.csv"
    echo -n "new "; "$new" --pairs "$out/poa_pairs.csv" "$poa" 2>&1 > "$out/new_times_$r.csv"
  done
  if cmp -s <(cut -d, -f1-5 "$out/old_times_1.csv") <(cut -d, -f1-5 "$out/new_times_1.csv"); then
    echo "travel times of every pair: identical; pairs whose metres differ:" \
      "$(diff <(cut -d, -f6 "$out/old_times_1.csv") <(cut -d, -f6 "$out/new_times_1.csv") | grep -c '^<' || true)"
  else
    echo "travel times differ:"; diff <(cut -d, -f1-5 "$out/old_times_1.csv") <(cut -d, -f1-5 "$out/new_times_1.csv") | head
    exit 1
  fi
fi
echo "load: $(uptime)"
