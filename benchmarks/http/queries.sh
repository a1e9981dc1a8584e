#!/usr/bin/env bash
# The plan query set of the HTTP benchmarks: 2,000 random pairs of stops of the feed (awk's
# srand(42), so the same set every time), departing 06:00-20:59 on DATE, one path a line.
#   benchmarks/http/queries.sh FEED_DIR DATE > queries.txt
set -euo pipefail
feed=${1:?feed folder}
date=${2:?date}
awk -F, -v date="$date" 'NR > 1 { gsub(/"/, "", $1); if ($9 == "" || $9 ~ /0/) ids[n++] = $1 }
  END { srand(42); for (i = 0; i < 2000; i++) {
          a = ids[int(rand() * n)]; b = ids[int(rand() * n)];
          printf "/v1/plan?from=%s&to=%s&date=%s&depart=%02d:%02d\n", a, b, date, 6 + int(rand() * 15), int(rand() * 60) } }' \
  "$feed/stops.txt"
