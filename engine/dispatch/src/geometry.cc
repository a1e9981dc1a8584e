#include <cmath>
#include <limits>

#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::dispatch {

// Even-odd rule over all rings, in the lon/lat plane (fine for service areas of a city's size).
bool inside_area(std::span<std::vector<latlon> const> rings, latlon p) {
  bool inside = false;
  for (auto const& ring : rings) {
    auto const n = ring.size();
    if (n < 3) continue;
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
      auto const& a = ring[i];
      auto const& b = ring[j];
      if ((a.lat > p.lat) != (b.lat > p.lat)) {
        auto const lon_at = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
        if (p.lon < lon_at) inside = !inside;
      }
    }
  }
  return inside;
}

std::optional<latlon> nearest_meeting_point(std::span<latlon const> points, latlon p, double max_walk_m) {
  std::optional<latlon> best;
  auto best_d = std::numeric_limits<double>::infinity();
  for (auto const& m : points) {
    auto const d = haversine_m(m, p);
    if (d <= max_walk_m && d < best_d) {
      best_d = d;
      best = m;
    }
  }
  return best;
}

}  // namespace nebuta::dispatch
