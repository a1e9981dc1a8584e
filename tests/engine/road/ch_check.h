// The contraction hierarchy's answers for every pair of a small graph against road_query (plain
// Dijkstra on the same, uncontracted graph): equal times, metres within float rounding, through
// point_to_point and every matrix strategy and shape.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <span>
#include <vector>

#include "nebuta/road/ch.h"
#include "nebuta/road/query.h"

namespace nebuta::road::test {

inline bool same(node_cost const& a, node_cost const& b) {
  if (a.time_ds != b.time_ds) return false;
  if (!a.reachable()) return true;
  return std::abs(a.metres - b.metres) <= 1e-3F + 1e-5F * std::abs(b.metres);
}

// Checks every pair of g through point_to_point and through the three matrix strategies.
inline void check_all_pairs(road_graph const& g) {
  contraction_hierarchy const ch{g};
  ch_query q{ch};
  road_query ref{g};
  auto const nn = static_cast<std::uint32_t>(g.n_nodes());
  std::vector<road_node_idx> all;
  for (std::uint32_t v = 0; v < nn; ++v) all.push_back(road_node_idx{v});
  std::vector<node_cost> expected(nn * nn);
  for (std::uint32_t s = 0; s < nn; ++s) {
    ref.one_to_many(road_node_idx{s}, all, std::span{expected}.subspan(s * nn, nn));
  }
  std::vector<node_cost> got(nn * nn);
  for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps, matrix_strategy::automatic}) {
    q.many_to_many(all, all, got, strategy);
    for (std::uint32_t i = 0; i < nn * nn; ++i) {
      INFO("strategy " << static_cast<int>(strategy) << ": " << i / nn << " -> " << i % nn << ": " << got[i].time_ds
                       << " / " << got[i].metres << " m, Dijkstra " << expected[i].time_ds << " / "
                       << expected[i].metres << " m");
      REQUIRE(same(got[i], expected[i]));
    }
  }
  // Lopsided shapes: one row, one column, and the sides swapped.
  std::vector<node_cost> row(nn);
  for (std::uint32_t s = 0; s < nn; ++s) {
    for (auto const strategy : {matrix_strategy::buckets, matrix_strategy::sweeps}) {
      q.one_to_many(road_node_idx{s}, all, row);
      q.many_to_many({&all[s], 1}, all, row, strategy);
      for (std::uint32_t t = 0; t < nn; ++t) REQUIRE(same(row[t], expected[s * nn + t]));
      q.many_to_many(all, {&all[s], 1}, row, strategy);
      for (std::uint32_t t = 0; t < nn; ++t) REQUIRE(same(row[t], expected[t * nn + s]));
    }
    for (std::uint32_t t = 0; t < nn; ++t)
      REQUIRE(same(q.point_to_point(road_node_idx{s}, road_node_idx{t}), expected[s * nn + t]));
  }
}

}  // namespace nebuta::road::test
