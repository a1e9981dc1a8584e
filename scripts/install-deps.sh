#!/usr/bin/env bash
# Installs the Debian packages Nebuta's build and tests need, and only those that are missing.
# Works as root on a bare Debian 12 machine; elsewhere it uses sudo when it has to install.
set -euo pipefail

packages=(
  g++ cmake make pkg-config           # toolchain
  catch2                              # tests (Catch2 v2)
  libzip-dev                          # reading .zip feeds
  nlohmann-json3-dev                  # JSON output of the CLI
  libcli11-dev                        # command-line parsing
  libprotobuf-dev protobuf-compiler   # API schema (proto/nebuta/v1), JSON and binary protobuf
  libpistache-dev                     # HTTP server (`nebuta serve`)
  libboost-dev libboost-graph-dev     # road graph (Boost.Graph CSR, SCC) and snapping (Boost.Geometry R-tree)
  libosmium2-dev libprotozero-dev zlib1g-dev  # reading .osm.pbf (feeds/osm)
  libsqlite3-dev                      # the dispatcher's durable command journal (api/storage)
  libpq-dev                           # its journal in PostgreSQL (nebuta dispatch --db postgresql://...)
  postgresql                          # initdb/pg_ctl for the tests' own PostgreSQL cluster (tests/support/pg_cluster.h)
  libhowardhinnant-date-dev tzdata    # time zones (engine/core: date/tz on the system tz database)
  libicu-dev                          # search (engine/search): NFKC, Hiragana-/Hangul-Latin, Simplified-Traditional
  libssl-dev                          # rider tokens of the on-demand API (HMAC-SHA256, OpenSSL libcrypto)
  libcurl4-openssl-dev                # GTFS-RT sources of `nebuta serve --rt` (http://, https://, conditional GET)
  clang libclang-rt-14-dev            # fuzz targets (libFuzzer, ASan, UBSan runtimes; make test runs them briefly)
  clang-format                        # make format / make format-check (.clang-format)
  libjs-leaflet                       # the web app's map, served by `nebuta serve` at /vendor/leaflet/
  nodejs                              # the web app's JavaScript unit tests (node --test)
  chromium chromium-driver python3-selenium  # the web app in a real, headless browser (tests/web)
  fonts-noto-cjk                      # Japanese, Chinese and Korean glyphs in its screenshots
  nginx                               # the load balancer of deploy/nginx.conf, run by tests/deploy (own prefix, not the service)
)
# Benchmark-only, not installed here: wrk (apt-get install wrk) for benchmarks/http/run.sh.
# Regeneration-only, not installed here: opencc (apt-get install opencc) for scripts/gen-japanese-forms.py.

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent (fresh image) or stale: refresh them before installing.
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
