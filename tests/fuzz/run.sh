#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its seed corpus, with ASan+UBSan (the build's).
#   run.sh BINARY SECONDS SEED_DIR BUILD_DIR
# New inputs go to BUILD_DIR/corpus/<target>/ (the seeds are only read), crashes, leaks and
# timeouts to BUILD_DIR/crashes/<target>/, libFuzzer's log to BUILD_DIR/fuzz-logs/<target>.log.
# The last lines of the log (executions, cov, ft) are printed. Exit status: libFuzzer's (0 when
# nothing was found).
set -euo pipefail
binary=$1 seconds=$2 seeds=$3 build=$4
name=$(basename "$binary")
mkdir -p "$build/corpus/$name" "$build/crashes/$name" "$build/fuzz-logs"
log="$build/fuzz-logs/$name.log"
# A request that takes more than 10 s is a hang (the house rule: bad input never hangs).
set +e
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="$build/crashes/$name/" "$build/corpus/$name" "$seeds" >"$log" 2>&1
status=$?
set -e
grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 2 || true
grep -E '^stat::' "$log" || true
if [ "$status" -ne 0 ]; then
  echo "fuzz: $name failed (status $status); log $log, inputs in $build/crashes/$name/" >&2
  grep -E -A40 'ERROR: |runtime error|deadly signal|Test unit written' "$log" | head -n 80 >&2 || true
fi
exit "$status"
