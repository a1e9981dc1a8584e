// The journey-planner benchmark of commit 9e24251 (benchmarks/raptor_bench.cc, the last one
// before issue 10), with two additions so old and new report the same columns: thread-CPU
// percentiles next to the wall-clock ones, and --setup (router construction time and the heap
// bytes it allocates, counted by a replaced operator new). It is compiled by
// benchmarks/compare/run_raptor_compare.sh against the base build's libraries and the base
// tree's headers; it is not part of this tree's CMake build (the router API it calls is gone).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <new>
#include <memory>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"

namespace {
std::size_t g_heap_bytes = 0;  // bytes requested from operator new (single-threaded benchmark)
}  // namespace

void* operator new(std::size_t n) {
  g_heap_bytes += n;
  if (auto* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc{};
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct stats {
  double p50, p90, p99, qps;
};

stats summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto const at = [&](double p) { return us[std::min(us.size() - 1, static_cast<std::size_t>(p * static_cast<double>(us.size())))]; };
  double sum = 0;
  for (auto const v : us) sum += v;
  return {at(0.5), at(0.9), at(0.99), static_cast<double>(us.size()) / (sum / 1e6)};
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n_queries = 10'000, n_range = 1'000;
  auto setup = false;
  unsigned seed = 42;
  std::string date_arg, write_queries;
  std::vector<nebuta::gtfs_import::feed_spec> feeds;
  std::string label;
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--queries") n_queries = std::stoul(next());
    else if (arg == "--window-queries") n_range = std::stoul(next());
    else if (arg == "--seed") seed = static_cast<unsigned>(std::stoul(next()));
    else if (arg == "--date") date_arg = next();
    else if (arg == "--write-queries") write_queries = next();
    else if (arg == "--setup") setup = true;
    else {
      feeds.push_back(nebuta::gtfs_import::parse_feed_arg(arg));
      label += (label.empty() ? "" : " + ") + feeds.back().name;
    }
  }
  auto const compact = date_arg.size() == 10 ? date_arg.substr(0, 4) + date_arg.substr(5, 2) + date_arg.substr(8, 2) : "";
  auto const date = nebuta::gtfs::parse_date(compact);
  if (feeds.empty() || !date) {
    std::fprintf(stderr, "usage: bench_raptor --date YYYY-MM-DD [--queries N] [--seed S] FEED...\n");
    return 2;
  }
  auto const t_load = std::chrono::steady_clock::now();
  auto const loaded = nebuta::gtfs_import::load(feeds);
  auto const load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
  auto const& tt = loaded.tt;

  // Origins and destinations among stops that some trip serves; departures 05:00–22:00.
  std::vector<nebuta::stop_idx> served;
  for (auto s = nebuta::stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  std::mt19937_64 rng{seed};
  std::uniform_int_distribution<std::size_t> pick{0, served.size() - 1};
  std::uniform_int_distribution<nebuta::seconds_t> when{5 * 3600, 22 * 3600};
  struct query {
    nebuta::stop_idx from, to;
    nebuta::seconds_t depart;
  };
  std::vector<query> queries(n_queries);
  for (auto& q : queries) q = {served[pick(rng)], served[pick(rng)], when(rng)};
  if (!write_queries.empty()) {
    std::ofstream out{write_queries};
    out << "id,from_stop,to_stop,departure\n";
    for (std::size_t i = 0; i < queries.size(); ++i) {
      out << i << "," << tt.external_stop_id(queries[i].from) << "," << tt.external_stop_id(queries[i].to) << ","
          << queries[i].depart << "\n";
    }
  }

  // Router construction: the first one (which also fills the process-wide lower-bound
  // registry, when the feed has a table) is the router measured below; then the median of 21
  // more built while it is alive (they find the table in the registry), each with the heap
  // bytes it requested.
  auto const b_router = g_heap_bytes;
  auto const t_router = std::chrono::steady_clock::now();
  nebuta::raptor::router router{tt};
  auto const first = std::pair{std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t_router).count(),
                               g_heap_bytes - b_router};
  std::vector<std::pair<double, std::size_t>> construct;
  for (auto i = 0; i < 21; ++i) {
    auto const b0 = g_heap_bytes;
    auto const t0 = std::chrono::steady_clock::now();
    auto const fresh = std::make_unique<nebuta::raptor::router>(tt);
    construct.emplace_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count(),
                           g_heap_bytes - b0);
  }
  std::sort(construct.begin(), construct.end());
  auto const median = construct[construct.size() / 2];
  nebuta::raptor::options opt;  // defaults: 400 m walking links, 60 s change time, max 8 legs
  auto const run = [&](auto&& fn, std::size_t n) {
    std::vector<double> us, cpu;
    us.reserve(n);
    cpu.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto const c0 = thread_cpu_us();
      auto const t0 = std::chrono::steady_clock::now();
      fn(queries[i]);
      us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      cpu.push_back(thread_cpu_us() - c0);
    }
    return std::pair{summarise(us), summarise(cpu)};
  };
  std::size_t reachable = 0;
  // One warm-up pass sizes the scratch buffers; the measured pass then allocates nothing.
  for (std::size_t i = 0; i < std::min<std::size_t>(100, queries.size()); ++i) {
    router.earliest_arrival(nebuta::raptor::place::at_stop(queries[i].from), nebuta::raptor::place::at_stop(queries[i].to), *date, queries[i].depart, opt);
  }
  auto const ea = run([&](query const& q) {
    auto const r = router.earliest_arrival(nebuta::raptor::place::at_stop(q.from), nebuta::raptor::place::at_stop(q.to), *date, q.depart, opt);
    reachable += r.reachable ? 1U : 0U;
  }, queries.size());
  std::vector<nebuta::raptor::range_entry> entries;
  std::size_t n_entries = 0;
  auto const range = run([&](query const& q) {
    router.range(nebuta::raptor::place::at_stop(q.from), nebuta::raptor::place::at_stop(q.to), *date, q.depart, q.depart + 7200, opt, entries);
    n_entries += entries.size();
  }, std::min(n_range, queries.size()));
  std::printf("| %s | earliest arrival | %zu | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %zu reachable |\n",
              label.c_str(), queries.size(), ea.first.p50, ea.first.p90, ea.first.p99, ea.first.qps, ea.second.p50,
              ea.second.p90, ea.second.p99, reachable);
  std::printf("| %s | 2-hour range | %zu | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %zu journeys (%.2f per query) |\n",
              label.c_str(), std::min(n_range, queries.size()), range.first.p50, range.first.p90, range.first.p99,
              range.first.qps, range.second.p50, range.second.p90, range.second.p99, n_entries,
              static_cast<double>(n_entries) / static_cast<double>(std::max<std::size_t>(1, std::min(n_range, queries.size()))));
  if (setup) {
    std::printf("\n%s: %zu stops, %zu stop times; load %.2f s; first router construction %.0f µs, %.2f MiB requested "
                "(includes the process-wide lower-bound table when the feed has one); later constructions while it lives "
                "p50 %.0f µs, %.2f MiB requested\n",
                label.c_str(), tt.n_stops(), tt.n_stop_times(), load_s, first.first,
                static_cast<double>(first.second) / 1048576.0, median.first,
                static_cast<double>(median.second) / 1048576.0);
  }
  return 0;
}
