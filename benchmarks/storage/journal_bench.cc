// The append latency of the dispatcher's journal, SQLite against PostgreSQL: the wall time of one
// `record` (the command is committed and synced when it returns: what a rider's booking waits
// for). The commands are a dispatcher's ordinary mix (offers, accepts, position reports, stop
// events) in their JSON form, 150-300 bytes each. Rounds alternate the backends, so both see the
// same load of the shared machine; every round writes a fresh journal. Compaction is timed too.
//   bench_journal SQLITE_PATH POSTGRESQL_URI [appends per round=1000] [rounds=4]
// benchmarks/storage/run.sh starts a PostgreSQL cluster of its own and runs this.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../bench_timing.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/pg_journal.h"

using namespace nebuta;
using namespace nebuta::dispatch;

namespace {

std::vector<command> command_mix(std::size_t n) {
  std::mt19937_64 rng{7};
  std::uniform_real_distribution<double> u(-0.05, 0.05);
  auto const place = [&] { return latlon{-30.05 + u(rng), -51.20 + u(rng)}; };
  instant now = 1'795'273'200;
  std::vector<command> out;
  for (std::size_t i = 0; out.size() < n; ++i) {
    now += 2;
    auto const r = request_idx{static_cast<std::uint32_t>(i / 4)};
    auto const v = vehicle_idx{static_cast<std::uint32_t>(i % 50)};
    switch (i % 4) {
      case 0: out.push_back(offer_cmd{now, {place(), place(), 1, 0, now + 600}}); break;
      case 1: out.push_back(accept_cmd{now, r}); break;
      case 2: out.push_back(position_cmd{now, v, place()}); break;
      default: out.push_back(stop_event_cmd{now, v, r, stop_event_kind::arrived}); break;
    }
  }
  return out;
}

struct figures {
  std::vector<double> append_us, compact_ms;
};

void round(storage::durable_journal& j, std::vector<command> const& commands, figures& f) {
  for (auto const& c : commands) {
    auto const t0 = std::chrono::steady_clock::now();
    j.record(c);
    f.append_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  road::straight_line_model const model{};
  dispatcher d{model, rules{}};  // an empty state: compaction's cost beyond the snapshot's size
  auto const t0 = std::chrono::steady_clock::now();
  j.compact(d);
  f.compact_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
}

void print(char const* name, figures const& f) {
  using bench::percentile;
  std::printf("%-10s appends %zu: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms; compaction p50 %.2f ms\n", name,
              f.append_us.size(), percentile(f.append_us, 0.5) / 1e3, percentile(f.append_us, 0.9) / 1e3,
              percentile(f.append_us, 0.99) / 1e3, percentile(f.append_us, 1.0) / 1e3, percentile(f.compact_ms, 0.5));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_journal SQLITE_PATH POSTGRESQL_URI [appends per round] [rounds]\n");
    return 2;
  }
  std::filesystem::path const sqlite_path = argv[1];
  std::string const uri = argv[2];
  auto const n = argc > 3 ? static_cast<std::size_t>(std::atoi(argv[3])) : 1000;
  auto const rounds = argc > 4 ? std::atoi(argv[4]) : 4;
  auto const commands = command_mix(n);
  figures sqlite, pg;
  for (int r = 0; r < rounds; ++r) {
    for (auto const* ext : {"", "-wal", "-shm"}) std::filesystem::remove(sqlite_path.string() + ext);
    {
      storage::sqlite_journal j{sqlite_path};
      round(j, commands, sqlite);
    }
    {
      storage::pg_journal j{uri, "bench-" + std::to_string(r)};
      round(j, commands, pg);
    }
    std::fprintf(stderr, "round %d of %d done\n", r + 1, rounds);
  }
  print("sqlite", sqlite);
  print("postgresql", pg);
  return 0;
}
