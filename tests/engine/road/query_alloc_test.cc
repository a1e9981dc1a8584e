// Steady-state road queries do not allocate: a global operator new counts allocations.
#include <catch2/catch.hpp>

#include "count_allocations.h"

#include <array>
#include <optional>
#include <vector>

#include "nebuta/road/ch.h"
#include "nebuta/road/network_model.h"
#include "nebuta/road/query.h"
#include "road_fixtures.h"

using namespace nebuta;
using namespace nebuta::road;

TEST_CASE("road: queries and model calls do not allocate in the steady state", "[road][alloc]") {
  // A 30 x 30 two-way grid, 100 m blocks.
  graph_builder b;
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 30; ++x) b.add_node(road::test::at(100.0 * x, 100.0 * y));
  }
  auto const id = [](int x, int y) { return static_cast<std::uint32_t>(y * 30 + x); };
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 30; ++x) {
      if (x + 1 < 30) road::test::both(b, id(x, y), id(x + 1, y), 100, 10);
      if (y + 1 < 30) road::test::both(b, id(x, y), id(x, y + 1), 100, 10);
    }
  }
  road_network_model const m{std::move(b).build(), {.cache_entries = 0}};
  road_query q{m.graph()};
  std::vector<road_node_idx> targets{road_node_idx{5}, road_node_idx{899}, road_node_idx{450}};
  std::vector<node_cost> out(targets.size());
  std::vector<snapped_point> pts;
  for (int i = 0; i < 6; ++i) pts.push_back(m.snap(road::test::at(470.0 * i, 333.0 * i)));
  std::vector<std::optional<travel_cost>> mm(pts.size() * pts.size());

  std::array<std::uint64_t, 4> counts{};
  auto const run = [&] {
    auto n0 = nebuta::test::allocations();
    for (std::uint32_t s = 0; s < 900; s += 37) q.one_to_many(road_node_idx{s}, targets, out);
    counts[0] = nebuta::test::allocations() - n0;
    n0 = nebuta::test::allocations();
    m.many_to_many(pts, pts, mm);
    counts[1] = nebuta::test::allocations() - n0;
    n0 = nebuta::test::allocations();
    for (auto const& p : pts) (void)m.cost(pts[0], p);
    counts[2] = nebuta::test::allocations() - n0;
    n0 = nebuta::test::allocations();
    (void)m.snap(road::test::at(1234, 567));
    counts[3] = nebuta::test::allocations() - n0;
  };
  run();  // warm-up: heaps and the scratch pool grow here
  run();
  INFO("one_to_many, many_to_many, cost");
  CHECK(counts[0] == 0);
  CHECK(counts[1] == 0);
  CHECK(counts[2] == 0);
  // snap() is not covered: Boost.Geometry's nearest query allocates its own small buffer. It runs
  // once per request, not per travel-time query.
  CHECK(counts[3] <= 2);
  CHECK(out[1].time_ds > 0);
}

TEST_CASE("road: contraction hierarchy queries do not allocate in the steady state", "[road][alloc][ch]") {
  graph_builder b;
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 20; ++x) b.add_node(road::test::at(100.0 * x, 100.0 * y));
  }
  auto const id = [](int x, int y) { return static_cast<std::uint32_t>(y * 20 + x); };
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 20; ++x) {
      if (x + 1 < 20) road::test::both(b, id(x, y), id(x + 1, y), 100, 10 + (x * y) % 7);
      if (y + 1 < 20) b.add_edge(id(x, y), id(x, y + 1), 100, 10);  // one-way north
      if (y + 1 < 20 && x % 3 == 0) b.add_edge(id(x, y + 1), id(x, y), 100, 12);
    }
  }
  auto const g = std::move(b).build();
  contraction_hierarchy const ch{g};
  ch_query q{ch};
  std::vector<road_node_idx> many;
  for (std::uint32_t v = 0; v < g.n_nodes(); v += 7) many.push_back(road_node_idx{v});
  std::vector<road_node_idx> const two{road_node_idx{3}, road_node_idx{250}};
  std::vector<node_cost> out(many.size() * many.size());

  std::array<std::uint64_t, 3> counts{};
  auto const run = [&] {
    auto n0 = nebuta::test::allocations();
    for (std::uint32_t s = 0; s < 400; s += 13) (void)q.point_to_point(road_node_idx{s}, road_node_idx{399 - s});
    counts[0] = nebuta::test::allocations() - n0;
    n0 = nebuta::test::allocations();
    for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps}) {
      q.many_to_many(many, two, std::span{out}.first(many.size() * 2), strategy);
      q.many_to_many(two, many, std::span{out}.first(many.size() * 2), strategy);
    }
    counts[1] = nebuta::test::allocations() - n0;
    n0 = nebuta::test::allocations();
    q.many_to_many(many, many, out, matrix_strategy::buckets);
    counts[2] = nebuta::test::allocations() - n0;
  };
  run();  // warm-up
  run();
  INFO("point_to_point, lopsided matrices, square matrix");
  CHECK(counts == std::array<std::uint64_t, 3>{});
  CHECK(out[1].reachable());
}
