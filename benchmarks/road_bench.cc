// Road network: graph build time and peak RSS, snapping and travel-time query latency on one
// OSM extract. Queries use random vertices and points near them (fixed seed), with the model's
// cache off so that every query searches.
//   bench_road [--runs N] [--header] FILE.osm.pbf      prints one markdown table row
#include <sys/resource.h>

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
#include "nebuta/road/network_model.h"
#include "nebuta/road/query.h"

namespace {

using clk = std::chrono::steady_clock;

double us_since(clk::time_point t0) { return std::chrono::duration<double, std::micro>(clk::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  auto const i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nebuta;
  using namespace nebuta::road;
  int runs = 3;
  bool header = false;
  std::filesystem::path file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--header") == 0) {
      header = true;
    } else {
      file = argv[i];
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "usage: bench_road [--runs N] [--header] FILE.osm.pbf\n");
    return 2;
  }

  // Build: read + SCC + CSR, then the model (R-tree).
  std::vector<double> build_s;
  std::vector<double> index_s;
  std::optional<road_network_model> model;
  for (int r = 0; r < runs; ++r) {
    model.reset();
    auto const t0 = clk::now();
    auto loaded = osm::load_road_graph(file);
    build_s.push_back(us_since(t0) / 1e6);
    auto const t1 = clk::now();
    model.emplace(std::move(loaded.graph), network_options{.cache_entries = 0});
    index_s.push_back(us_since(t1) / 1e6);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // peak RSS of loading and building (the queries add little)
  auto const& m = *model;
  auto const& g = m.graph();
  auto const n = static_cast<std::uint32_t>(g.n_nodes());

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
  std::vector<node_cost> out(targets.size());
  std::vector<double> o2m_us;
  for (int i = 0; i < 300; ++i) {
    for (auto& t : targets) t = road_node_idx{pick(rng)};
    auto const t0 = clk::now();
    q.one_to_many(road_node_idx{pick(rng)}, targets, out);
    o2m_us.push_back(us_since(t0));
    check += out[0].time_ds;
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

  if (header) {
    std::printf("| extract | nodes kept | edges kept | read+build s (median of %d) | R-tree s | peak RSS MiB | snap p50/p99 µs "
                "| point query p50/p99 ms | 1x100 p50/p99 ms | 50x50 p50/p99 ms |\n",
                runs);
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  }
  std::printf("| %s | %zu | %zu | %.3f | %.3f | %.0f | %.1f / %.1f | %.2f / %.2f | %.2f / %.2f | %.1f / %.1f |\n",
              file.filename().string().c_str(), g.n_nodes(), g.n_edges(), percentile(build_s, 0.5),
              percentile(index_s, 0.5), static_cast<double>(usage.ru_maxrss) / 1024.0, percentile(snap_us, 0.5),
              percentile(snap_us, 0.99), percentile(p2p_us, 0.5) / 1e3, percentile(p2p_us, 0.99) / 1e3,
              percentile(o2m_us, 0.5) / 1e3, percentile(o2m_us, 0.99) / 1e3, percentile(m2m_us, 0.5) / 1e3,
              percentile(m2m_us, 0.99) / 1e3);
  return check == 0 ? 1 : 0;
}
