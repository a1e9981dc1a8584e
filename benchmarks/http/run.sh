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
mkdir -p "$out"
command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$build/api/nebuta" ] || { echo "run.sh: $build/api/nebuta not built" >&2; exit 1; }

"$here/queries.sh" "$feed" "$date" > "$out/queries.txt"

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
