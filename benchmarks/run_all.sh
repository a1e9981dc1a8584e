#!/usr/bin/env bash
# Every benchmark; results belong in benchmarks/RESULTS.md with the command that produced them.
set -euo pipefail
build=${1:-build}
here=$(dirname "$0")
"$here/run_load.sh" "$build"
if [ -x "$here/run_raptor.sh" ] && [ -x "$build/benchmarks/bench_raptor" ]; then "$here/run_raptor.sh" "$build"; fi
