// The Porto Alegre and Cobb County extracts: plausible graphs, and every search checked against an
// independent Dijkstra (std::priority_queue over the raw edge list) for random pairs (fixed seed).
#include <catch2/catch.hpp>

#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <random>
#include <vector>

#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/road/query.h"
#include "shared_data.h"

using namespace nebuta;
using namespace nebuta::road;

namespace {

struct raw_edge {
  std::uint32_t to;
  std::uint32_t time_ds;
};

// Reference: textbook Dijkstra over adjacency lists copied out of the graph edge by edge.
struct reference {
  explicit reference(road_graph const& g) : adj(g.n_nodes()) {
    auto const& csr = g.csr();
    for (auto [it, end] = edges(csr); it != end; ++it) {
      adj[source(*it, csr)].push_back({static_cast<std::uint32_t>(target(*it, csr)), csr[*it].time_ds});
    }
  }
  std::vector<std::uint64_t> all_from(std::uint32_t s) const {
    std::vector<std::uint64_t> d(adj.size(), std::numeric_limits<std::uint64_t>::max());
    using item = std::pair<std::uint64_t, std::uint32_t>;
    std::priority_queue<item, std::vector<item>, std::greater<>> pq;
    d[s] = 0;
    pq.push({0, s});
    while (!pq.empty()) {
      auto const [du, u] = pq.top();
      pq.pop();
      if (du > d[u]) continue;
      for (auto const& e : adj[u]) {
        if (du + e.time_ds < d[e.to]) {
          d[e.to] = du + e.time_ds;
          pq.push({d[e.to], e.to});
        }
      }
    }
    return d;
  }
  std::vector<std::vector<raw_edge>> adj;
};

void print(char const* name, osm::loaded_graph const& l) {
  auto const& s = l.graph.stats();
  std::printf(
      "%s: %zu highway ways, %zu drivable (%zu one-way), %zu nodes, %zu edges read; %zu SCCs; kept %zu nodes "
      "(%.1f%%), %zu edges; %zu missing node locations; %zu unreadable maxspeed\n",
      name, l.stats.n_ways, l.stats.n_drivable_ways, l.stats.n_oneway_ways, s.n_input_nodes, s.n_input_edges,
      s.n_components, s.n_kept_nodes, 100.0 * static_cast<double>(s.n_kept_nodes) / static_cast<double>(s.n_input_nodes),
      s.n_kept_edges, l.stats.n_missing_locations, l.stats.n_unread_maxspeed);
}

}  // namespace

TEST_CASE("road real: Porto Alegre loads, and searches match a reference Dijkstra", "[road][real]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  auto loaded = osm::load_road_graph(pbf);
  print("Porto Alegre", loaded);
  auto const& g = loaded.graph;
  auto const& s = g.stats();
  CHECK(s.n_kept_nodes > 10'000);
  CHECK(static_cast<double>(s.n_kept_nodes) >= 0.8 * static_cast<double>(s.n_input_nodes));
  CHECK(s.n_kept_edges > s.n_kept_nodes);
  CHECK(loaded.stats.n_oneway_ways > 0);
  for (std::size_t v = 0; v < g.n_nodes(); v += 997) {  // inside greater Porto Alegre
    auto const c = g.coord(road_node_idx{v});
    CHECK((c.lat > -30.5 && c.lat < -29.5 && c.lon > -51.6 && c.lon < -50.8));
  }

  reference const ref{g};
  road_query q{g};
  std::mt19937 rng{20240605};
  std::uniform_int_distribution<std::uint32_t> pick{0, static_cast<std::uint32_t>(g.n_nodes() - 1)};
  std::size_t n_checked = 0;
  for (int src = 0; src < 12; ++src) {
    auto const s_node = pick(rng);
    auto const d = ref.all_from(s_node);
    std::vector<road_node_idx> targets;
    for (int t = 0; t < 25; ++t) targets.push_back(road_node_idx{pick(rng)});
    std::vector<node_cost> out(targets.size());
    q.one_to_many(road_node_idx{s_node}, targets, out);
    for (std::size_t j = 0; j < targets.size(); ++j) {
      INFO(s_node << " -> " << targets[j].v());
      REQUIRE(out[j].reachable());  // one strongly connected component
      CHECK(out[j].time_ds == d[targets[j].v()]);
      auto const single = q.point_to_point(road_node_idx{s_node}, targets[j]);
      CHECK(single.time_ds == d[targets[j].v()]);
      ++n_checked;
    }
  }
  CHECK(n_checked == 300);

  // Through the model: snapped random points, many_to_many of the CH model and of the cached
  // Dijkstra model against repeated point queries on a Dijkstra model without cache.
  road_network_model const cached{std::move(loaded.graph), {.search = road_search::dijkstra}};
  // 36 points up to ~150 m from random vertices, 4 far off the network.
  std::uniform_real_distribution<double> jitter{-0.001, 0.001};
  std::vector<snapped_point> pts;
  std::size_t n_valid = 0;
  for (int i = 0; i < 36; ++i) {
    auto const c = cached.graph().coord(road_node_idx{pick(rng)});
    pts.push_back(cached.snap({c.lat + jitter(rng), c.lon + jitter(rng)}));
    n_valid += pts.back().valid ? 1 : 0;
  }
  for (auto const c : {latlon{-29.0, -51.2}, latlon{-31.0, -51.2}, latlon{-30.0, -52.5}, latlon{-30.0, -49.5}}) {
    pts.push_back(cached.snap(c));
    CHECK_FALSE(pts.back().valid);
  }
  CHECK(n_valid == 36);
  std::vector<std::optional<travel_cost>> mm(pts.size() * pts.size());
  cached.many_to_many(pts, pts, mm);
  cached.many_to_many(pts, pts, mm);  // second time from the cache
  road_network_model const ch{osm::load_road_graph(pbf).graph};
  REQUIRE(ch.hierarchy() != nullptr);
  std::vector<std::optional<travel_cost>> by_ch(pts.size() * pts.size());
  ch.many_to_many(pts, pts, by_ch);
  road_network_model const plain{osm::load_road_graph(pbf).graph, {.cache_entries = 0, .search = road_search::dijkstra}};
  for (std::size_t i = 0; i < pts.size(); ++i) {
    for (std::size_t j = 0; j < pts.size(); ++j) {
      INFO(i << " -> " << j);
      auto const want = plain.cost(pts[i], pts[j]);
      CHECK(mm[i * pts.size() + j] == want);
      CHECK(mm[i * pts.size() + j].has_value() == (pts[i].valid && pts[j].valid));
      auto const& got = by_ch[i * pts.size() + j];
      REQUIRE(got.has_value() == want.has_value());
      if (!want) continue;
      CHECK(got->seconds == want->seconds);
      CHECK(got->metres == Approx(want->metres).margin(0.05));
      auto const single = ch.cost(pts[i], pts[j]);
      CHECK(single->seconds == want->seconds);
    }
  }
  CHECK(cached.cache_statistics().hits >= n_valid * n_valid);

  // Far outside the extract.
  CHECK_FALSE(cached.snap({35.68, 139.76}).valid);                 // Tokyo
  CHECK_FALSE(cached.snap({-30.5, -50.0}).valid);                  // the Atlantic off Rio Grande do Sul
  auto const centre = cached.snap_detailed({-30.0277, -51.2287});  // Praça da Matriz
  CHECK(centre.point.valid);
  CHECK(centre.distance_m < 100.0);
}

TEST_CASE("road real: Cobb County loads into one plausible component", "[road][real]") {
  NEBUTA_REQUIRE_DATASET(pbf, "us-cobbcounty-flex-osm/cobb-county.filtered.osm.pbf");
  auto const loaded = osm::load_road_graph(pbf);
  print("Cobb County", loaded);
  auto const& s = loaded.graph.stats();
  CHECK(s.n_kept_nodes > 1'000);
  CHECK(s.n_kept_edges > s.n_kept_nodes);
  auto const c = loaded.graph.coord(road_node_idx{0});
  CHECK((c.lat > 33.0 && c.lat < 35.0 && c.lon > -85.5 && c.lon < -83.5));
}
