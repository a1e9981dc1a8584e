#!/usr/bin/env bash
# Append latency of the dispatcher's journal: SQLite (WAL, synchronous=FULL) against PostgreSQL
# (synchronous_commit=on, fsync on: the server's defaults), both on the same disk under $TMPDIR.
# Starts a PostgreSQL cluster of its own (initdb/pg_ctl of the Debian package, run as the
# `postgres` user when root) on a free loopback port, and stops it at the end.
#   benchmarks/storage/run.sh [build dir=build] [appends per round=1000] [rounds=4]
set -euo pipefail
build=${1:-build}
n=${2:-1000}
rounds=${3:-4}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d "${TMPDIR:-/tmp}/nebuta-journal-bench.XXXXXX")
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$work"
  as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as[@]}" "$bin/initdb" -D "$work/data" -U nebuta -A trust -E UTF8 --locale=C >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
"$build/benchmarks/bench_journal" "$work/journal.sqlite" "postgresql://nebuta@127.0.0.1:$port/postgres" "$n" "$rounds"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
