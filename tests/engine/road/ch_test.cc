// Contraction hierarchies against hand-computed answers and against road_query (plain Dijkstra):
// equal times, metres within float rounding, for every pair and every matrix strategy.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "ch_check.h"
#include "nebuta/road/ch.h"
#include "nebuta/road/network_model.h"
#include "nebuta/road/query.h"
#include "road_fixtures.h"

using namespace nebuta;
using namespace nebuta::road;
using road::test::at;
using road::test::both;
using road::test::check_all_pairs;

namespace {

road_node_idx n(std::uint32_t v) { return road_node_idx{v}; }

}  // namespace

TEST_CASE("ch: a one-way block and equally fast paths, by hand", "[road][ch]") {
  // A -> B one-way (10 s, 100 m); B - C, C - D, D - A two-way (10 s, 100 m). E hangs off C and D:
  // C - E 5 s / 80 m, D - E 5 s / 50 m, so D -> E -> C (10 s, 130 m) ties with D -> C (10 s, 100 m).
  graph_builder b;
  b.add_node(at(0, 0));      // 0 A
  b.add_node(at(100, 0));    // 1 B
  b.add_node(at(100, 100));  // 2 C
  b.add_node(at(0, 100));    // 3 D
  b.add_node(at(50, 150));   // 4 E
  b.add_edge(0, 1, 100, 10);
  both(b, 1, 2, 100, 10);
  both(b, 2, 3, 100, 10);
  both(b, 3, 0, 100, 10);
  both(b, 2, 4, 80, 5);
  both(b, 3, 4, 50, 5);
  auto const g = std::move(b).build();
  REQUIRE(g.n_nodes() == 5);
  contraction_hierarchy const ch{g};
  ch_query q{ch};

  auto const ba = q.point_to_point(n(1), n(0));  // against the one-way: B -> C -> D -> A
  CHECK(ba.time_ds == 300);
  CHECK(ba.metres == Approx(300.0));
  CHECK(q.point_to_point(n(0), n(1)) == node_cost{100, 100.0F});
  CHECK(q.point_to_point(n(3), n(2)) == node_cost{100, 100.0F});  // the tie goes to the shorter path
  CHECK(q.point_to_point(n(2), n(2)) == node_cost{0, 0.0F});
  auto const ae = q.point_to_point(n(0), n(4));  // A -> D -> E
  CHECK(ae.time_ds == 150);
  CHECK(ae.metres == Approx(150.0));
  CHECK_FALSE(q.point_to_point(n(0), n(99)).reachable());

  std::vector<road_node_idx> const from{n(1), n(77), n(3)};
  std::vector<road_node_idx> const to{n(0), n(2), n(0)};
  std::vector<node_cost> out(9);
  for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps}) {
    q.many_to_many(from, to, out, strategy);
    CHECK(out[0].time_ds == 300);
    CHECK(out[1].time_ds == 100);
    CHECK(out[2].time_ds == 300);
    CHECK_FALSE(out[3].reachable());  // no vertex 77
    CHECK_FALSE(out[5].reachable());
    CHECK(out[6] == node_cost{100, 100.0F});
    CHECK(out[7] == node_cost{100, 100.0F});
  }
  check_all_pairs(g);
}

TEST_CASE("ch: random graphs with one-ways, zero-time arcs and many ties equal Dijkstra", "[road][ch]") {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng{seed};
    // A jittered 9 x 9 grid with some diagonals; few distinct times make equal-time paths common.
    graph_builder b;
    constexpr int side = 9;
    road::test::add_grid(b, side, 100.0);
    std::uniform_int_distribution<int> time_of{0, 3};
    std::uniform_real_distribution<double> length{50.0, 150.0};
    std::uniform_int_distribution<int> kind{0, 9};
    auto const id = [](int x, int y) { return static_cast<std::uint32_t>(y * side + x); };
    auto const link = [&](std::uint32_t u, std::uint32_t v) {
      auto const t = 10.0 * time_of(rng);  // 0, 10, 20 or 30 s
      auto const m = std::round(length(rng));
      switch (kind(rng)) {
        case 0: b.add_edge(u, v, m, t); break;  // one-way
        case 1: b.add_edge(v, u, m, t); break;
        case 2: break;  // missing
        default: both(b, u, v, m, t);
      }
    };
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        if (x + 1 < side) link(id(x, y), id(x + 1, y));
        if (y + 1 < side) link(id(x, y), id(x, y + 1));
        if (x + 1 < side && y + 1 < side && kind(rng) < 2) link(id(x, y), id(x + 1, y + 1));
      }
    }
    auto const g = std::move(b).build();
    REQUIRE(g.n_nodes() > 20);
    check_all_pairs(g);
  }
}

TEST_CASE("ch: an empty graph", "[road][ch]") {
  contraction_hierarchy const empty{road_graph{}};
  ch_query q{empty};
  CHECK_FALSE(q.point_to_point(n(0), n(0)).reachable());
  std::vector<node_cost> out(1);
  q.many_to_many(std::vector{n(0)}, std::vector{n(0)}, out);
  CHECK_FALSE(out[0].reachable());
}

TEST_CASE("ch: a graph beyond the key range is refused, and the model falls back to Dijkstra", "[road][ch]") {
  // Two arcs of 1.1e9 ds (3.5 years each) sum past 2^31 ds.
  auto const make = [] {
    graph_builder b;
    b.add_node(at(0, 0));
    b.add_node(at(100, 0));
    both(b, 0, 1, 100, 1.1e8);
    return std::move(b).build();
  };
  CHECK_THROWS_AS(contraction_hierarchy{make()}, std::length_error);
  road_network_model const m{make()};
  CHECK(m.hierarchy() == nullptr);
  auto const c = m.cost(m.snap(at(0, 0)), m.snap(at(100, 0)));
  REQUIRE(c.has_value());
  CHECK(c->seconds == 110'000'000);
}
