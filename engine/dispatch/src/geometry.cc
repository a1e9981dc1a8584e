#include <algorithm>
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

// Local equirectangular metres around p: exact enough within a few hundred kilometres, and the
// answer only has to say "near" or "far".
double distance_to_area_m(std::span<std::vector<latlon> const> rings, latlon p) {
  if (inside_area(rings, p)) return 0.0;
  constexpr double metres_per_degree = 6'371'000.0 * 3.14159265358979323846 / 180.0;
  auto const kx = metres_per_degree * std::cos(p.lat * 3.14159265358979323846 / 180.0);
  auto best = std::numeric_limits<double>::infinity();
  for (auto const& ring : rings) {
    auto const n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
      auto const& a = ring[i];
      auto const& b = ring[(i + 1) % n];
      double const ax = (a.lon - p.lon) * kx, ay = (a.lat - p.lat) * metres_per_degree;
      double const bx = (b.lon - p.lon) * kx, by = (b.lat - p.lat) * metres_per_degree;
      double const dx = bx - ax, dy = by - ay;
      auto const len2 = dx * dx + dy * dy;
      auto const t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
      best = std::min(best, std::hypot(ax + t * dx, ay + t * dy));
    }
  }
  return best;
}

}  // namespace nebuta::dispatch
