// Road network: graph build time and peak RSS, contraction hierarchy preprocessing, snapping and
// travel-time query latency on one OSM extract, plain Dijkstra against the contraction hierarchy.
// Queries use random vertices and points near them (fixed seed), with the model's cache off so
// that every query searches. Times are thread CPU times (see clk), except reading and building
// the graph and the R-tree (wall time: the reader uses threads). Each timed call also carries one
// clock read (about 0.5 µs on Linux: CLOCK_THREAD_CPUTIME_ID is a system call).
//
//   bench_road [--runs N] [--header] FILE.osm.pbf     one markdown table row
//   bench_road --strategies FILE.osm.pbf             CH matrix strategies by shape (markdown)
//   bench_road --write-pairs N FILE.osm.pbf          N random pairs as CSV on stdout
//   bench_road --pairs PAIRS.csv [--repeat R] FILE.osm.pbf
//       one CSV line per pair on stdout: the pair, its travel time and metres through the
//       contraction hierarchy model, and the query's thread CPU time (median of R runs); a
//       summary (p50/p90/p99) on stderr. Pairs are `from_lat,from_lon,to_lat,to_lon` lines (a
//       header line and blank lines are skipped), so the same file can be run through another
//       engine and the travel times compared line by line.
//
// The source uses only what the road library's public API has had since issue 5, so it also
// builds against an older library for side-by-side runs (see benchmarks/RESULTS.md).
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/osm/reader.h"
#include "nebuta/road/ch.h"
#include "nebuta/road/network_model.h"
#include "nebuta/road/query.h"

namespace {

using namespace nebuta;
using namespace nebuta::road;

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
  if (v.empty()) return 0.0;
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

double contraction_hierarchy_seconds(road_graph const& g) {
  auto const t0 = clk::now();
  [[maybe_unused]] contraction_hierarchy const ch{g};
  return us_since(t0) / 1e6;
}

// Vertices the hierarchy contracts: the junctions after chain contraction where the library has
// it, else every vertex (so that this file also builds against a library without chains).
template <typename Stats>
std::size_t hierarchy_vertices(Stats const& st) {
  if constexpr (requires { st.n_junctions; }) {
    return st.n_junctions;
  } else {
    return st.n_nodes;
  }
}

// Buckets against sweeps for matrix shapes from square to the dispatcher's lopsided ones.
int strategies(std::filesystem::path const& file) {
  auto const loaded = osm::load_road_graph(file);
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

// Random points up to ~200 m from random vertices of the graph (fixed seed).
int write_pairs(std::filesystem::path const& file, std::size_t n) {
  auto const loaded = osm::load_road_graph(file);
  auto const& g = loaded.graph;
  std::mt19937 rng{20261123};
  std::uniform_int_distribution<std::uint32_t> pick{0, static_cast<std::uint32_t>(g.n_nodes() - 1)};
  std::uniform_real_distribution<double> jitter{-0.002, 0.002};
  std::printf("from_lat,from_lon,to_lat,to_lon\n");
  for (std::size_t i = 0; i < n; ++i) {
    auto const a = g.coord(road_node_idx{pick(rng)});
    auto const b = g.coord(road_node_idx{pick(rng)});
    std::printf("%.7f,%.7f,%.7f,%.7f\n", a.lat + jitter(rng), a.lon + jitter(rng), b.lat + jitter(rng),
                b.lon + jitter(rng));
  }
  return 0;
}

// `from_lat,from_lon,to_lat,to_lon`; nullopt for a header or malformed line.
std::optional<std::pair<latlon, latlon>> parse_pair(std::string_view line) {
  double v[4];
  for (int k = 0; k < 4; ++k) {
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    auto const [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), v[k]);
    if (ec != std::errc{}) return std::nullopt;
    line.remove_prefix(static_cast<std::size_t>(ptr - line.data()));
    while (!line.empty() && (line.front() == ' ' || line.front() == '\r')) line.remove_prefix(1);
    if (k < 3) {
      if (line.empty() || line.front() != ',') return std::nullopt;
      line.remove_prefix(1);
    }
  }
  return std::pair{latlon{v[0], v[1]}, latlon{v[2], v[3]}};
}

int run_pairs(std::filesystem::path const& file, std::filesystem::path const& pairs_file, int repeat) {
  std::ifstream in{pairs_file};
  if (!in) {
    std::fprintf(stderr, "bench_road: cannot read %s\n", pairs_file.string().c_str());
    return 2;
  }
  std::vector<std::pair<latlon, latlon>> pairs;
  std::size_t line_no = 0;
  std::size_t n_skipped = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \r") == std::string::npos) continue;
    if (auto const p = parse_pair(line)) {
      pairs.push_back(*p);
    } else if (line_no > 1) {  // the first line may be a header
      std::fprintf(stderr, "%s:%zu: not from_lat,from_lon,to_lat,to_lon; skipped\n", pairs_file.string().c_str(),
                   line_no);
      ++n_skipped;
    }
  }
  road_network_model const model{osm::load_road_graph(file).graph, network_options{.cache_entries = 0}};
  std::printf("from_lat,from_lon,to_lat,to_lon,seconds,metres,query_us,snap_us\n");
  std::vector<double> query_us;
  std::vector<double> snap_us;
  std::vector<double> runs(static_cast<std::size_t>(repeat));
  for (auto const& [from, to] : pairs) {
    auto const t0 = clk::now();
    auto const a = model.snap(from);
    auto const b = model.snap(to);
    auto const snap = us_since(t0);
    std::optional<travel_cost> c;
    for (auto& r : runs) {
      auto const t1 = clk::now();
      c = model.cost(a, b);
      r = us_since(t1);
    }
    auto const q = percentile(runs, 0.5);
    if (c) {
      std::printf("%.7f,%.7f,%.7f,%.7f,%d,%.1f,%.2f,%.2f\n", from.lat, from.lon, to.lat, to.lon, c->seconds, c->metres,
                  q, snap);
      query_us.push_back(q);
    } else {  // off the network (refused by snapping) or unreachable
      std::printf("%.7f,%.7f,%.7f,%.7f,,,%.2f,%.2f\n", from.lat, from.lon, to.lat, to.lon, q, snap);
    }
    snap_us.push_back(snap);
  }
  std::fprintf(stderr,
               "%s: %zu pairs (%zu lines skipped), %zu with a travel time; query µs (thread CPU, median of %d runs "
               "each) p50 %.2f p90 %.2f p99 %.2f; snapping both ends µs p50 %.2f\n",
               pairs_file.filename().string().c_str(), pairs.size(), n_skipped, query_us.size(), repeat,
               percentile(query_us, 0.5), percentile(query_us, 0.9), percentile(query_us, 0.99),
               percentile(snap_us, 0.5));
  return 0;
}

int table_row(std::filesystem::path const& file, int runs, bool header) {
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
    std::vector<std::optional<travel_cost>> cells(rows * cols);
    std::vector<snapped_point> from(rows);
    std::vector<snapped_point> to(cols);
    for (int i = 0; i < reps; ++i) {
      for (auto& p : from) p = pts[pick(rng) % pts.size()];
      for (auto& p : to) p = pts[pick(rng) % pts.size()];
      auto const t0 = clk::now();
      ch_model.many_to_many(from, to, cells);
      us.push_back(us_since(t0));
      check += cells[0] ? static_cast<std::uint64_t>(cells[0]->seconds) : 0;
    }
    return us;
  };
  auto const ch_m2m_us = time_matrix(50, 50, 200);
  auto const ch_many_to_2_us = time_matrix(1600, 2, 200);
  auto const ch_2_to_many_us = time_matrix(2, 1600, 200);

  if (header) {
    std::printf(
        "| extract | nodes kept | edges kept | CH vertices | read+build s (median of %d) | R-tree s | CH s "
        "(shortcuts) | CH MiB | peak RSS MiB | snap p50/p99 µs | Dijkstra point p50/p99 ms | Dijkstra 1x100 "
        "p50/p99 ms | Dijkstra 50x50 p50/p99 ms | CH point p50/p99 µs | CH 50x50 p50/p99 ms | CH 1600x2 "
        "p50/p99 ms | CH 2x1600 p50/p99 ms |\n",
        runs);
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  auto const ms = [](std::vector<double> const& us) {
    return std::pair{percentile(us, 0.5) / 1e3, percentile(us, 0.99) / 1e3};
  };
  auto const [p2p50, p2p99] = ms(p2p_us);
  auto const [o2m50, o2m99] = ms(o2m_us);
  auto const [m2m50, m2m99] = ms(m2m_us);
  auto const [cm50, cm99] = ms(ch_m2m_us);
  auto const [c12_50, c12_99] = ms(ch_many_to_2_us);
  auto const [c21_50, c21_99] = ms(ch_2_to_many_us);
  std::printf(
      "| %s | %zu | %zu | %zu | %.3f | %.3f | %.3f (%zu) | %.1f | %.0f | %.1f / %.1f | %.2f / %.2f | %.2f / "
      "%.2f | %.1f / %.1f | %.1f / %.1f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |\n",
      file.filename().string().c_str(), g.n_nodes(), g.n_edges(), hierarchy_vertices(ch.stats()),
      percentile(build_s, 0.5), percentile(index_s, 0.5), percentile(ch_s, 0.5), ch.stats().n_shortcuts,
      static_cast<double>(ch.memory_bytes()) / (1024.0 * 1024.0), static_cast<double>(usage.ru_maxrss) / 1024.0,
      percentile(snap_us, 0.5), percentile(snap_us, 0.99), p2p50, p2p99, o2m50, o2m99, m2m50, m2m99,
      percentile(ch_p2p_us, 0.5), percentile(ch_p2p_us, 0.99), cm50, cm99, c12_50, c12_99, c21_50, c21_99);
  return check == 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  int repeat = 1;
  bool header = false;
  bool by_strategy = false;
  std::size_t write_n = 0;
  std::filesystem::path pairs_file;
  std::filesystem::path file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--header") == 0) {
      header = true;
    } else if (std::strcmp(argv[i], "--strategies") == 0) {
      by_strategy = true;
    } else if (std::strcmp(argv[i], "--write-pairs") == 0 && i + 1 < argc) {
      write_n = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
    } else if (std::strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) {
      pairs_file = argv[++i];
    } else {
      file = argv[i];
    }
  }
  if (file.empty()) {
    std::fprintf(stderr,
                 "usage: bench_road [--runs N] [--header] FILE.osm.pbf\n"
                 "       bench_road --strategies FILE.osm.pbf\n"
                 "       bench_road --write-pairs N FILE.osm.pbf > pairs.csv\n"
                 "       bench_road --pairs PAIRS.csv [--repeat R] FILE.osm.pbf > times.csv\n");
    return 2;
  }
  if (by_strategy) return strategies(file);
  if (write_n > 0) return write_pairs(file, write_n);
  if (!pairs_file.empty()) return run_pairs(file, pairs_file, repeat);
  return table_row(file, runs, header);
}
