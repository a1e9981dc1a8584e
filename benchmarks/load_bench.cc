// Parse + compile time, snapshot size and load time, and peak RSS for one set of feeds.
// Run one process per feed set (benchmarks/run_load.sh) so that peak RSS belongs to that set.
//   bench_load [--runs N] FEED [FEED ...]      prints one markdown table row
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "nebuta/api/timetable_source.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/snapshot.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<nebuta::gtfs_import::feed_spec> feeds;
  std::string label;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      feeds.push_back(nebuta::gtfs_import::parse_feed_arg(argv[i]));
      label += (label.empty() ? "" : " + ") + feeds.back().name;
    }
  }
  if (feeds.empty()) {
    std::fprintf(stderr, "usage: bench_load [--runs N] FEED [FEED ...]\n");
    return 2;
  }

  std::vector<double> load_times;
  nebuta::timetable tt;
  for (int r = 0; r < runs; ++r) {
    auto const t0 = std::chrono::steady_clock::now();
    auto result = nebuta::gtfs_import::load(feeds);
    load_times.push_back(seconds_since(t0));
    tt = std::move(result.tt);
  }
  auto const bytes = nebuta::write_snapshot(tt);
  auto const file = std::filesystem::temp_directory_path() / ("nebuta-bench-" + std::to_string(::getpid()) + ".bin");
  nebuta::api::write_file_bytes(file, bytes);
  std::vector<double> snapshot_times;
  std::size_t check = 0;
  for (int r = 0; r < runs; ++r) {
    // From the file, as `--snapshot` does (the file is in the page cache after the first run).
    auto const t0 = std::chrono::steady_clock::now();
    auto const loaded = nebuta::read_snapshot(nebuta::api::read_file_bytes(file));
    snapshot_times.push_back(seconds_since(t0));
    check += loaded.n_stop_times();  // keeps the load from being optimised away
  }
  std::filesystem::remove(file);
  if (check != tt.n_stop_times() * static_cast<std::size_t>(runs)) return 1;

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::uint64_t rows = 0;
  for (auto const& f : tt.feed_stats) rows += f.stop_times;
  auto const per_stop_time = rows ? static_cast<double>(bytes.size()) / static_cast<double>(rows) : 0.0;
  auto const per_compiled =
      tt.n_stop_times() ? static_cast<double>(bytes.size()) / static_cast<double>(tt.n_stop_times()) : 0.0;
  std::printf("| %s | %llu | %zu | %.3f | %.4f | %.0fx | %zu | %.1f | %.1f | %.0f |\n", label.c_str(),
              static_cast<unsigned long long>(rows), tt.n_stop_times(), median(load_times), median(snapshot_times),
              median(load_times) / std::max(median(snapshot_times), 1e-9), bytes.size(), per_stop_time, per_compiled,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
