#!/usr/bin/env bash
# ThreadSanitizer run of the tests that use threads (make test-tsan; docs/fuzzing.md):
#   tests/tsan.sh BUILD_DIR JOBS        (BUILD_DIR configured with -DNEBUTA_TSAN=ON)
# Builds only what they need, runs them with the suppressions of tests/tsan.supp, and fails when
# any process (tests, and the `nebuta` binaries they start) wrote a report.
set -euo pipefail
build=$1 jobs=${2:-2}
src=$(cd "$(dirname "$0")/.." && pwd)

# test executable (relative to BUILD_DIR) and Catch2 test spec ("" = every case).
runs=(
  "tests/api/api_server_test|"                # HTTP server: Pistache workers, concurrent plans
  "tests/api/api_drt_server_test|"            # on-demand API: one mutex, server threads
  "tests/api/api_drt_crash_test|"             # nebuta dispatch with 4 threads and re-optimisation every second
  "tests/engine/road/road_test|road model: concurrent*"  # road model's per-thread query pool
  "tests/api/api_simulate_test|*sweep threads*"          # simulation sweeps on a thread pool
  "tests/engine/rt/rt_test|[concurrency]"                # realtime: readers while states are published
  "tests/api/api_rt_server_test|[concurrency]"           # serve --rt: requests while sources poll and push
  "tests/engine/access/access_test|[threads]"            # accessibility: origins on two worker threads
  "tests/api/api_http_gate_test|[drain]"                 # SIGTERM's drain: workers answering while the listener stops
  "tests/api/api_drt_journeys_rt_test|"                  # pushed trip updates move journey legs from HTTP threads
)
targets=(nebuta)
for r in "${runs[@]}"; do targets+=("$(basename "${r%%|*}")"); done
cmake --build "$build" -j"$jobs" --target "${targets[@]}"

# Absolute: each test runs in its own folder, and TSan's log_path is relative to the process.
logs="$(cd "$build" && pwd)/tsan-logs"
rm -rf "$logs" && mkdir -p "$logs"
export TSAN_OPTIONS="suppressions=$src/tests/tsan.supp log_path=$logs/report second_deadlock_stack=1 history_size=4"
export NEBUTA_TEST=1
failed=()
for r in "${runs[@]}"; do
  exe=${r%%|*} spec=${r#*|}
  echo "tsan: $exe ${spec:+[$spec]}"
  start=$(date +%s)
  if ! (cd "$build/$(dirname "$exe")" && "./$(basename "$exe")" ${spec:+"$spec"}); then failed+=("$exe"); fi
  echo "tsan: $exe took $(( $(date +%s) - start )) s"
done
reports=$(find "$logs" -type f | wc -l)
if [ "$reports" -ne 0 ]; then
  echo "tsan: $reports report file(s) in $logs:" >&2
  for f in "$logs"/*; do echo "== $f" >&2; grep -E '^WARNING|^    #[0-3] |^  (Write|Read|Previous|Location|Mutex)' "$f" | head -n 40 >&2; done
  exit 1
fi
if [ ${#failed[@]} -ne 0 ]; then echo "tsan: failing tests: ${failed[*]}" >&2; exit 1; fi
echo "tsan: clean"
