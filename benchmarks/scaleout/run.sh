#!/usr/bin/env bash
# Planner replicas behind the shipped deploy/nginx.conf (docs/deployment.md): plans/s through
# nginx with 1, 2 and 3 `nebuta serve --snapshot` replicas (and 3 forked by one `serve --replicas 3`),
# the memory of each replica (VmRSS,
# and Rss/Pss/shared/private from /proc/PID/smaps_rollup), and the time a replica takes to drain
# on SIGTERM while it is under load. Needs wrk and Debian's nginx.
#   benchmarks/scaleout/run.sh [BUILD_DIR] [DURATION] [CONNECTIONS]
# SERVER_THREADS (default 1) threads per replica, FEED (default Hachinohe), DATE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
duration=${2:-15s}
connections=${3:-32}
server_threads=${SERVER_THREADS:-1}
feed=${FEED:-$root/../shared/data/jp-hachinohe-citybus}
date=${DATE:-2026-04-08}
out=${OUT:-$(mktemp -d)}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$nginx" ] || { echo "run.sh: nginx not found (apt-get install nginx)" >&2; exit 1; }
[ -x "$build/api/nebuta" ] || { echo "run.sh: $build/api/nebuta not built" >&2; exit 1; }
mkdir -p "$out" && chmod 755 "$out"  # nginx's workers (www-data when run as root) read and write below it
mkdir -p "$out/nginx"
chmod 755 "$out/nginx"

"$build/api/nebuta" import --feed "$feed" -o "$out/tt.snapshot" 2>/dev/null
"$root/benchmarks/http/queries.sh" "$feed" "$date" > "$out/queries.txt"
echo "snapshot: $(stat -c %s "$out/tt.snapshot") bytes; queries: $out/queries.txt; cores: $(nproc)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# deploy/nginx.conf with its files in $out/nginx, listening on $1, balancing the ports $2...
nginx_conf() {
  local listen=$1
  shift
  awk -v dir="$out/nginx" -v listen="$listen" -v ports="$*" '
    /# @path$/ { for (i = 1; i <= NF; i++) if ($i ~ /^\//) { n = split($i, p, "/"); sub(/;$/, "", p[n]); $i = dir "/" p[n] (($i ~ /;$/) ? ";" : "") } print; next }
    /# @listen$/ { print "    listen 127.0.0.1:" listen ";"; next }
    /# @replica$/ { if (!done) { split(ports, ps, " "); for (k in ps) { line = $0; sub(/127\.0\.0\.1:[0-9]+/, "127.0.0.1:" ps[k], line); sub(/#.*/, "", line); print line } done = 1 } next }
    { print }' "$root/deploy/nginx.conf"
}

pids=()
proxy=""
supervisor=""
stop_all() {
  [ -n "$proxy" ] && kill -TERM "$proxy" 2>/dev/null && wait "$proxy" 2>/dev/null || true
  proxy=""
  if [ -n "$supervisor" ]; then
    kill -TERM "$supervisor" 2>/dev/null || true
    wait "$supervisor" 2>/dev/null || true
    supervisor=""
    pids=()
  fi
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

# Starts $1 replicas and nginx in front of them; sets pids, proxy, listen. With $2 = forked:
# one `nebuta serve --replicas $1` (one load, the replicas forked from it), else $1 processes.
start() {
  local ports=()
  if [ "${2:-}" = forked ]; then
    local base
    base=$(python3 -c 'import socket,random
while True:
  b = random.randint(20000, 60000); ok = True
  for p in range(b, b + '"$1"'):
    s = socket.socket()
    try: s.bind(("127.0.0.1", p))
    except OSError: ok = False
    s.close()
  if ok: print(b); break')
    "$build/api/nebuta" serve --snapshot "$out/tt.snapshot" --address 127.0.0.1 --port "$base" --replicas "$1" \
      --threads "$server_threads" --trusted-proxy 127.0.0.1 --rate-limit 0 --quiet 2> "$out/forked.log" &
    supervisor=$!
    for i in $(seq 0 $(($1 - 1))); do ports+=($((base + i))); done
  else
    for i in $(seq "$1"); do
      local port
      port=$(free_port)
      "$build/api/nebuta" serve --snapshot "$out/tt.snapshot" --address 127.0.0.1 --port "$port" \
        --threads "$server_threads" --trusted-proxy 127.0.0.1 --rate-limit 0 --quiet 2> "$out/replica$i.log" &
      pids+=($!)
      ports+=("$port")
    done
  fi
  for port in "${ports[@]}"; do
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  done
  if [ "${2:-}" = forked ]; then
    mapfile -t pids < <(grep -o 'replica [0-9]* is process [0-9]*' "$out/forked.log" | awk '{print $5}')
  fi
  listen=$(free_port)
  nginx_conf "$listen" "${ports[@]}" > "$out/nginx/nginx.conf"
  "$nginx" -p "$out/nginx/" -c "$out/nginx/nginx.conf" -e "$out/nginx/startup.log" -g 'daemon off;' &
  proxy=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$listen/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
}

memory() {
  for p in "${pids[@]}"; do
    local rss
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status")
    awk -v pid="$p" -v rss="$rss" '
      /^Rss:/ {r=$2} /^Pss:/ {ps=$2} /^Shared_Clean:/ {sc=$2} /^Shared_Dirty:/ {sd=$2}
      /^Private_Clean:/ {pc=$2} /^Private_Dirty:/ {pd=$2}
      END { printf "  replica %s: VmRSS %.1f MiB, Pss %.1f MiB, shared %.1f MiB, private %.1f MiB\n", pid, rss/1024, ps/1024, (sc+sd)/1024, (pc+pd)/1024 }' \
      "/proc/$p/smaps_rollup"
  done
}

for run in 1 2 3 "3 forked"; do
  # shellcheck disable=SC2086
  start $run
  curl -sf "http://127.0.0.1:$listen$(head -1 "$out/queries.txt")" >/dev/null  # warm
  echo "== $run replica(s) x $server_threads thread(s) behind nginx, $connections connections, $duration; load before: $(loadavg)"
  wrk -t2 -c"$connections" -d"$duration" --latency -s "$root/benchmarks/http/plan.lua" "http://127.0.0.1:$listen" \
    -- "$out/queries.txt" | grep -E "^(requests|p50|p99|Non-2xx|  Socket)" || true
  echo "  load after: $(loadavg)"
  memory
  stop_all
done

# Drain: 2 replicas under load; SIGTERM to one, timed until it has exited.
start 2
wrk -t2 -c"$connections" -d10s -s "$root/benchmarks/http/plan.lua" "http://127.0.0.1:$listen" -- "$out/queries.txt" \
  > "$out/drain-wrk.txt" &
loader=$!
sleep 4
victim=${pids[0]}
t0=$(date +%s.%N)
kill -TERM "$victim"
wait "$victim" || true
t1=$(date +%s.%N)
pids=("${pids[@]:1}")
wait "$loader" || true
echo "== drain under load: SIGTERM to exit $(awk -v a="$t0" -v b="$t1" "BEGIN {printf \"%.3f\", b - a}") s; load: $(loadavg)"
grep "drained in" "$out/replica1.log" | sed 's/^/  /'
grep -E "^(requests|Non-2xx|  Socket)" "$out/drain-wrk.txt" | sed 's/^/  wrk: /' || true
