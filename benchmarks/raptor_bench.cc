// Journey-planner latency over a reproducible random query set, single-threaded.
//   bench_raptor --date YYYY-MM-DD [--queries N] [--seed S] [--window-queries M] [--tight N]
//                [--literal] [--no-seated] [--rides-round K] [--write-queries FILE] [--dump FILE] [--setup] FEED [FEED ...]
//   bench_raptor --date YYYY-MM-DD [...] --snapshot FILE [--copy]
// --snapshot plans on a snapshot (and the index parts stored in it) as `serve --snapshot` loads
// it: mapped and read in place, or with --copy read into memory (format 5 and before always
// were); the query set is the same as from the feed it was made of.
// Prints markdown rows: earliest arrival, earliest arrival with the tight-journey backward pass
// (the journeys /v1/plan answers, tight.h) over the first N queries, and 2-hour range queries,
// each with wall-clock and thread-CPU percentiles. --setup adds the load, index and router
// construction figures. The query set (pairs of served stops, departures 05:00-22:00, seed 42)
// is the one earlier versions of this benchmark used, so old and new binaries answer the same
// queries. --dump FILE writes every answer (the Pareto journeys, tightened ones and range
// entries), untimed, so that two builds can be checked to answer the same.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/io/file.h"
#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"
#include "nebuta/timetable/snapshot.h"

namespace {

using nebuta::bench::summarise;
using nebuta::bench::summary;
using nebuta::bench::thread_cpu_us;
std::size_t g_heap_bytes = 0;  // bytes requested from operator new (single-threaded benchmark)
}  // namespace

// Counts what router construction requests from the heap, the same way the 9e24251 benchmark
// in benchmarks/compare/ does, so the two figures compare.
void* operator new(std::size_t n) {
  g_heap_bytes += n;
  if (auto* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc{};
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n_queries = 10'000, n_range = 1'000, n_tight = 0;
  unsigned seed = 42;
  auto rides_round = -1;  // -1: the router's own choice
  auto literal = false, setup = false, seated = true, copy_snapshot = false;
  std::string date_arg, write_queries, dump, snapshot;
  std::vector<nebuta::gtfs_import::feed_spec> feeds;
  std::string label;
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--queries") n_queries = std::stoul(next());
    else if (arg == "--window-queries") n_range = std::stoul(next());
    else if (arg == "--tight") n_tight = std::stoul(next());
    else if (arg == "--seed") seed = static_cast<unsigned>(std::stoul(next()));
    else if (arg == "--date") date_arg = next();
    else if (arg == "--write-queries") write_queries = next();
    else if (arg == "--dump") dump = next();
    else if (arg == "--literal") literal = true;
    else if (arg == "--setup") setup = true;
    else if (arg == "--no-seated") seated = false;                     // what stay-seated continuations cost
    else if (arg == "--rides-round") rides_round = std::stoi(next());  // 0: no rides bound
    else if (arg == "--snapshot") snapshot = next();
    else if (arg == "--copy") copy_snapshot = true;
    else {
      feeds.push_back(nebuta::gtfs_import::parse_feed_arg(arg));
      label += (label.empty() ? "" : " + ") + feeds.back().name;
    }
  }
  auto const compact = date_arg.size() == 10 ? date_arg.substr(0, 4) + date_arg.substr(5, 2) + date_arg.substr(8, 2) : "";
  auto const date = nebuta::gtfs::parse_date(compact);
  if ((feeds.empty() == snapshot.empty()) || !date || n_queries == 0) {
    std::fprintf(stderr,
                 "usage: bench_raptor --date YYYY-MM-DD [--queries N] [--seed S] FEED... | --snapshot FILE [--copy]\n");
    return 2;
  }
  auto const t_load = std::chrono::steady_clock::now();
  nebuta::gtfs_import::load_result loaded;
  std::vector<nebuta::snapshot_section> sections;
  nebuta::io::mapped_file file;
  if (snapshot.empty()) {
    loaded = nebuta::gtfs_import::load(feeds);
  } else {
    if (nebuta::io::map_file(snapshot, file) != nebuta::io::read_status::ok) {
      std::fprintf(stderr, "cannot read %s\n", snapshot.c_str());
      return 2;
    }
    loaded.tt = copy_snapshot ? nebuta::read_snapshot(file.bytes, &sections)
                              : nebuta::read_snapshot(nebuta::shared_bytes{file.bytes, file.owner}, &sections);
    label = std::filesystem::path{snapshot}.filename().string() + (copy_snapshot ? " (copied)" : " (mapped)");
  }
  auto const load_s = seconds_since(t_load);
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

  auto const t_index = std::chrono::steady_clock::now();
  nebuta::raptor::index const idx{tt, nebuta::raptor::stored_index::find(sections)};
  auto const index_s = seconds_since(t_index);
  // Router construction: the median of 21 (each builds only scratch state).
  std::vector<double> construct_us;
  std::size_t construct_heap = 0;
  std::unique_ptr<nebuta::raptor::router> fresh;
  for (auto i = 0; i < 21; ++i) {
    fresh.reset();
    auto const b0 = g_heap_bytes;
    auto const t0 = std::chrono::steady_clock::now();
    fresh = std::make_unique<nebuta::raptor::router>(idx);
    construct_us.push_back(seconds_since(t0) * 1e6);
    construct_heap = g_heap_bytes - b0;
  }
  std::sort(construct_us.begin(), construct_us.end());
  auto const fresh_bytes = fresh->memory_bytes();

  nebuta::raptor::router router{idx};
  if (rides_round >= 0) router.set_rides_round(static_cast<unsigned>(rides_round));  // rides_bound.h
  nebuta::raptor::options opt;  // defaults: 400 m walking links, 60 s change time, max 8 legs
  opt.stay_seated = seated;
  if (literal) {  // GTFS-literal mode as the reference tests check it: no walking links
    opt.gtfs_literal = true;
    opt.walk_radius_m = 0.0;
  }
  auto const at = [](nebuta::stop_idx s) { return nebuta::raptor::place::at_stop(s); };
  auto const run = [&](auto&& fn, std::size_t n) {
    std::vector<double> wall, cpu;
    wall.reserve(n);
    cpu.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto const c0 = thread_cpu_us();
      auto const t0 = std::chrono::steady_clock::now();
      fn(queries[i]);
      wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      cpu.push_back(thread_cpu_us() - c0);
    }
    return std::pair{summarise(wall), summarise(cpu)};
  };
  auto const row = [&](char const* what, std::size_t n, std::pair<summary, summary> const& s, std::string const& note) {
    std::printf("| %s | %s | %zu | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %s |\n", label.c_str(), what, n,
                s.first.p50, s.first.p90, s.first.p99, s.first.per_s, s.second.p50, s.second.p90, s.second.p99,
                note.c_str());
  };

  std::size_t reachable = 0;
  // One warm-up pass sizes the scratch buffers; the measured pass then allocates nothing.
  for (std::size_t i = 0; i < std::min<std::size_t>(100, queries.size()); ++i) {
    router.earliest_arrival(at(queries[i].from), at(queries[i].to), *date, queries[i].depart, opt);
  }
  auto const ea = run(
      [&](query const& q) {
        reachable += router.earliest_arrival(at(q.from), at(q.to), *date, q.depart, opt).reachable ? 1U : 0U;
      },
      queries.size());
  row(literal ? "earliest arrival (literal)" : "earliest arrival", queries.size(), ea,
      std::to_string(reachable) + " reachable");

  if (n_tight > 0) {
    std::vector<nebuta::raptor::journey> journeys;
    std::size_t n_journeys = 0;
    auto const n = std::min(n_tight, queries.size());
    auto const tight = run(
        [&](query const& q) {
          nebuta::raptor::tight_journeys(router, at(q.from), at(q.to), *date, q.depart, false, opt, journeys);
          n_journeys += journeys.size();
        },
        n);
    row("earliest arrival + backward pass", n, tight,
        std::to_string(static_cast<double>(n_journeys) / static_cast<double>(n)).substr(0, 4) + " journeys per query");
  }

  if (n_range > 0) {
    std::vector<nebuta::raptor::range_entry> entries;
    std::size_t n_entries = 0;
    auto const n = std::min(n_range, queries.size());
    auto const range = run(
        [&](query const& q) {
          router.range(at(q.from), at(q.to), *date, q.depart, q.depart + 7200, opt, entries);
          n_entries += entries.size();
        },
        n);
    char note[64];
    std::snprintf(note, sizeof note, "%zu journeys (%.2f per query)", n_entries,
                  static_cast<double>(n_entries) / static_cast<double>(n));
    row("2-hour range", n, range, note);
  }

  if (!dump.empty()) {
    std::ofstream out{dump};
    std::vector<nebuta::raptor::journey> journeys;
    std::vector<nebuta::raptor::range_entry> entries;
    nebuta::raptor::journey j;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      auto const& q = queries[i];
      out << "query " << i << "\n";
      auto const res = router.earliest_arrival(at(q.from), at(q.to), *date, q.depart, opt);
      std::vector<unsigned> legs;
      for (auto const& e : res.pareto) legs.push_back(e.legs);
      for (auto const l : legs) {
        out << "pareto " << l << (router.reconstruct(l, j) ? "\n" + nebuta::raptor::to_string(tt, j) : " none") << "\n";
      }
      if (i < n_tight) {
        nebuta::raptor::tight_journeys(router, at(q.from), at(q.to), *date, q.depart, false, opt, journeys);
        for (auto const& t : journeys) out << "tight\n" << nebuta::raptor::to_string(tt, t) << "\n";
      }
      if (i < n_range) {
        router.range(at(q.from), at(q.to), *date, q.depart, q.depart + 7200, opt, entries);
        for (auto const& e : entries) out << "range " << e.departure << " " << e.arrival << " " << e.legs << "\n";
      }
    }
  }

  if (setup) {
    // The per-query lower bounds alone (one PHAST sweep to each query's target stop), as the
    // router computes them at the start of each search.
    std::vector<double> lb_cpu;
    if (idx.lb_graph().valid()) {
      nebuta::raptor::lower_bounds bounds;
      for (std::size_t i = 0; i < std::min<std::size_t>(queries.size(), 2000); ++i) {
        nebuta::raptor::lb_seed const target{queries[i].to, 0U};
        auto const c0 = thread_cpu_us();
        bounds.compute(idx.lb_graph(), nebuta::raptor::lb_direction::to_seeds, {&target, 1});
        if (i >= 10) lb_cpu.push_back(thread_cpu_us() - c0);
      }
    }
    auto const lb_stats = lb_cpu.empty() ? summary{} : summarise(lb_cpu);
    std::printf("\n%s: lower bounds to a stop, thread CPU p50 %.1f µs, p99 %.1f µs (%zu sweeps)", label.c_str(),
                lb_stats.p50, lb_stats.p99, lb_cpu.size());
    auto const& lb = idx.lb_graph().build_stats();
    std::printf(
        "\n%s: %zu stops, %zu stop times; load %.2f s; index %.3f s, %.1f MiB (lower-bound graph: %zu arcs, "
        "%zu dropped as dominated, %zu shortcuts, sweeps read %zu / %zu arcs); router construction p50 %.0f µs "
        "(min %.0f, max %.0f), %.2f MiB requested from the heap, %.2f MiB fresh, %.2f MiB after the queries above\n",
        label.c_str(), tt.n_stops(), tt.n_stop_times(), load_s, index_s,
        static_cast<double>(idx.memory_bytes()) / 1048576.0, lb.n_arcs, lb.n_dominated, lb.n_shortcuts, lb.n_up,
        lb.n_down, construct_us[construct_us.size() / 2], construct_us.front(), construct_us.back(),
        static_cast<double>(construct_heap) / 1048576.0, static_cast<double>(fresh_bytes) / 1048576.0,
        static_cast<double>(router.memory_bytes()) / 1048576.0);
  }
  return 0;
}
