// Tiny hand-built road graphs for the road tests.
#pragma once

#include <cstdint>
#include <vector>

#include "nebuta/road/graph.h"

namespace nebuta::road::test {

// A point `east_m` metres east and `north_m` metres north of (10, 10).
inline latlon at(double east_m, double north_m) {
  constexpr double m_per_deg = 6'371'000.0 * 3.14159265358979323846 / 180.0;
  return {10.0 + north_m / m_per_deg, 10.0 + east_m / (m_per_deg * 0.984807753012208)};  // cos(10°)
}

// side x side nodes `spacing_m` apart, row by row from (10, 10): node y * side + x.
inline void add_grid(graph_builder& b, int side, double spacing_m) {
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) b.add_node(at(spacing_m * x, spacing_m * y));
  }
}

inline void both(graph_builder& b, std::uint32_t u, std::uint32_t v, double metres, double seconds) {
  b.add_edge(u, v, metres, seconds);
  b.add_edge(v, u, metres, seconds);
}

}  // namespace nebuta::road::test
