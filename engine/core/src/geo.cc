#include "nebuta/core/geo.h"

#include <algorithm>
#include <cmath>

namespace nebuta {

double haversine_m(latlon a, latlon b) {
  constexpr double to_rad = geo::radians_per_degree;
  auto const dlat = (b.lat - a.lat) * to_rad;
  auto const dlon = (b.lon - a.lon) * to_rad;
  auto const s1 = std::sin(dlat / 2.0);
  auto const s2 = std::sin(dlon / 2.0);
  auto const h = s1 * s1 + std::cos(a.lat * to_rad) * std::cos(b.lat * to_rad) * s2 * s2;
  return 2.0 * geo::earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

namespace geo {

latlon offset_by_m(latlon from, double north_m, double east_m) {
  auto const dlat = north_m / earth_radius_m * 180.0 / std::numbers::pi;
  auto const dlon = east_m / (earth_radius_m * std::cos(from.lat * std::numbers::pi / 180.0)) * 180.0 / std::numbers::pi;
  return {from.lat + dlat, from.lon + dlon};
}

}  // namespace geo
}  // namespace nebuta
