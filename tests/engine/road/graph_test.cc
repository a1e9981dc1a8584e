// Hand-built graphs with known fastest times: builder, SCC filtering, Dijkstra with early stopping.
#include <catch2/catch.hpp>

#include <array>

#include "nebuta/road/graph.h"
#include "nebuta/road/query.h"
#include "road_fixtures.h"

using namespace nebuta;
using namespace nebuta::road;
using road::test::at;
using road::test::both;

namespace {
road_node_idx n(std::uint32_t v) { return road_node_idx{v}; }
}  // namespace

TEST_CASE("road: fastest path takes the quicker detour and sums metres along it", "[road]") {
  graph_builder b;
  for (int i = 0; i < 4; ++i) b.add_node(at(100.0 * i, 0));
  b.add_edge(0, 1, 100, 10);  // A -> B -> C: 20 s, 200 m
  b.add_edge(1, 2, 100, 10);
  b.add_edge(0, 2, 150, 30);  // A -> C directly: 30 s, shorter but slower
  b.add_edge(2, 3, 50, 5);
  b.add_edge(3, 0, 300, 5);
  b.add_edge(0, 1, 100, 12);  // a slower parallel edge is dropped
  auto const g = std::move(b).build();
  CHECK(g.n_nodes() == 4);
  CHECK(g.n_edges() == 5);
  CHECK(g.stats().n_parallel_edges == 1);
  CHECK(g.stats().n_components == 1);

  road_query q{g};
  auto const ac = q.point_to_point(n(0), n(2));
  CHECK(ac.time_ds == 200);
  CHECK(ac.metres == Approx(200.0));
  CHECK(q.point_to_point(n(0), n(3)).time_ds == 250);
  CHECK(q.point_to_point(n(2), n(1)).time_ds == 200);  // C -> D -> A -> B
  CHECK(q.point_to_point(n(1), n(1)).time_ds == 0);

  std::array<road_node_idx, 4> const targets{n(3), n(1), n(3), n(0)};
  std::array<node_cost, 4> out{};
  q.one_to_many(n(0), targets, out);
  CHECK(out[0].time_ds == 250);
  CHECK(out[1].time_ds == 100);
  CHECK(out[2].time_ds == 250);
  CHECK(out[3].time_ds == 0);

  // A time limit leaves the far targets unreachable.
  q.one_to_many(n(0), targets, out, 150);
  CHECK(!out[0].reachable());
  CHECK(out[1].time_ds == 100);
  CHECK(out[3].time_ds == 0);
}

TEST_CASE("road: a one-way street is driven around the block the other way", "[road]") {
  // A --> B one-way (10 s); B - C - D - A two-way, 10 s each.
  graph_builder b;
  b.add_node(at(0, 0));
  b.add_node(at(100, 0));
  b.add_node(at(100, 100));
  b.add_node(at(0, 100));
  b.add_edge(0, 1, 100, 10);
  both(b, 1, 2, 100, 10);
  both(b, 2, 3, 100, 10);
  both(b, 3, 0, 100, 10);
  auto const g = std::move(b).build();
  REQUIRE(g.n_nodes() == 4);
  road_query q{g};
  CHECK(q.point_to_point(n(0), n(1)).time_ds == 100);
  auto const back = q.point_to_point(n(1), n(0));
  CHECK(back.time_ds == 300);
  CHECK(back.metres == Approx(300.0));
}

TEST_CASE("road: only the largest strongly connected component is kept", "[road]") {
  graph_builder b;
  for (int i = 0; i < 3; ++i) b.add_node(at(100.0 * i, 0));  // 0-1-2 cycle, kept
  b.add_node(at(0, 100));                                    // 3: reachable from 0, cannot return
  b.add_node(at(50'000, 0));                                 // 4-5: an island
  b.add_node(at(50'100, 0));
  both(b, 0, 1, 100, 10);
  both(b, 1, 2, 100, 10);
  b.add_edge(0, 3, 100, 10);
  both(b, 4, 5, 100, 10);
  b.add_edge(2, 2, 0, 0);   // self loop: skipped
  b.add_edge(0, 99, 1, 1);  // unknown node: skipped
  auto const g = std::move(b).build();
  CHECK(g.stats().n_input_nodes == 6);
  CHECK(g.stats().n_skipped_edges == 2);
  CHECK(g.stats().n_components == 3);
  CHECK(g.n_nodes() == 3);
  CHECK(g.n_edges() == 4);
  CHECK(g.kept_node(0) == n(0));
  CHECK(g.kept_node(2) == n(2));
  CHECK_FALSE(g.kept_node(3).valid());
  CHECK_FALSE(g.kept_node(4).valid());
  CHECK_FALSE(g.kept_node(5).valid());
  CHECK_FALSE(g.kept_node(1000).valid());
  CHECK(g.coord(g.kept_node(1)) == at(100, 0));

  // Vertices outside the graph are unreachable rather than undefined.
  road_query q{g};
  CHECK(!q.point_to_point(n(0), n(7)).reachable());
  CHECK(!q.point_to_point(n(7), n(0)).reachable());
}

TEST_CASE("road: Dijkstra stops once every target is settled", "[road]") {
  // A line of 1,000 two-way segments.
  graph_builder b;
  for (int i = 0; i < 1000; ++i) b.add_node(at(10.0 * i, 0));
  for (std::uint32_t i = 0; i + 1 < 1000; ++i) both(b, i, i + 1, 10, 1);
  auto const g = std::move(b).build();
  road_query q{g};
  CHECK(q.point_to_point(n(500), n(503)).time_ds == 30);
  CHECK(q.n_settled() <= 8);
  CHECK(q.point_to_point(n(0), n(999)).time_ds == 9990);
  CHECK(q.n_settled() == 1000);
  CHECK(q.point_to_point(n(500), n(503)).time_ds == 30);  // the timestamp reset forgets the last search
}

TEST_CASE("road: an empty builder gives an empty graph", "[road]") {
  auto const g = graph_builder{}.build();
  CHECK(g.n_nodes() == 0);
  CHECK(g.n_edges() == 0);
}
