#!/bin/sh
# Journeys runs of `nebuta simulate` (issue 16 item 6): both examples, N rounds each, with the
# wall and CPU time of the whole command (loading the feeds and the road model included) and the
# load average before each round. Usage: benchmarks/sim_journeys.sh [BUILD_DIR] [ROUNDS]
set -eu
build=${1:-build}
rounds=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for scenario in aomori-hashikami-journeys portoalegre-journeys; do
  i=1
  while [ "$i" -le "$rounds" ]; do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$build/api/nebuta" simulate \
      --scenario "$here/examples/$scenario.json" --out "$out/$scenario" > "$out/stdout"
    set -- $(cat "$out/time")
    journeys=$(sed -n 's/^journeys: \([0-9]*\) .*/\1/p' "$out/stdout")
    echo "$scenario round $i: $journeys journeys, wall $1 s, user $2 s, sys $3 s, peak RSS $4 KB, load average $load"
    i=$((i + 1))
  done
  grep '^journeys:' "$out/stdout"
done
