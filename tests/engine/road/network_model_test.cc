// road_network_model on hand-built graphs: snapping, offsets, costs, the cache, many_to_many.
#include <catch2/catch.hpp>

#include <array>
#include <optional>
#include <thread>
#include <vector>

#include "nebuta/road/network_model.h"
#include "road_fixtures.h"

using namespace nebuta;
using namespace nebuta::road;
using road::test::at;
using road::test::both;

namespace {

// The block of the one-way test plus an island 5 km east that SCC filtering drops.
road_graph block_with_island() {
  graph_builder b;
  b.add_node(at(0, 0));       // 0 A
  b.add_node(at(100, 0));     // 1 B
  b.add_node(at(100, 100));   // 2 C
  b.add_node(at(0, 100));     // 3 D
  b.add_edge(0, 1, 100, 10);  // one-way A -> B
  both(b, 1, 2, 100, 10);
  both(b, 2, 3, 100, 10);
  both(b, 3, 0, 100, 10);
  b.add_node(at(5000, 0));  // 4, 5: island
  b.add_node(at(5100, 0));
  both(b, 4, 5, 100, 10);
  return std::move(b).build();
}

}  // namespace

TEST_CASE("road model: snapping to the nearest segment point, with a distance and a limit", "[road]") {
  road_network_model const m{block_with_island()};
  REQUIRE(m.graph().n_nodes() == 4);

  // On a node: zero offset.
  auto const a = m.snap_detailed(at(0, 0));
  REQUIRE(a.point.valid);
  CHECK(a.point.node == 0);
  CHECK(a.point.offset_s == 0);
  CHECK(a.distance_m == Approx(0.0).margin(0.01));

  // 30 m south of A-B, 20 m from A: nearer end A, 2 s along the segment.
  auto const p = m.snap_detailed(at(20, -30));
  REQUIRE(p.point.valid);
  CHECK(p.point.node == 0);
  CHECK(p.point.offset_s == 2);
  CHECK(p.distance_m == Approx(30.0).epsilon(0.01));
  CHECK(haversine_m(p.on_network, at(20, 0)) < 0.5);

  // 80 m along B-C (east side): nearer end C, 2 s.
  auto const q = m.snap_detailed(at(110, 80));
  REQUIRE(q.point.valid);
  CHECK(q.point.node == 2);
  CHECK(q.point.offset_s == 2);
  CHECK(q.distance_m == Approx(10.0).epsilon(0.01));

  // Far outside the extract, and beside the dropped island: invalid, with the distance reported.
  auto const far = m.snap_detailed({-33.0, 151.0});
  CHECK_FALSE(far.point.valid);
  CHECK(far.distance_m > 1e6);
  auto const island = m.snap_detailed(at(5050, 0));
  CHECK_FALSE(island.point.valid);
  CHECK(island.distance_m == Approx(4950.0).epsilon(0.01));
  CHECK_FALSE(m.snap(at(50, -600)).valid);  // 600 m from the nearest road
  CHECK(m.snap(at(50, -450)).valid);
  CHECK_FALSE(m.snap({std::nan(""), 10.0}).valid);

  // The limit is configurable.
  road_network_model const wide{block_with_island(), {.max_snap_m = 10'000.0}};
  CHECK(wide.snap(at(5050, 0)).valid);
  CHECK(wide.snap(at(50, -600)).valid);
}

TEST_CASE("road model: costs add the offsets, unreachable and invalid points give nullopt", "[road]") {
  road_network_model m{block_with_island()};
  auto const A = m.snap(at(0, 0));
  auto const B = m.snap(at(100, 0));
  auto const D = m.snap(at(0, 100));
  auto const near_a = m.snap(at(20, -30));  // A + 2 s
  auto const island = m.snap(at(5050, 0));

  CHECK(m.cost(A, B) == travel_cost{10, 100.0});
  auto const ba = m.cost(B, A);
  REQUIRE(ba);
  CHECK(ba->seconds == 30);
  CHECK(ba->metres == Approx(300.0));
  CHECK(m.cost(A, D)->seconds == 10);

  auto const nb = m.cost(near_a, B);
  REQUIRE(nb);
  CHECK(nb->seconds == 12);
  CHECK(nb->metres == Approx(100.0 + haversine_m(at(20, -30), at(0, 0))));
  CHECK(m.cost(near_a, near_a) == travel_cost{0, 0.0});
  CHECK(m.cost(A, A) == travel_cost{0, 0.0});

  CHECK_FALSE(m.cost(A, island).has_value());
  CHECK_FALSE(m.cost(island, A).has_value());
  CHECK_FALSE(m.cost(A, snapped_point{at(0, 0), 77, 0, true}).has_value());  // a handle of no vertex

  // Snapped points stay valid when the model moves (the graph lives on the heap).
  road_network_model moved{std::move(m)};
  CHECK(moved.cost(B, A)->seconds == 30);
}

TEST_CASE("road model: many_to_many equals point queries, the cache answers repeats", "[road]") {
  // Dijkstra mode: many_to_many searches once per source and goes through the cache.
  road_network_model const m{block_with_island(), {.search = road_search::dijkstra}};
  std::vector<snapped_point> pts;
  for (auto const c : {at(0, 0), at(100, 0), at(110, 80), at(20, -30), at(5050, 0), at(0, 100), at(60, 100)}) {
    pts.push_back(m.snap(c));
  }
  std::vector<std::optional<travel_cost>> out(pts.size() * pts.size());
  m.many_to_many(pts, pts, out);

  road_network_model const fresh{block_with_island(), {.cache_entries = 0, .search = road_search::dijkstra}};
  for (std::size_t i = 0; i < pts.size(); ++i) {
    for (std::size_t j = 0; j < pts.size(); ++j) {
      INFO(i << " -> " << j);
      CHECK(out[i * pts.size() + j] == fresh.cost(pts[i], pts[j]));
    }
  }
  auto const before = m.cache_statistics();
  m.many_to_many(pts, pts, out);
  auto const after = m.cache_statistics();
  CHECK(after.misses == before.misses);
  CHECK(after.hits > before.hits);
  CHECK(fresh.cache_statistics().hits == 0);

  m.clear_cache();
  CHECK(m.cache_statistics().hits == 0);
  CHECK(m.cost(pts[1], pts[0])->seconds == 30);

  // The default model (contraction hierarchy) gives the same matrix; its matrices bypass the
  // cache, its point queries use it.
  road_network_model const ch{block_with_island()};
  REQUIRE(ch.hierarchy() != nullptr);
  CHECK(m.hierarchy() == nullptr);
  std::vector<std::optional<travel_cost>> by_ch(out.size());
  ch.many_to_many(pts, pts, by_ch);
  for (std::size_t k = 0; k < out.size(); ++k) {
    INFO(k / pts.size() << " -> " << k % pts.size());
    REQUIRE(by_ch[k].has_value() == out[k].has_value());
    if (!out[k]) continue;
    CHECK(by_ch[k]->seconds == out[k]->seconds);
    CHECK(by_ch[k]->metres == Approx(out[k]->metres));
  }
  CHECK(ch.cache_statistics().hits + ch.cache_statistics().misses == 0);
  CHECK(ch.cost(pts[1], pts[0])->seconds == 30);
  CHECK(ch.cost(pts[1], pts[0])->seconds == 30);
  CHECK(ch.cache_statistics().hits == 1);
  CHECK(ch.cache_statistics().misses == 1);
}

TEST_CASE("road model: concurrent queries from several threads agree", "[road]") {
  road_network_model const m{block_with_island(), {.cache_entries = 4}};
  std::array<snapped_point, 4> const pts{m.snap(at(0, 0)), m.snap(at(100, 0)), m.snap(at(100, 100)), m.snap(at(0, 100))};
  std::array<std::array<int, 4>, 4> const expected{{{0, 10, 20, 10}, {30, 0, 10, 20}, {20, 10, 0, 10}, {10, 20, 10, 0}}};
  std::vector<std::thread> threads;
  std::array<int, 4> errors{};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 500; ++r) {
        auto const i = static_cast<std::size_t>((r + t) % 4);
        auto const j = static_cast<std::size_t>((r * 3 + t) % 4);
        auto const c = m.cost(pts[i], pts[j]);
        if (!c || c->seconds != expected[i][j]) ++errors[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(errors == std::array<int, 4>{});
}
