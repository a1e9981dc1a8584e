#!/usr/bin/env bash
# Side-by-side HTTP benchmark of two `nebuta` builds on the Hachinohe feed, alternating them so
# that both see the same machine load: keep-alive plans (/v1/plan, the fixed query set of
# run.sh) and /healthz with wrk, ROUNDS times each. Besides requests/s and latency it reports
# the server's CPU time per request (all its threads, from /proc/PID/task/*/schedstat), which
# other jobs on the machine do not change much: the figure to compare on a busy machine.
#   benchmarks/http/compare.sh OLD_BUILD NEW_BUILD [ROUNDS] [DURATION] [CONNECTIONS]
#   e.g. benchmarks/http/compare.sh /work/base/build build 3 10s 32
# Needs wrk (apt-get install wrk; benchmark-only). One build alone: give the same dir twice.
# Server threads: SERVER_THREADS (2), wrk threads: WRK_THREADS (2); both on the same cores as
# the server, as in run.sh. The load average is printed before and after.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
old=${1:?old build dir}
new=${2:?new build dir}
rounds=${3:-3}
duration=${4:-10s}
connections=${5:-32}
threads=${WRK_THREADS:-2}
server_threads=${SERVER_THREADS:-2}
feed=${FEED:-$root/../shared/data/jp-hachinohe-citybus}
date=${DATE:-2026-04-08}
port=${PORT:-18651}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "compare.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
for b in "$old" "$new"; do
  [ -x "$b/api/nebuta" ] || { echo "compare.sh: $b/api/nebuta not built" >&2; exit 1; }
done
"$here/queries.sh" "$feed" "$date" > "$out/queries.txt"

# CPU time in nanoseconds of every thread of a process so far.
cpu_ns() {
  local total=0 t
  for t in /proc/"$1"/task/*/schedstat; do
    read -r ns _ < "$t" 2>/dev/null || continue
    total=$((total + ns))
  done
  echo "$total"
}

server=""
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
trap stop_server EXIT

start_server() {
  "$1/api/nebuta" serve --feed "$feed" --address 127.0.0.1 --port "$port" --threads "$server_threads" --quiet \
    > /dev/null 2> "$out/server.log" &
  server=$!
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "compare.sh: server of $1 did not start" >&2
  exit 1
}

# measure LABEL SCRIPT [ARGS...]: one wrk run; prints a result line.
measure() {
  local label=$1 script=$2
  shift 2
  local c0 c1 res
  c0=$(cpu_ns "$server")
  res=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "http://127.0.0.1:$port" -- "$@")
  c1=$(cpu_ns "$server")
  echo "$res" | awk -v label="$label" -v cpu=$((c1 - c0)) '
    /^requests:/ { n = $2 } /^requests\/s:/ { rps = $2 } /^p50:/ { p50 = $2 } /^p99:/ { p99 = $2 }
    /non-2xx:/ { for (i = 1; i <= NF; i++) if ($i == "non-2xx:") bad = $(i + 1) }
    /status [0-9]+ timeout/ { for (i = 1; i <= NF; i++) if ($i == "status") bad = $(i + 1) }
    END { printf "%-28s %10s req/s  p50 %7s ms  p99 %7s ms  server CPU %7.1f us/request  requests %d  non-2xx %s\n",
                 label, rps, p50, p99, (n > 0 ? cpu / n / 1000 : 0), n, (bad == "" ? 0 : bad) }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "queries: $out/queries.txt; $rounds rounds of $duration, $connections keep-alive connections, wrk -t$threads, server --threads $server_threads"
: > "$out/results.txt"
for round in $(seq "$rounds"); do
  for which in old new; do
    dir=$old
    [ "$which" = new ] && dir=$new
    start_server "$dir"
    # Warm-up: every server thread builds its router on its first plan.
    wrk -t"$threads" -c"$connections" -d2s -s "$here/plan.lua" "http://127.0.0.1:$port" -- "$out/queries.txt" >/dev/null
    measure "round $round $which /v1/plan" "$here/plan.lua" "$out/queries.txt" | tee -a "$out/results.txt"
    measure "round $round $which /healthz" "$here/healthz.lua" | tee -a "$out/results.txt"
    stop_server
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  { which = $3; what = $4; rps[which " " what] += $5; cpu[which " " what] += $15; n[which " " what]++ }
  END {
    for (k in n) printf "mean %-20s %10.0f req/s  server CPU %7.1f us/request\n", k, rps[k] / n[k], cpu[k] / n[k]
  }' "$out/results.txt" | sort
echo "results: $out/results.txt"
