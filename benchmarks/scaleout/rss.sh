#!/usr/bin/env bash
# Memory per planner replica: N separately started `nebuta serve --snapshot FILE` processes (or,
# with FORKED=1, one `serve --replicas N`), each warmed by WARM of plan queries (wrk straight to
# its port, one after the other), then VmRSS (/proc/PID/status) and Rss, Pss, Shared_* and
# Private_* (/proc/PID/smaps_rollup) of each, and of the snapshot file's own mapping (the
# smaps entry of FILE: what the replicas share through the page cache).
#   benchmarks/scaleout/rss.sh NEBUTA_BINARY SNAPSHOT FEED_DIR DATE [N] [WARM]
# Prints one markdown row per replica. Needs wrk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:?nebuta binary}
snapshot=$(realpath "${2:?snapshot file}")
feed=${3:?feed folder (for the query set)}
date=${4:?date}
n=${5:-3}
warm=${6:-5s}
out=$(mktemp -d)
command -v wrk >/dev/null || { echo "rss.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
"$root/benchmarks/http/queries.sh" "$feed" "$date" > "$out/queries.txt"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
supervisor=""
stop_all() {
  if [ -n "$supervisor" ]; then kill -TERM "$supervisor" 2>/dev/null || true; wait "$supervisor" 2>/dev/null || true; fi
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$out"
}
trap stop_all EXIT

ports=()
if [ "${FORKED:-0}" = 1 ]; then
  base=$(free_port)
  "$bin" serve --snapshot "$snapshot" --address 127.0.0.1 --port "$base" --replicas "$n" --threads 1 \
    --rate-limit 0 --quiet 2> "$out/forked.log" &
  supervisor=$!
  for i in $(seq 0 $((n - 1))); do ports+=($((base + i))); done
else
  for i in $(seq "$n"); do
    port=$(free_port)
    "$bin" serve --snapshot "$snapshot" --address 127.0.0.1 --port "$port" --threads 1 --rate-limit 0 --quiet \
      2> "$out/replica$i.log" &
    pids+=($!)
    ports+=("$port")
  done
fi
for port in "${ports[@]}"; do
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
done
if [ "${FORKED:-0}" = 1 ]; then
  mapfile -t pids < <(grep -o 'replica [0-9]* is process [0-9]*' "$out/forked.log" | awk '{print $5}')
fi
for port in "${ports[@]}"; do
  wrk -t1 -c4 -d"$warm" -s "$root/benchmarks/http/plan.lua" "http://127.0.0.1:$port" -- "$out/queries.txt" \
    | grep -E "^requests:" | sed "s/^/  port $port: /" >&2
done

echo "| replica | VmRSS MiB | Rss MiB | Pss MiB | shared MiB | private MiB | snapshot mapping: Rss / Pss MiB |"
echo "|---|---|---|---|---|---|---|"
for p in "${pids[@]}"; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status")
  # The snapshot's own mapping, if the process maps it (after the change), else 0.
  file_mem=$(awk -v f="$snapshot" '
    /^[0-9a-f]+-[0-9a-f]+ / { in_file = ($6 == f) }
    in_file && /^Rss:/ {r += $2} in_file && /^Pss:/ {ps += $2}
    END { printf "%.1f / %.1f", r/1024, ps/1024 }' "/proc/$p/smaps")
  awk -v pid="$p" -v rss="$rss" -v file_mem="$file_mem" '
    /^Rss:/ {r=$2} /^Pss:/ {ps=$2} /^Shared_Clean:/ {sc=$2} /^Shared_Dirty:/ {sd=$2}
    /^Private_Clean:/ {pc=$2} /^Private_Dirty:/ {pd=$2}
    END { printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s |\n", pid, rss/1024, r/1024, ps/1024, (sc+sd)/1024, (pc+pd)/1024, file_mem }' \
    "/proc/$p/smaps_rollup"
done
