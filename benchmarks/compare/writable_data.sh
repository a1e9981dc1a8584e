#!/usr/bin/env bash
# Used for issue 10 to show that engine/ and api/ keep no process-wide mutable state:
#   benchmarks/compare/writable_data.sh $(find build/engine build/api -name "*.a")
# (it finds, in the 9e24251 build, the lower-bound registry and its mutex, the thread-local
# router and its id counter).
# Objects in writable data sections (.bss, .data, thread-local) of the given static libraries,
# other than the iostream initialiser and section symbols: process-wide mutable state.
for a in "$@"; do
  objdump -t -C "$a" 2>/dev/null | awk -v lib="$(basename "$a")" '
    $0 ~ /[ \t]\.(bss|data|tbss|tdata)([.][^ \t]*)?[ \t]/ && $0 !~ /\.data\.rel\.ro/ {
      if ($0 ~ /__ioinit/ || $0 ~ /DW\.ref\./) next;
      if ($NF ~ /^\.(bss|data|tbss|tdata)/ && $0 ~ / d  /) next;
      print lib ": " $0 }'
done
