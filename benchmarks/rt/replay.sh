#!/usr/bin/env bash
# A whole simulated day of realtime replayed against `nebuta serve` under wrk load (issue 14,
# Performance; results in benchmarks/RESULTS.md):
#   benchmarks/rt/replay.sh [BUILD_DIR] [PACE_SECONDS]
# 1. `nebuta rt-simulate` writes a day of 15-second TripUpdates + VehiclePositions snapshots of
#    the feed (FEED, default Hachinohe; DATE, default 2026-04-08; seed 1) into $OUT/day;
# 2. `nebuta serve` starts with the feed and two push sources (NAME-tu, NAME-vp), --rt-max-age 0
#    (recorded snapshots);
# 3. replay.py pushes the snapshots in order, one every PACE wall seconds (default 0.1: a 15 s
#    interval replayed 150 times faster), watching the state answers are built from and the
#    server's RSS; meanwhile wrk runs a fixed query set (2,000 plans of benchmarks/http/queries.sh
#    interleaved with 2,000 departure boards) for as long as the replay lasts.
# Prints wrk's figures (non-2xx must be 0) and replay.py's (stale answers must be 0, RSS flat).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
pace=${2:-0.1}
feed=${FEED:-$root/../shared/data/jp-hachinohe-citybus}
name=${NAME:-hachinohe}
date=${DATE:-2026-04-08}
port=${PORT:-18641}
connections=${CONNECTIONS:-8}
server_threads=${SERVER_THREADS:-2}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "replay.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
bin="$build/api/nebuta"
[ -x "$bin" ] || { echo "replay.sh: $bin not built" >&2; exit 1; }

if [ ! -f "$out/day/index.csv" ]; then
  echo "== rt-simulate $feed $date -> $out/day" >&2
  "$bin" rt-simulate --feed "$name=$feed" --date "$date" --out "$out/day" --every 15s --seed 1 >&2
fi
snapshots=$(($(wc -l < "$out/day/index.csv") - 1))

# The query set: plans and departure boards, one path a line, the same every run.
"$root/benchmarks/http/queries.sh" "$feed" "$date" > "$out/plans.txt"
awk -F, -v date="$date" 'NR > 1 { gsub(/"/, "", $1); if ($9 == "" || $9 ~ /0/) ids[n++] = $1 }
  END { srand(7); for (i = 0; i < 2000; i++)
          printf "/v1/stops/%s/departures?date=%s&time=%02d:%02d&n=10\n", ids[int(rand() * n)], date, 6 + int(rand() * 15), int(rand() * 60) }' \
  "$feed/stops.txt" > "$out/departures.txt"
paste -d'\n' "$out/plans.txt" "$out/departures.txt" > "$out/queries.txt"

head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$out/token"
"$bin" serve --feed "$name=$feed" --address 127.0.0.1 --port "$port" --threads "$server_threads" --quiet \
  --rt "$name-tu=push" --rt "$name-vp=push" --rt-max-age 0 --operator-token-file "$out/token" \
  --max-body $((8 * 1024 * 1024)) 2> "$out/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

duration=$(awk -v n="$snapshots" -v p="$pace" 'BEGIN { printf "%d", n * p + 2 }')
echo "== $snapshots snapshots at one per ${pace}s (~${duration}s) with wrk -c$connections on plans and departures; load: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$root/benchmarks/http/plan.lua" "http://127.0.0.1:$port" \
  -- "$out/queries.txt" > "$out/wrk.txt" 2>&1 &
wrk_pid=$!
python3 "$here/replay.py" --port "$port" --dir "$out/day" --token-file "$out/token" --source "$name" --pace "$pace" \
  --pid "$server" --out "$out/replay.json"
wait "$wrk_pid"
echo "== wrk (plans and departures, during the replay)"
grep -E "^(requests|p[0-9]|max|Non-2xx|  Socket)" "$out/wrk.txt" || true
if grep -q "Non-2xx" "$out/wrk.txt"; then echo "replay.sh: non-2xx answers" >&2; exit 1; fi
curl -s "http://127.0.0.1:$port/healthz"; echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); files in $out"
