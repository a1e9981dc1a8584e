// Contraction hierarchies on the Porto Alegre and Cobb County extracts against road_query (plain
// Dijkstra) on thousands of random pairs (fixed seeds): square matrices, point queries, and the
// lopsided shapes the dispatcher asks for (many stops to a pickup and a dropoff, and back).
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "nebuta/osm/reader.h"
#include "nebuta/road/ch.h"
#include "nebuta/road/query.h"
#include "shared_data.h"

using namespace nebuta;
using namespace nebuta::road;

namespace {

struct mismatch_count {
  std::size_t pairs{0};
  std::size_t time{0};
  std::size_t metres{0};
};

void compare(node_cost const& got, node_cost const& want, mismatch_count& c) {
  ++c.pairs;
  if (got.time_ds != want.time_ds) {
    ++c.time;
  } else if (std::abs(got.metres - want.metres) > 0.05F + 1e-5F * want.metres) {
    ++c.metres;
  }
}

void check_extract(std::filesystem::path const& pbf, unsigned seed) {
  auto const loaded = osm::load_road_graph(pbf);
  auto const& g = loaded.graph;
  auto const t0 = std::chrono::steady_clock::now();
  contraction_hierarchy const ch{g};
  auto const s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto const& st = ch.stats();
  std::printf(
      "%s: graph of %zu nodes, %zu arcs; %zu chains folded, CH of %zu junctions, %zu arcs: %zu shortcuts, "
      "%zu up + %zu down arcs, mean upward search %.0f junctions, length unit %.0f mm, built in %.2f s\n",
      pbf.filename().string().c_str(), st.n_nodes, st.n_graph_arcs, st.n_chains, st.n_junctions, st.n_original_arcs,
      st.n_shortcuts, st.n_up_arcs, st.n_down_arcs, st.mean_upward_settled, ch.metres_per_unit() * 1000.0, s);
  CHECK(st.n_up_arcs + st.n_down_arcs == st.n_original_arcs + st.n_shortcuts);
  CHECK(st.mean_upward_settled < 0.05 * static_cast<double>(st.n_nodes));  // a hierarchy, not a flat search

  ch_query q{ch};
  road_query ref{g};
  std::mt19937 rng{seed};
  std::uniform_int_distribution<std::uint32_t> pick{0, static_cast<std::uint32_t>(g.n_nodes() - 1)};
  auto const random_nodes = [&](std::size_t k) {
    std::vector<road_node_idx> v(k);
    for (auto& x : v) x = road_node_idx{pick(rng)};
    return v;
  };

  // 40 x 60 matrix (2,400 pairs) by both strategies, and as point queries.
  {
    auto const from = random_nodes(40);
    auto const to = random_nodes(60);
    std::vector<node_cost> want(from.size() * to.size());
    for (std::size_t i = 0; i < from.size(); ++i) {
      ref.one_to_many(from[i], to, std::span{want}.subspan(i * to.size(), to.size()));
    }
    std::vector<node_cost> got(want.size());
    for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps, matrix_strategy::automatic}) {
      mismatch_count c;
      q.many_to_many(from, to, got, strategy);
      for (std::size_t k = 0; k < want.size(); ++k) compare(got[k], want[k], c);
      INFO("strategy " << static_cast<int>(strategy));
      CHECK(c.pairs == 2400);
      CHECK(c.time == 0);
      CHECK(c.metres == 0);
    }
    mismatch_count c;
    for (std::size_t i = 0; i < from.size(); ++i) {
      for (std::size_t j = 0; j < to.size(); ++j) compare(q.point_to_point(from[i], to[j]), want[i * to.size() + j], c);
    }
    CHECK(c.time == 0);
    CHECK(c.metres == 0);
  }

  // The dispatcher's shapes: 300 stops -> {pickup, dropoff} and {pickup, dropoff} -> 1,000 stops.
  {
    auto const stops = random_nodes(300);
    auto const pd = random_nodes(2);
    std::vector<node_cost> want(stops.size() * 2);
    for (std::size_t i = 0; i < stops.size(); ++i) ref.one_to_many(stops[i], pd, std::span{want}.subspan(i * 2, 2));
    std::vector<node_cost> got(want.size());
    for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps, matrix_strategy::automatic}) {
      mismatch_count c;
      q.many_to_many(stops, pd, got, strategy);
      for (std::size_t k = 0; k < want.size(); ++k) compare(got[k], want[k], c);
      INFO("many to two, strategy " << static_cast<int>(strategy));
      CHECK(c.time == 0);
      CHECK(c.metres == 0);
    }
    auto const many = random_nodes(1000);
    want.resize(2 * many.size());
    for (std::size_t i = 0; i < 2; ++i)
      ref.one_to_many(pd[i], many, std::span{want}.subspan(i * many.size(), many.size()));
    got.resize(want.size());
    for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps, matrix_strategy::automatic}) {
      mismatch_count c;
      q.many_to_many(pd, many, got, strategy);
      for (std::size_t k = 0; k < want.size(); ++k) compare(got[k], want[k], c);
      INFO("two to many, strategy " << static_cast<int>(strategy));
      CHECK(c.pairs == 2000);
      CHECK(c.time == 0);
      CHECK(c.metres == 0);
    }
    // For these shapes the automatic choice is a sweep per vertex of the small side.
    CHECK(q.choose(300, 2) == matrix_strategy::sweeps);
    CHECK(q.choose(2, 1000) == matrix_strategy::sweeps);
  }
}

}  // namespace

TEST_CASE("ch real: Porto Alegre, CH answers equal plain Dijkstra", "[road][real][ch]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  check_extract(pbf, 20261122);
}

TEST_CASE("ch real: Cobb County, CH answers equal plain Dijkstra", "[road][real][ch]") {
  NEBUTA_REQUIRE_DATASET(pbf, "us-cobbcounty-flex-osm/cobb-county.filtered.osm.pbf");
  check_extract(pbf, 770);
}
