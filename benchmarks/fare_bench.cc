// What fares cost the planner, single-threaded, over a query set written by
// `bench_raptor --write-queries FILE` (so that an older bench_raptor and this one answer the same
// queries side by side):
//   bench_fare --date YYYY-MM-DD --queries-file FILE [--rounds R] FEED [FEED ...]
// Per query, in wall-clock and thread CPU microseconds (p50/p90/p99):
//   search            earliest_arrival alone (what bench_raptor times)
//   search+journeys   plus reconstructing every Pareto journey
//   search+fares      plus fare::compute on each of them
//   tight+fares       the journeys /v1/plan answers: every Pareto journey tightened by its
//                     backward pass (tight.h), then fare::compute on each (issue 12's target)
// and fare::compute alone per journey (thread CPU ns, averaged over R rounds of every journey).
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "nebuta/fare/journey.h"
#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"

namespace {

using nebuta::bench::summarise;
using nebuta::bench::thread_cpu_us;

struct query {
  nebuta::stop_idx from, to;
  nebuta::seconds_t depart;
};

}  // namespace

int main(int argc, char** argv) {
  std::string date_arg, queries_file, label;
  unsigned rounds = 20;
  std::vector<nebuta::gtfs_import::feed_spec> feeds;
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--date") date_arg = next();
    else if (arg == "--queries-file") queries_file = next();
    else if (arg == "--rounds") rounds = static_cast<unsigned>(std::stoul(next()));
    else {
      feeds.push_back(nebuta::gtfs_import::parse_feed_arg(arg));
      label += (label.empty() ? "" : " + ") + feeds.back().name;
    }
  }
  auto const compact = date_arg.size() == 10 ? date_arg.substr(0, 4) + date_arg.substr(5, 2) + date_arg.substr(8, 2) : "";
  auto const date = nebuta::gtfs::parse_date(compact);
  if (feeds.empty() || !date || queries_file.empty()) {
    std::fprintf(stderr, "usage: bench_fare --date YYYY-MM-DD --queries-file FILE [--rounds R] FEED...\n");
    return 2;
  }
  auto const loaded = nebuta::gtfs_import::load(feeds);
  auto const& tt = loaded.tt;

  std::ifstream in{queries_file, std::ios::binary};
  std::string const data{std::istreambuf_iterator<char>{in}, {}};
  nebuta::gtfs::string_arena arena;
  nebuta::gtfs::csv_reader csv{data, arena};
  std::vector<std::string_view> fields;
  std::uint32_t line = 0;
  std::vector<query> queries;
  csv.next(fields, line);  // header id,from_stop,to_stop,departure
  while (csv.next(fields, line) == nebuta::gtfs::csv_status::row) {
    if (fields.size() < 4) continue;
    auto const from = tt.find_stop(fields[1]), to = tt.find_stop(fields[2]);
    auto const dep = nebuta::gtfs::parse_int<nebuta::seconds_t>(fields[3]);
    if (from && to && dep) queries.push_back({*from, *to, *dep});
  }
  if (queries.empty()) {
    std::fprintf(stderr, "no queries in %s\n", queries_file.c_str());
    return 2;
  }

  nebuta::raptor::index const idx{tt};
  nebuta::raptor::router router{idx};
  nebuta::raptor::options const opt;  // bench_raptor's: 400 m walking links, 60 s change, 8 legs
  auto const day = (*date - tt.first_date).count();
  std::vector<nebuta::raptor::journey> journeys(nebuta::raptor::max_legs_limit + 1);
  std::array<nebuta::fare::ride, nebuta::fare::max_rides> rides{};
  std::array<nebuta::fare::leg_fare, nebuta::fare::max_rides> legs{};
  std::size_t n_journeys = 0, n_known = 0;
  std::vector<nebuta::raptor::journey> all;  // every journey of the set, for the compute-only loop

  enum class mode { search_only, with_journeys, with_fares, tight_fares };
  std::vector<nebuta::raptor::journey> tight;
  auto const run = [&](mode m, std::vector<double>& wall, std::vector<double>& cpu) {
    wall.clear(), cpu.clear();
    for (auto const& q : queries) {
      auto const w0 = std::chrono::steady_clock::now();
      auto const c0 = thread_cpu_us();
      auto const from = nebuta::raptor::place::at_stop(q.from), to = nebuta::raptor::place::at_stop(q.to);
      if (m == mode::tight_fares) {
        nebuta::raptor::tight_journeys(router, from, to, *date, q.depart, false, opt, tight);
        for (auto const& j : tight) {
          auto const n = nebuta::fare::rides_of(tt, j, rides);
          auto const f = nebuta::fare::compute(tt, {rides.data(), n}, day, {legs.data(), n});
          n_known += f.known ? 1U : 0U;
        }
        cpu.push_back(thread_cpu_us() - c0);
        wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - w0).count());
        continue;
      }
      auto const r = router.earliest_arrival(from, to, *date, q.depart, opt);
      if (m != mode::search_only) {
        for (std::size_t e = 0; e < r.pareto.size(); ++e) {
          auto& j = journeys[e];
          if (!router.reconstruct(r.pareto[e].legs, j) || m != mode::with_fares) continue;
          auto const n = nebuta::fare::rides_of(tt, j, rides);
          auto const f = nebuta::fare::compute(tt, {rides.data(), n}, day, {legs.data(), n});
          n_known += f.known ? 1U : 0U;
        }
      }
      cpu.push_back(thread_cpu_us() - c0);
      wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - w0).count());
      if (m == mode::with_fares && all.size() < queries.size() * 4) {
        for (std::size_t e = 0; e < r.pareto.size(); ++e) all.push_back(journeys[e]);
      }
    }
  };
  std::vector<double> wall, cpu;
  run(mode::search_only, wall, cpu);  // warm-up: sizes the router's scratch
  std::printf(
      "| feed | measured | queries | wall p50 µs | wall p90 µs | wall p99 µs | CPU p50 µs | CPU p90 µs | CPU p99 µs |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  std::vector<nebuta::raptor::journey> fared;  // the search+fares mode's journeys
  std::size_t known_fared = 0;
  for (auto const m : {mode::search_only, mode::with_journeys, mode::with_fares, mode::tight_fares}) {
    n_known = 0;
    all.clear();
    run(m, wall, cpu);
    if (m == mode::with_fares) {
      fared = all;
      known_fared = n_known;
    }
    auto const w = summarise(wall), c = summarise(cpu);
    char const* const name[] = {"search", "search+journeys", "search+fares", "tight+fares"};
    std::printf("| %s | %s | %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", label.c_str(),
                name[static_cast<int>(m)], queries.size(), w.p50, w.p90, w.p99, c.p50, c.p90, c.p99);
  }
  all = std::move(fared);
  n_journeys = all.size();
  n_known = known_fared;
  auto const known_share = n_journeys ? static_cast<double>(n_known) / static_cast<double>(n_journeys) : 0.0;

  // fare::compute alone: every journey of the set, `rounds` times.
  std::size_t total_rides = 0;
  auto const c0 = thread_cpu_us();
  for (unsigned r = 0; r < rounds; ++r) {
    for (auto const& j : all) {
      auto const n = nebuta::fare::rides_of(tt, j, rides);
      total_rides += n;
      auto const f = nebuta::fare::compute(tt, {rides.data(), n}, day, {legs.data(), n});
      if (f.legs_counted > n) std::abort();  // keeps the call
    }
  }
  auto const per_journey_ns =
      (thread_cpu_us() - c0) * 1e3 / static_cast<double>(std::max<std::size_t>(1, n_journeys * rounds));
  std::printf(
      "\n%s: fare::compute alone %.0f ns (thread CPU) per journey over %zu journeys x %u rounds, %.2f rides per "
      "journey, %.1f%% of journeys with a known fare, %.2f journeys per query\n",
      label.c_str(), per_journey_ns, n_journeys, rounds,
      static_cast<double>(total_rides) / static_cast<double>(std::max<std::size_t>(1, n_journeys * rounds)),
      100.0 * known_share, static_cast<double>(n_journeys) / static_cast<double>(queries.size()));
  return 0;
}
