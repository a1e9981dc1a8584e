#!/usr/bin/env bash
# HTTP benchmark of `nebuta serve` on the Hachinohe feed with wrk (apt-get install wrk; a
# benchmark-only package, not installed by `make test`).
#   benchmarks/http/run.sh [BUILD_DIR] [DURATION] [CONNECTIONS]
# Writes random plan queries (fixed seed) to $OUT/queries.txt, starts the server on a free
# loopback port, runs wrk on /v1/plan and then on /healthz, and stops the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
duration=${2:-10s}
connections=${3:-32}
threads=${WRK_THREADS:-2}
server_threads=${SERVER_THREADS:-2}
feed=${FEED:-$root/../shared/data/jp-hachinohe-citybus}
date=${DATE:-2026-04-08}
port=${PORT:-18631}
out=${OUT:-$(mktemp -d)}
command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$build/api/nebuta" ] || { echo "run.sh: $build/api/nebuta not built" >&2; exit 1; }

# 2,000 random queries between stops of the feed, departing 06:00-20:59 (awk's srand(42)).
awk -F, -v date="$date" 'NR > 1 { gsub(/"/, "", $1); if ($9 == "" || $9 ~ /0/) ids[n++] = $1 }
  END { srand(42); for (i = 0; i < 2000; i++) {
          a = ids[int(rand() * n)]; b = ids[int(rand() * n)];
          printf "/v1/plan?from=%s&to=%s&date=%s&depart=%02d:%02d\n", a, b, date, 6 + int(rand() * 15), int(rand() * 60) } }' \
  "$feed/stops.txt" > "$out/queries.txt"

"$build/api/nebuta" serve --feed "$feed" --address 127.0.0.1 --port "$port" --threads "$server_threads" --quiet \
  2> "$out/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

echo "== /v1/plan, Hachinohe, ${connections} connections, ${duration} (queries: $out/queries.txt)"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/plan.lua" "http://127.0.0.1:$port" -- "$out/queries.txt" \
  | grep -E "^(requests|p[0-9]|max|Non-2xx|  Socket)" || true
echo "== /healthz, ${connections} connections, ${duration}"
wrk -t"$threads" -c"$connections" -d"$duration" -s "$here/healthz.lua" "http://127.0.0.1:$port" \
  | grep -E "^(requests|p[0-9]|Non-2xx|  Socket)" || true
curl -s "http://127.0.0.1:$port/metrics" | grep -E 'requests_total' > "$out/metrics.txt" || true
echo "metrics: $out/metrics.txt"
