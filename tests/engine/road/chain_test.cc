// Chain contraction (engine/road/src/chains.h): which vertices stay junctions, the chains' vertex
// order (their geometry), and every answer of the hierarchy against plain Dijkstra on the
// uncontracted graph, for the shapes chains take: one-way and two-way chains, loops back to their
// own junction, chains ending in a dead end, rings without any junction, a side street turning onto
// a chain's middle, and random street grids with subdivided blocks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <set>
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

std::set<std::uint32_t> junctions(contraction_hierarchy const& ch) {
  std::set<std::uint32_t> out;
  for (std::uint32_t v = 0; v < ch.n_nodes(); ++v) {
    if (ch.is_junction(n(v))) out.insert(v);
  }
  return out;
}

std::vector<std::uint32_t> chain_of(contraction_hierarchy const& ch, std::uint32_t v) {
  auto const c = ch.chain_through(n(v));
  return {c.begin(), c.end()};
}

// A two-way chain may be stored either way round.
bool same_either_way(std::vector<std::uint32_t> got, std::vector<std::uint32_t> const& want) {
  if (got == want) return true;
  std::reverse(got.begin(), got.end());
  return got == want;
}

// Every segment 100 m, 10 s, so hand-computed times count segments.
void street(graph_builder& b, std::uint32_t u, std::uint32_t v) { both(b, u, v, 100, 10); }
void one_way(graph_builder& b, std::uint32_t u, std::uint32_t v) { b.add_edge(u, v, 100, 10); }

}  // namespace

TEST_CASE("chains: a one-way street and two-way streets fold into arcs between their junctions", "[road][ch][chains]") {
  //  0 --- 1 --- 2 --- 3 --- 4      two-way (y = 0)
  //  |           |           |
  //  5           6           7      two-way cross streets (y = 100)
  //  |           |           |
  //  8 --> 9 --> 10 -> 11 -> 12     one-way east (y = 200)
  graph_builder b;
  for (std::uint32_t i = 0; i < 5; ++i) b.add_node(at(100.0 * i, 0));
  for (std::uint32_t i = 0; i < 3; ++i) b.add_node(at(200.0 * i, 100));
  for (std::uint32_t i = 0; i < 5; ++i) b.add_node(at(100.0 * i, 200));
  for (std::uint32_t i = 0; i < 4; ++i) street(b, i, i + 1);
  for (std::uint32_t i = 8; i < 12; ++i) one_way(b, i, i + 1);
  for (std::uint32_t i = 0; i < 3; ++i) {
    street(b, 2 * i, 5 + i);
    street(b, 5 + i, 8 + 2 * i);
  }
  auto const g = std::move(b).build();
  REQUIRE(g.n_nodes() == 13);
  contraction_hierarchy const ch{g};
  CHECK(junctions(ch) == std::set<std::uint32_t>{2, 8, 10, 12});
  CHECK(ch.stats().n_junctions == 4);
  CHECK(ch.stats().n_chains == 5);
  CHECK(ch.stats().n_original_arcs == 3 * 2 + 2);                  // three two-way chains, two one-way ones
  CHECK(chain_of(ch, 9) == std::vector<std::uint32_t>{8, 9, 10});  // one-way: in its direction
  CHECK(chain_of(ch, 11) == std::vector<std::uint32_t>{10, 11, 12});
  CHECK(same_either_way(chain_of(ch, 0), {2, 1, 0, 5, 8}));
  CHECK(same_either_way(chain_of(ch, 6), {2, 6, 10}));
  CHECK(same_either_way(chain_of(ch, 4), {2, 3, 4, 7, 12}));
  CHECK(chain_of(ch, 2).empty());

  ch_query q{ch};
  // From inside the one-way chain back against it: 11 12 7 4 3 2 1 0 5 8 9, ten segments.
  CHECK(q.point_to_point(n(11), n(9)) == node_cost{1000, 1000.0F});
  // Along the chain, without touching a junction, both ways.
  CHECK(q.point_to_point(n(1), n(5)) == node_cost{200, 200.0F});
  CHECK(q.point_to_point(n(5), n(1)) == node_cost{200, 200.0F});
  check_all_pairs(g);
}

TEST_CASE("chains: loops back to their junction, a one-way loop and a dead-end chain", "[road][ch][chains]") {
  // 0 - 1 - 2 - 3 - 9 - 10 two-way, 0 and 10 dead ends; at 1 a two-way loop 1 - 4 - 5 - 6 - 1; at 2
  // a one-way loop 2 -> 7 -> 8 -> 2.
  graph_builder b;
  b.add_node(at(0, 0));       // 0
  b.add_node(at(100, 0));     // 1
  b.add_node(at(200, 0));     // 2
  b.add_node(at(300, 0));     // 3
  b.add_node(at(50, -100));   // 4
  b.add_node(at(100, -150));  // 5
  b.add_node(at(150, -100));  // 6
  b.add_node(at(250, -100));  // 7
  b.add_node(at(200, -100));  // 8
  b.add_node(at(400, 0));     // 9
  b.add_node(at(500, 0));     // 10
  street(b, 0, 1);
  street(b, 1, 2);
  street(b, 2, 3);
  street(b, 3, 9);
  street(b, 9, 10);
  // The loop at 1: 1 - 4 and 6 - 1 are 150 m, 4 - 5 and 5 - 6 100 m, all 10 s: from 4 to 6 both
  // ways round take 20 s, and the shorter (through 5) must win.
  both(b, 1, 4, 150, 10);
  both(b, 4, 5, 100, 10);
  both(b, 5, 6, 100, 10);
  both(b, 6, 1, 150, 10);
  one_way(b, 2, 7);
  one_way(b, 7, 8);
  one_way(b, 8, 2);
  auto const g = std::move(b).build();
  REQUIRE(g.n_nodes() == 11);
  contraction_hierarchy const ch{g};
  CHECK(junctions(ch) == std::set<std::uint32_t>{0, 1, 2, 10});
  CHECK(same_either_way(chain_of(ch, 5), {1, 4, 5, 6, 1}));
  CHECK(chain_of(ch, 7) == std::vector<std::uint32_t>{2, 7, 8, 2});
  CHECK(same_either_way(chain_of(ch, 9), {2, 3, 9, 10}));

  ch_query q{ch};
  CHECK(q.point_to_point(n(4), n(6)) == node_cost{200, 200.0F});  // through 5, not round by 1
  CHECK(q.point_to_point(n(5), n(4)) == node_cost{100, 100.0F});
  CHECK(q.point_to_point(n(7), n(8)) == node_cost{100, 100.0F});
  CHECK(q.point_to_point(n(8), n(7)) == node_cost{200, 200.0F});   // round the one-way loop
  CHECK(q.point_to_point(n(10), n(8)) == node_cost{500, 500.0F});  // 10 9 3 2 7 8
  CHECK(q.point_to_point(n(9), n(5)) == node_cost{500, 550.0F});   // 9 3 2 1 4 5 (or 1 6 5, as long)
  check_all_pairs(g);
}

TEST_CASE("chains: rings without a junction get one", "[road][ch][chains]") {
  for (bool const two_way : {true, false}) {
    INFO((two_way ? "two-way" : "one-way") << " ring");
    graph_builder b;
    constexpr std::uint32_t k = 7;
    for (std::uint32_t i = 0; i < k; ++i) b.add_node(at(100.0 * i, 10.0 * (i % 2)));
    for (std::uint32_t i = 0; i < k; ++i) {
      if (two_way) {
        street(b, i, (i + 1) % k);
      } else {
        one_way(b, i, (i + 1) % k);
      }
    }
    auto const g = std::move(b).build();
    contraction_hierarchy const ch{g};
    CHECK(junctions(ch) == std::set<std::uint32_t>{0});
    CHECK(ch.stats().n_chains == 1);
    ch_query q{ch};
    CHECK(q.point_to_point(n(3), n(2)).time_ds == (two_way ? 100U : 600U));
    check_all_pairs(g);
  }
}

TEST_CASE("chains: a side street turns onto a one-way street's middle", "[road][ch][chains]") {
  // 0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 6 one-way east; 6 - 9 - 0 two-way back; a side street 3 - 7 - 8.
  graph_builder b;
  for (std::uint32_t i = 0; i < 7; ++i) b.add_node(at(100.0 * i, 0));
  b.add_node(at(300, 100));   // 7
  b.add_node(at(300, 200));   // 8
  b.add_node(at(300, -300));  // 9
  for (std::uint32_t i = 0; i < 6; ++i) one_way(b, i, i + 1);
  street(b, 6, 9);
  street(b, 9, 0);
  street(b, 3, 7);
  street(b, 7, 8);
  auto const g = std::move(b).build();
  contraction_hierarchy const ch{g};
  CHECK(junctions(ch) == std::set<std::uint32_t>{0, 3, 6, 8});
  CHECK(chain_of(ch, 1) == std::vector<std::uint32_t>{0, 1, 2, 3});
  CHECK(chain_of(ch, 5) == std::vector<std::uint32_t>{3, 4, 5, 6});
  ch_query q{ch};
  CHECK(q.point_to_point(n(7), n(5)).time_ds == 300);  // 7 3 4 5: turn right
  CHECK(q.point_to_point(n(7), n(2)).time_ds == 800);  // 7 3 4 5 6 9 0 1 2: no left turn
  CHECK(q.point_to_point(n(1), n(8)).time_ds == 400);  // 1 2 3 7 8
  CHECK(q.point_to_point(n(4), n(8)).time_ds == 900);  // 4 5 6 9 0 1 2 3 7 8
  check_all_pairs(g);
}

TEST_CASE("chains: points in the middle of a chain snap and cost as on the plain graph", "[road][ch][chains]") {
  // A 1 km street 0 .. 10 (a vertex every 100 m), two-way from 0 to 5, one-way west from 10 to 5;
  // a way round from 0 to 10 by 11 and 12. Every segment is declared 100 m, 10 s.
  auto const make = [] {
    graph_builder b;
    for (std::uint32_t i = 0; i <= 10; ++i) b.add_node(at(100.0 * i, 0));
    b.add_node(at(0, 300));     // 11
    b.add_node(at(1000, 300));  // 12
    for (std::uint32_t i = 0; i < 5; ++i) street(b, i, i + 1);
    for (std::uint32_t i = 5; i < 10; ++i) one_way(b, i + 1, i);
    street(b, 0, 11);
    street(b, 11, 12);
    street(b, 12, 10);
    return std::move(b).build();
  };
  road_network_model const reference{make(), {.cache_entries = 0, .search = road_search::dijkstra}};
  road_network_model const model{make(), {.cache_entries = 0}};
  REQUIRE(model.hierarchy() != nullptr);
  CHECK_FALSE(model.hierarchy()->is_junction(n(3)));
  CHECK_FALSE(model.hierarchy()->is_junction(n(7)));
  CHECK(model.hierarchy()->is_junction(n(5)));  // one-way meets two-way

  // 130 m along, 20 m off: the nearer end of segment 1-2 is vertex 1, 30 m (3 s) away.
  auto const p = model.snap_detailed(at(130, -20));
  REQUIRE(p.point.valid);
  CHECK(p.point.node == 1);
  CHECK(p.point.offset_s == 3);
  CHECK(haversine_m(p.on_network, at(130, 0)) < 0.5);

  // Points every 25 m along the street, 20 m off it: every pair as on the plain graph.
  std::vector<snapped_point> pts;
  for (int i = 0; i <= 40; ++i) pts.push_back(model.snap(at(25.0 * i, -20)));
  for (auto const& q : pts) REQUIRE(q.valid);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    for (std::size_t j = 0; j < pts.size(); ++j) {
      INFO(i << " -> " << j);
      auto const want = reference.cost(pts[i], pts[j]);
      auto const got = model.cost(pts[i], pts[j]);
      REQUIRE(got.has_value());
      REQUIRE(want.has_value());
      CHECK(got->seconds == want->seconds);
      CHECK(got->metres == Approx(want->metres).margin(0.01));
    }
  }
  std::vector<std::optional<travel_cost>> matrix(pts.size() * pts.size());
  model.many_to_many(pts, pts, matrix);
  for (std::size_t k = 0; k < matrix.size(); ++k) {
    REQUIRE(matrix[k].has_value());
    CHECK(matrix[k]->seconds == reference.cost(pts[k / pts.size()], pts[k % pts.size()])->seconds);
  }
  // By hand: from 300 m (vertex 3) east to 900 m (vertex 9) is against the one-way part, so round
  // by 2 1 0 11 12 10 9: seven segments, 70 s; back west along the street, six segments.
  CHECK(model.cost(pts[12], pts[36])->seconds == 70);
  CHECK(model.cost(pts[36], pts[12])->seconds == 60);
}

TEST_CASE("chains: random street grids with subdivided blocks equal Dijkstra", "[road][ch][chains]") {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng{seed};
    graph_builder b;
    constexpr int side = 5;
    road::test::add_grid(b, side, 300.0);
    std::uniform_int_distribution<int> inner_count{0, 4};
    std::uniform_int_distribution<int> time_of{0, 2};
    std::uniform_int_distribution<int> kind{0, 9};
    std::uniform_real_distribution<double> length{20.0, 80.0};
    auto const id = [](int x, int y) { return static_cast<std::uint32_t>(y * side + x); };
    // A street from u to v through k new inner vertices: one-way either way, or two-way, with
    // few distinct times (ties) and some zero-time segments.
    auto const street_between = [&](std::uint32_t u, std::uint32_t v, int k, int how) {
      std::vector<std::uint32_t> path{u};
      for (int i = 0; i < k; ++i) path.push_back(b.add_node(at(1.0 * i, 1.0 * k)));  // searches ignore coordinates
      path.push_back(v);
      for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        auto const t = 5.0 * time_of(rng);
        auto const m = std::round(length(rng));
        if (how == 0) {
          b.add_edge(path[i], path[i + 1], m, t);
        } else if (how == 1) {
          b.add_edge(path[i + 1], path[i], m, t);
        } else {
          both(b, path[i], path[i + 1], m, t);
        }
      }
    };
    auto const how_of = [&] {
      auto const k = kind(rng);
      return k == 0 ? 0 : k == 1 ? 1 : 2;
    };
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        if (x + 1 < side && kind(rng) != 9) street_between(id(x, y), id(x + 1, y), inner_count(rng), how_of());
        if (y + 1 < side && kind(rng) != 9) street_between(id(x, y), id(x, y + 1), inner_count(rng), how_of());
        if (kind(rng) == 0) street_between(id(x, y), id(x, y), 2 + inner_count(rng), how_of());  // a loop
        if (kind(rng) == 1) {                                                                    // a dead-end spur
          auto const end = b.add_node(at(300.0 * x + 50, 300.0 * y + 50));
          street_between(id(x, y), end, inner_count(rng), 2);
        }
        if (x + 1 < side && kind(rng) == 2)
          street_between(id(x, y), id(x + 1, y), 1 + inner_count(rng), 2);  // parallel
      }
    }
    auto const g = std::move(b).build();
    REQUIRE(g.n_nodes() > 40);
    contraction_hierarchy const ch{g};
    INFO(g.n_nodes() << " vertices, " << ch.stats().n_junctions << " junctions");
    CHECK(ch.stats().n_junctions < g.n_nodes());
    check_all_pairs(g);
  }
}
