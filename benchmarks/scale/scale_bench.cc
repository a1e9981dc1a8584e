// The planner at scale: one large feed (benchmarks/scale/run.sh builds it by tiling a real one)
// through load, snapshot, index and queries.
//   bench_scale --date YYYY-MM-DD [--queries N] [--seed S] [--rides-round K]... FEED
// Prints one line per figure: parse + compile time, index build time and memory from the feed,
// snapshot size (bytes per stop time), snapshot load time (median of 3, from a file in the page
// cache), index build time from the snapshot (with its stored lower-bound graph), router
// construction, earliest-arrival percentiles (wall clock and thread CPU) over random pairs of
// served stops departing 05:00-22:00, and the process's peak RSS.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "../bench_timing.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/lower_bound.h"
#include "nebuta/raptor/router.h"
#include "nebuta/timetable/snapshot.h"

namespace {

using nebuta::bench::percentile;
using nebuta::bench::thread_cpu_us;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n_queries = 2'000;
  unsigned seed = 42;
  // One query pass per --rides-round K (the rides bound from round K, 0: never; none given: the
  // router's own choice).
  std::vector<int> rides_rounds;
  std::string date_arg;
  std::vector<nebuta::gtfs_import::feed_spec> feeds;
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--queries") n_queries = std::stoul(next());
    else if (arg == "--seed") seed = static_cast<unsigned>(std::stoul(next()));
    else if (arg == "--date") date_arg = next();
    else if (arg == "--rides-round") rides_rounds.push_back(std::stoi(next()));
    else feeds.push_back(nebuta::gtfs_import::parse_feed_arg(arg));
  }
  auto const compact = date_arg.size() == 10 ? date_arg.substr(0, 4) + date_arg.substr(5, 2) + date_arg.substr(8, 2) : "";
  auto const date = nebuta::gtfs::parse_date(compact);
  if (feeds.empty() || !date || n_queries == 0) {
    std::fprintf(stderr, "usage: bench_scale --date YYYY-MM-DD [--queries N] [--seed S] [--rides-round K]... FEED\n");
    return 2;
  }

  auto t0 = std::chrono::steady_clock::now();
  auto c0 = thread_cpu_us();
  auto tt = nebuta::gtfs_import::load(feeds).tt;
  std::printf(
      "parse + compile: %.2f s wall, %.2f s thread CPU (%zu stops, %zu trips, %zu stop times, %zu routes); peak "
      "RSS so far %.0f MiB\n",
      seconds_since(t0), (thread_cpu_us() - c0) / 1e6, tt.n_stops(), tt.n_trips(), tt.n_stop_times(), tt.n_routes(),
      peak_rss_mib());

  // The index as a server started from the feeds builds it, and the snapshot as `nebuta import`
  // writes it: the timetable and the index's lower-bound graph.
  std::vector<nebuta::snapshot_section> sections;
  {
    t0 = std::chrono::steady_clock::now();
    c0 = thread_cpu_us();
    nebuta::raptor::index const built{tt};
    auto const index_wall = seconds_since(t0);
    auto const index_cpu = (thread_cpu_us() - c0) / 1e6;
    auto const& lb = built.lb_graph().build_stats();
    // The lower-bound graph (its contraction) alone, built again: the part of the index the
    // snapshot carries instead of recomputing.
    t0 = std::chrono::steady_clock::now();
    c0 = thread_cpu_us();
    nebuta::raptor::lower_bound_graph const lb_again{tt, built.link_distances()};
    auto const lb_wall = seconds_since(t0);
    auto const lb_cpu = (thread_cpu_us() - c0) / 1e6;
    std::printf(
        "index from the feed: %.2f s wall, %.2f s thread CPU, %.0f MiB (lower-bound graph: %zu arcs, %zu dropped "
        "as dominated, %zu shortcuts, sweeps read %zu / %zu arcs; %s); of which the lower-bound graph %.2f s wall, "
        "%.2f s thread CPU, %.0f MiB\n",
        index_wall, index_cpu, static_cast<double>(built.memory_bytes()) / 1048576.0, lb.n_arcs, lb.n_dominated,
        lb.n_shortcuts, lb.n_up, lb.n_down,
        built.lb_graph().to_stop(nebuta::stop_idx{0}).empty() ? "no table of bounds" : "with the table of bounds",
        lb_wall, lb_cpu, static_cast<double>(lb_again.memory_bytes()) / 1048576.0);
    sections = built.snapshot_sections();
  }

  auto const bytes = nebuta::write_snapshot(tt, sections);
  auto const file = std::filesystem::temp_directory_path() / ("nebuta-scale-" + std::to_string(::getpid()) + ".bin");
  nebuta::api::write_file_bytes(file, bytes);
  std::vector<double> snapshot_s;
  std::vector<nebuta::snapshot_section> loaded_sections;
  for (auto r = 0; r < 3; ++r) {
    loaded_sections.clear();
    t0 = std::chrono::steady_clock::now();
    auto loaded = nebuta::read_snapshot(nebuta::api::read_file_bytes(file), &loaded_sections);
    snapshot_s.push_back(seconds_since(t0));
    if (r == 2) tt = std::move(loaded);  // query the timetable as a server started from the snapshot would
  }
  std::filesystem::remove(file);
  std::printf(
      "snapshot: %zu bytes, %.2f bytes per stop time (of which the index's lower-bound graph %zu bytes, "
      "stay-seated links %zu bytes); read %.3f s wall (median of 3)\n",
      bytes.size(), static_cast<double>(bytes.size()) / static_cast<double>(std::max<std::size_t>(1, tt.n_stop_times())),
      sections[0].bytes.size(), sections[1].bytes.size(), percentile(snapshot_s, 0.5));

  t0 = std::chrono::steady_clock::now();
  c0 = thread_cpu_us();
  nebuta::raptor::index const idx{tt, nebuta::raptor::stored_index::find(loaded_sections)};
  std::printf("index from the snapshot: %.2f s wall, %.2f s thread CPU (lower-bound graph %s, stay-seated links %s)\n",
              seconds_since(t0), (thread_cpu_us() - c0) / 1e6, idx.lb_graph_stored() ? "loaded" : "rebuilt",
              idx.seated_links_stored() ? "loaded" : "rebuilt");

  t0 = std::chrono::steady_clock::now();
  nebuta::raptor::router router{idx};
  std::printf("router: construction %.2f ms, %.1f MiB\n", seconds_since(t0) * 1e3,
              static_cast<double>(router.memory_bytes()) / 1048576.0);

  std::vector<nebuta::stop_idx> served;
  for (auto s = nebuta::stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  if (rides_rounds.empty()) rides_rounds.push_back(-1);
  nebuta::raptor::options const opt;  // defaults: 400 m walking links, 60 s change time, max 8 legs
  // The same queries once per --rides-round value, so that settings compare in one process.
  auto const own_round = router.rides_round();  // the constructor's choice, before any setting
  for (auto const rides_round : rides_rounds) {
    auto const round = rides_round >= 0 ? static_cast<unsigned>(rides_round) : own_round;
    router.set_rides_round(round);
    std::mt19937_64 rng{seed};
    std::uniform_int_distribution<std::size_t> pick{0, served.size() - 1};
    std::uniform_int_distribution<nebuta::seconds_t> when{5 * 3600, 22 * 3600};
    std::vector<double> wall, cpu, cpu_reachable;
    std::size_t reachable = 0;
    for (std::size_t q = 0; q < n_queries + 20; ++q) {  // the first 20 size the scratch buffers
      auto const from = nebuta::raptor::place::at_stop(served[pick(rng)]);
      auto const to = nebuta::raptor::place::at_stop(served[pick(rng)]);
      auto const depart = when(rng);
      auto const q0 = thread_cpu_us();
      auto const w0 = std::chrono::steady_clock::now();
      auto const res = router.earliest_arrival(from, to, *date, depart, opt);
      if (q < 20) continue;
      wall.push_back(seconds_since(w0) * 1e6);
      cpu.push_back(thread_cpu_us() - q0);
      reachable += res.reachable ? 1U : 0U;
      if (res.reachable) cpu_reachable.push_back(cpu.back());
    }
    std::printf(
        "earliest arrival (rides bound from round %u, 0: none), %zu random queries (%zu reachable): wall p50 %.0f us, "
        "p90 %.0f, p99 %.0f; thread CPU p50 %.0f us, p90 %.0f, p99 %.0f\n",
        round, n_queries, reachable, percentile(wall, 0.5), percentile(wall, 0.9), percentile(wall, 0.99),
        percentile(cpu, 0.5), percentile(cpu, 0.9), percentile(cpu, 0.99));
    if (!cpu_reachable.empty()) {
      std::printf("  of which the reachable ones: thread CPU p50 %.0f us, p90 %.0f, p99 %.0f\n",
                  percentile(cpu_reachable, 0.5), percentile(cpu_reachable, 0.9), percentile(cpu_reachable, 0.99));
    }
  }
  std::printf("peak RSS: %.0f MiB (the parsed feed and the timetable were alive together during the load)\n",
              peak_rss_mib());
  return 0;
}
