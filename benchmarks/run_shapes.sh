#!/usr/bin/env bash
# Shapes on Tampa: import time and snapshot size of two builds, run alternately, and the
# /v1/plan JSON of the longest journey across Tampa (benchmarks/RESULTS.md, "Shapes").
#   BASE_BUILD=/work/base/build NEW_BUILD=build benchmarks/run_shapes.sh
set -u
B=${BASE_BUILD:-/work/base/build}; N=${NEW_BUILD:-build}
T=${NEBUTA_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}/us-tampa-hart-multimodal
uptime
for i in 1 2 3; do
  for v in base new; do
    d=$([ $v = base ] && echo $B || echo $N)
    /usr/bin/time -f "$v import: %e s wall, %U s user, %M KiB peak" $d/api/nebuta import --feed tampa=$T -o /tmp/shapes-$v.bin >/dev/null 2>/tmp/shapes-time-$v.txt; tail -1 /tmp/shapes-time-$v.txt
  done
done
ls -l /tmp/shapes-base.bin /tmp/shapes-new.bin
for v in base new; do
  d=$([ $v = base ] && echo $B || echo $N)
  echo "$v bench_load: $($d/benchmarks/bench_load --runs 5 tampa=$T)"
done
for v in base new; do
  d=$([ $v = base ] && echo $B || echo $N)
  $d/api/nebuta plan --snapshot /tmp/shapes-$v.bin --from 7761 --to 7887 --date 2018-07-10 --depart 07:00 --format json > /tmp/shapes-plan-$v.json
  echo "$v plan json bytes: $(wc -c < /tmp/shapes-plan-$v.json), gzip -6: $(gzip -6 -c /tmp/shapes-plan-$v.json | wc -c)"
done
uptime
# The new answer with and without its geometry objects, printed alike.
python3 - /tmp/shapes-plan-new.json <<'PY'
import gzip, json, sys
b = json.load(open(sys.argv[1]))
strip = lambda x: {k: strip(v) for k, v in x.items() if k != 'geometry'} if isinstance(x, dict) else [strip(v) for v in x] if isinstance(x, list) else x
f = lambda o: json.dumps(o, separators=(',', ':'), ensure_ascii=False).encode()
w, wo = f(b), f(strip(b))
legs = [l['geometry'] for j in b['journeys'] for l in j['legs'] if 'geometry' in l]
print(f"plan JSON with geometry {len(w)} bytes, without {len(wo)}, gzip -6 {len(gzip.compress(w, 6))} / {len(gzip.compress(wo, 6))}; "
      f"{len(b['journeys'])} journeys, {len(legs)} rides, {sum(g['points'] for g in legs)} points, {sum(len(g['polyline']) for g in legs)} polyline chars")
PY
