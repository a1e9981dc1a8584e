// Road network: graph build time and peak RSS, contraction hierarchy preprocessing, snapping and
// travel-time query latency on one OSM extract, plain Dijkstra against the contraction hierarchy.
// Queries use random vertices and points near them (fixed seed), with the model's cache off so
// that every query searches. Times are thread CPU times (see clk), except reading and building
// the graph and the R-tree (wall time: the reader uses threads).
//   bench_road [--runs N] [--header] FILE.osm.pbf      prints one markdown table row
//   bench_road --strategies FILE.osm.pbf              CH matrix strategies by shape (markdown)
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "nebuta/osm/reader.h"
#include "nebuta/road/ch.h"
#include "nebuta/road/network_model.h"
#include "nebuta/road/query.h"

namespace {

// Thread CPU time, not wall time: other processes on a loaded machine would otherwise add their
// time slices to every long measurement. Single-threaded work, so unloaded they agree.
struct clk {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<clk>;
  static constexpr bool is_steady = true;
  static time_point now() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return time_point{duration{static_cast<rep>(t.tv_sec) * 1'000'000'000 + t.tv_nsec}};
  }
};

double us_since(clk::time_point t0) { return std::chrono::duration<double, std::micro>(clk::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  auto const i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

template <typename F>
std::pair<double, double> p50_p99_ms(int n, F&& f) {
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    auto const t0 = clk::now();
    f();
    us.push_back(us_since(t0));
  }
  return {percentile(us, 0.5) / 1e3, percentile(us, 0.99) / 1e3};
}

double contraction_hierarchy_seconds(nebuta::road::road_graph const& g) {
  auto const t0 = clk::now();
  [[maybe_unused]] nebuta::road::contraction_hierarchy const ch{g};
  return us_since(t0) / 1e6;
}

// Buckets against sweeps for matrix shapes from square to the dispatcher's lopsided ones.
int strategies(std::filesystem::path const& file) {
  using namespace nebuta::road;
  auto const loaded = nebuta::osm::load_road_graph(file);
  auto const& g = loaded.graph;
  contraction_hierarchy const ch{g};
  ch_query q{ch};
  std::mt19937 rng{77};
  std::uniform_int_distribution<std::uint32_t> pick{0, static_cast<std::uint32_t>(g.n_nodes() - 1)};
  std::printf("| %s shape | buckets p50/p99 ms | sweeps p50/p99 ms | automatic picks |\n|---|---|---|---|\n",
              file.filename().string().c_str());
  std::uint64_t check = 0;
  for (auto const& [a, b] : std::vector<std::pair<std::size_t, std::size_t>>{
           {1, 1}, {2, 2}, {10, 10}, {50, 50}, {100, 100}, {200, 2}, {1600, 2}, {2, 1600}, {8000, 2}, {200, 20}}) {
    std::vector<road_node_idx> from(a);
    std::vector<road_node_idx> to(b);
    std::vector<node_cost> out(a * b);
    auto const time_of = [&](matrix_strategy st) {
      return p50_p99_ms(a * b > 10'000 ? 20 : 100, [&] {
        for (auto& x : from) x = road_node_idx{pick(rng)};
        for (auto& x : to) x = road_node_idx{pick(rng)};
        q.many_to_many(from, to, out, st);
        check += out[0].time_ds;
      });
    };
    auto const bk = time_of(matrix_strategy::buckets);
    auto const sw = time_of(matrix_strategy::sweeps);
    std::printf("| %zu x %zu | %.3f / %.3f | %.3f / %.3f | %s |\n", a, b, bk.first, bk.second, sw.first, sw.second,
                q.choose(a, b) == matrix_strategy::sweeps ? "sweeps" : "buckets");
  }
  return check == 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nebuta;
  using namespace nebuta::road;
  int runs = 3;
  bool header = false;
  bool by_strategy = false;
  std::filesystem::path file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--header") == 0) {
      header = true;
    } else if (std::strcmp(argv[i], "--strategies") == 0) {
      by_strategy = true;
    } else {
      file = argv[i];
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "usage: bench_road [--runs N] [--header] [--strategies] FILE.osm.pbf\n");
    return 2;
  }
  if (by_strategy) return strategies(file);

  // Build: read + SCC + CSR, then the Dijkstra model (R-tree only), then the CH model (R-tree and
  // contraction hierarchy).
  std::vector<double> build_s;
  std::vector<double> index_s;
  std::vector<double> ch_s;
  std::optional<road_network_model> model;
  for (int r = 0; r < runs; ++r) {
    model.reset();
    // Wall time: libosmium decodes blocks on its own threads.
    auto const t0 = std::chrono::steady_clock::now();
    auto loaded = osm::load_road_graph(file);
    build_s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    auto const t1 = std::chrono::steady_clock::now();
    model.emplace(std::move(loaded.graph), network_options{.cache_entries = 0, .search = road_search::dijkstra});
    index_s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
  }
  road_network_model const ch_model{osm::load_road_graph(file).graph, network_options{.cache_entries = 0}};
  for (int r = 0; r < runs; ++r) ch_s.push_back(contraction_hierarchy_seconds(ch_model.graph()));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // peak RSS of loading and building (the queries add little)
  auto const& m = *model;
  auto const& g = m.graph();
  auto const n = static_cast<std::uint32_t>(g.n_nodes());
  auto const& ch = *ch_model.hierarchy();

  std::mt19937 rng{4242};
  std::uniform_int_distribution<std::uint32_t> pick{0, n - 1};
  std::uniform_real_distribution<double> jitter{-0.002, 0.002};  // up to ~200 m

  // Snapping.
  std::vector<snapped_point> pts;
  std::vector<double> snap_us;
  for (int i = 0; i < 10'000; ++i) {
    auto const c = g.coord(road_node_idx{pick(rng)});
    auto const t0 = clk::now();
    auto const p = m.snap({c.lat + jitter(rng), c.lon + jitter(rng)});
    snap_us.push_back(us_since(t0));
    if (p.valid && pts.size() < 2'000) pts.push_back(p);
  }

  // Point to point through the model (no cache: every call searches).
  std::vector<double> p2p_us;
  std::uint64_t check = 0;
  for (int i = 0; i < 2'000; ++i) {
    auto const& a = pts[static_cast<std::size_t>(i) % pts.size()];
    auto const& b = pts[pick(rng) % pts.size()];
    auto const t0 = clk::now();
    auto const c = m.cost(a, b);
    p2p_us.push_back(us_since(t0));
    check += c ? static_cast<std::uint64_t>(c->seconds) : 0;
  }

  // One to 100 random vertices (road_query, early stopping when all are settled).
  road_query q{g};
  std::vector<road_node_idx> targets(100);
  std::vector<node_cost> costs(targets.size());
  std::vector<double> o2m_us;
  for (int i = 0; i < 300; ++i) {
    for (auto& t : targets) t = road_node_idx{pick(rng)};
    auto const t0 = clk::now();
    q.one_to_many(road_node_idx{pick(rng)}, targets, costs);
    o2m_us.push_back(us_since(t0));
    check += costs[0].time_ds;
  }

  // Many to many 50 x 50 through the model.
  std::vector<double> m2m_us;
  std::vector<std::optional<travel_cost>> mm(50 * 50);
  for (int i = 0; i < 20; ++i) {
    std::vector<snapped_point> from;
    std::vector<snapped_point> to;
    for (int k = 0; k < 50; ++k) {
      from.push_back(pts[pick(rng) % pts.size()]);
      to.push_back(pts[pick(rng) % pts.size()]);
    }
    auto const t0 = clk::now();
    m.many_to_many(from, to, mm);
    m2m_us.push_back(us_since(t0));
    check += mm[0] ? static_cast<std::uint64_t>(mm[0]->seconds) : 0;
  }

  // The same through the CH model: point queries, 50 x 50, and the dispatcher's shapes (1,600
  // stops -> {pickup, dropoff} and back).
  std::vector<double> ch_p2p_us;
  for (int i = 0; i < 2'000; ++i) {
    auto const& a = pts[static_cast<std::size_t>(i) % pts.size()];
    auto const& b = pts[pick(rng) % pts.size()];
    auto const t0 = clk::now();
    auto const c = ch_model.cost(a, b);
    ch_p2p_us.push_back(us_since(t0));
    check += c ? static_cast<std::uint64_t>(c->seconds) : 0;
  }
  auto const time_matrix = [&](std::size_t rows, std::size_t cols, int reps) {
    std::vector<double> us;
    std::vector<std::optional<travel_cost>> out(rows * cols);
    std::vector<snapped_point> from(rows);
    std::vector<snapped_point> to(cols);
    for (int i = 0; i < reps; ++i) {
      for (auto& p : from) p = pts[pick(rng) % pts.size()];
      for (auto& p : to) p = pts[pick(rng) % pts.size()];
      auto const t0 = clk::now();
      ch_model.many_to_many(from, to, out);
      us.push_back(us_since(t0));
      check += out[0] ? static_cast<std::uint64_t>(out[0]->seconds) : 0;
    }
    return us;
  };
  auto const ch_m2m_us = time_matrix(50, 50, 200);
  auto const ch_many_to_2_us = time_matrix(1600, 2, 200);
  auto const ch_2_to_many_us = time_matrix(2, 1600, 200);

  if (header) {
    std::printf("| extract | nodes kept | edges kept | read+build s (median of %d) | R-tree s | CH s (shortcuts) | CH MiB "
                "| peak RSS MiB | snap p50/p99 µs | Dijkstra point p50/p99 ms | Dijkstra 1x100 p50/p99 ms | Dijkstra "
                "50x50 p50/p99 ms | CH point p50/p99 ms | CH 50x50 p50/p99 ms | CH 1600x2 p50/p99 ms | CH 2x1600 "
                "p50/p99 ms |\n",
                runs);
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  auto const ms = [](std::vector<double> const& us) {
    return std::pair{percentile(us, 0.5) / 1e3, percentile(us, 0.99) / 1e3};
  };
  auto const [p2p50, p2p99] = ms(p2p_us);
  auto const [o2m50, o2m99] = ms(o2m_us);
  auto const [m2m50, m2m99] = ms(m2m_us);
  auto const [cp50, cp99] = ms(ch_p2p_us);
  auto const [cm50, cm99] = ms(ch_m2m_us);
  auto const [c12_50, c12_99] = ms(ch_many_to_2_us);
  auto const [c21_50, c21_99] = ms(ch_2_to_many_us);
  std::printf("| %s | %zu | %zu | %.3f | %.3f | %.2f (%zu) | %.1f | %.0f | %.1f / %.1f | %.2f / %.2f | %.2f / %.2f | "
              "%.1f / %.1f | %.3f / %.3f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f |\n",
              file.filename().string().c_str(), g.n_nodes(), g.n_edges(), percentile(build_s, 0.5),
              percentile(index_s, 0.5), percentile(ch_s, 0.5), ch.stats().n_shortcuts,
              static_cast<double>(ch.memory_bytes()) / (1024.0 * 1024.0), static_cast<double>(usage.ru_maxrss) / 1024.0,
              percentile(snap_us, 0.5), percentile(snap_us, 0.99), p2p50, p2p99, o2m50, o2m99, m2m50, m2m99, cp50, cp99,
              cm50, cm99, c12_50, c12_99, c21_50, c21_99);
  return check == 0 ? 1 : 0;
}
