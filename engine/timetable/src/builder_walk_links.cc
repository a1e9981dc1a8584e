// Walking links between all stops within the radius (haversine), nearest first.
#include "builder_internal.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <tuple>

namespace nebuta::build::detail {

void compiler::build_walk_links() {
  tt_.walk_link_radius_m = opt_.walk_link_radius_m;
  auto const radius = static_cast<double>(opt_.walk_link_radius_m);
  // A grid of cells about `radius` wide: neighbours are in the 3x3 block around a stop's cell.
  auto const cell_lat = std::max(radius, 1.0) / geo::metres_per_degree;
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<stop_idx>> grid;
  auto const cell_of = [&](latlon p) {
    auto const lat_cell = static_cast<std::int64_t>(std::floor(p.lat / cell_lat));
    auto const lon_scale =
        std::max(std::cos(std::min(std::abs(p.lat) + cell_lat, 89.0) * std::numbers::pi / 180.0), 0.01);
    return std::pair{lat_cell, static_cast<std::int64_t>(std::floor(p.lon * lon_scale / cell_lat))};
  };
  std::vector<std::pair<std::int64_t, std::int64_t>> cells(tt_.n_stops());
  for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
    if (!tt_.stop_has_coords[s]) continue;
    cells[s.v()] = cell_of(tt_.stop_coords[s]);
    grid[cells[s.v()]].push_back(s);
  }
  std::vector<walk_link> links;
  for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
    links.clear();
    if (tt_.stop_has_coords[s] && radius > 0.0) {
      auto const [cy, cx] = cells[s.v()];
      // Longitude cells shrink towards the poles; scan a margin wide enough for this latitude.
      for (auto dy = -1; dy <= 1; ++dy) {
        for (auto dx = -2; dx <= 2; ++dx) {
          auto const it = grid.find({cy + dy, cx + dx});
          if (it == grid.end()) continue;
          for (auto const o : it->second) {
            if (o == s) continue;
            auto const d = haversine_m(tt_.stop_coords[s], tt_.stop_coords[o]);
            if (d <= radius) links.push_back({o, static_cast<float>(d)});
          }
        }
      }
      std::sort(links.begin(), links.end(), [](auto const& a, auto const& b) {
        return std::tie(a.distance_m, a.target) < std::tie(b.distance_m, b.target);
      });
    }
    tt_.stop_walk_links.emplace_back(links);
  }
}

}  // namespace nebuta::build::detail
